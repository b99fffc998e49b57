// Turns a stream of states about one operation into the CLI's events (CONTRACT.md, `backstay backup --json`):
// queued, started, progress (at most uiUpdateHz a second: the snapshots already come at that rate), stalled, resumed,
// cancelling (when the cancel starts, and again when it has to force restic), finished. The same follower serves an in-process engine and a remote `serve`, since both deliver snapshots.
import type { AppState, CancelStage, Operation, Progress, RunningOp, StallEvidence } from '../../common/index.js';

export type CliEvent =
  | { type: 'queued'; opId: number; planId: string | null }
  | { type: 'started'; opId: number; startedAt: string | null }
  | { type: 'progress'; opId: number; progress: Progress }
  | { type: 'stalled'; opId: number; stalledSince: string | null; stall: StallEvidence | null }
  | { type: 'resumed'; opId: number }
  | { type: 'cancelling'; opId: number; stage: CancelStage | null; requestedAt: string | null }
  | {
      type: 'finished';
      opId: number;
      status: Operation['status'];
      snapshotId?: string | null;
      error?: Operation['error'];
      summary?: Operation['summary'];
      itemErrors?: Operation['itemErrors'];
    };

export class OperationFollower {
  private started = false;
  private stalled = false;
  private cancelStage: CancelStage | null | undefined = undefined;
  private lastProgressKey = '';

  constructor(
    private readonly opId: number,
    private readonly emit: (event: CliEvent) => void,
  ) {}

  /** Emit `queued` for the operation just created. */
  queued(planId: string | null): void {
    this.emit({ type: 'queued', opId: this.opId, planId });
  }

  /** One snapshot; returns false once the operation is no longer live in it. */
  onState(state: AppState): boolean {
    const running: RunningOp | undefined = state.running.find((r) => r.opId === this.opId);
    if (!running) return false;
    if (running.status !== 'queued' && !this.started) {
      this.started = true;
      this.emit({ type: 'started', opId: this.opId, startedAt: running.startedAt });
    }
    if (running.status === 'cancelling') {
      // From here to the end it is cancelling: no stalled/resumed/progress lines that would read as "running".
      const stage = running.cancel?.stage ?? null;
      if (stage !== this.cancelStage) {
        this.cancelStage = stage;
        this.emit({ type: 'cancelling', opId: this.opId, stage, requestedAt: running.cancel?.requestedAt ?? null });
      }
      return true;
    }
    if (running.status === 'stalled' && !this.stalled) {
      this.stalled = true;
      this.emit({ type: 'stalled', opId: this.opId, stalledSince: running.stalledSince, stall: running.stall });
    } else if (running.status === 'running' && this.stalled) {
      this.stalled = false;
      this.emit({ type: 'resumed', opId: this.opId });
    }
    if (running.progress && running.status !== 'queued') {
      const key = `${running.progress.bytesDone}/${running.progress.filesDone}/${running.progress.percent}`;
      if (key !== this.lastProgressKey) {
        this.lastProgressKey = key;
        this.emit({ type: 'progress', opId: this.opId, progress: running.progress });
      }
    }
    return true;
  }

  finished(op: Operation): void {
    if (!this.started && op.startedAt) this.emit({ type: 'started', opId: this.opId, startedAt: op.startedAt });
    this.emit({
      type: 'finished',
      opId: this.opId,
      status: op.status,
      snapshotId: op.snapshotId,
      error: op.error,
      summary: op.summary,
      itemErrors: op.itemErrors.slice(0, 100),
    });
  }
}

export function exitCodeFor(status: Operation['status']): number {
  switch (status) {
    case 'success':
      return 0;
    case 'warning':
      return 3;
    case 'cancelled':
      return 130;
    default:
      return 1;
  }
}

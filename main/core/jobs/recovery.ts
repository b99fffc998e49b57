// What Backstay does on its own when a backup goes wrong (issue: "Recovery policy"):
// - a backup stalled for `stalledCancelAfterSeconds` more is cancelled and retried with backoff (retryStalled);
// - a backup that failed for a transient reason (network, lock held by another live process) is retried the same way;
// - a wrong password or a missing repository is never retried: only a person can fix those.
// Each retry is `trigger: "retry"` and points at the operation it retries.
import type { Operation } from '../../common/index.js';
import type { BackstayConfig } from '../config/schema.js';
import type { Logger } from '../engine-api.js';
import { setLongTimeout, systemLongTimerClock, type LongTimeout, type LongTimerClock } from '../timers/long-timeout.js';
import type { Orchestrator } from './orchestrator.js';

const TRANSIENT_CODES = new Set(['NETWORK', 'REPOSITORY_LOCKED', 'RESTIC_KILLED']);

export interface RecoveryDeps {
  orchestrator: Pick<Orchestrator, 'cancel' | 'enqueue'>;
  config(): BackstayConfig;
  logger: Logger;
  /** The clock the waits are measured on (tests inject one). */
  clock?: LongTimerClock;
}

export class RecoveryPolicy {
  private readonly stallTimers = new Map<number, LongTimeout>();
  private readonly retryTimers = new Set<LongTimeout>();
  private readonly clock: LongTimerClock;

  constructor(private readonly deps: RecoveryDeps) {
    this.clock = deps.clock ?? systemLongTimerClock;
  }

  /** Waits of any length (a 30-day setting must not fire at once, as a plain setTimeout over 2^31-1 ms does). */
  private setTimer(fn: () => void, ms: number): LongTimeout {
    return setLongTimeout(fn, ms, this.clock);
  }

  private clearTimer(timer: LongTimeout): void {
    timer.cancel();
  }

  onStatus(op: Operation, event: 'start' | 'stall' | 'resume'): void {
    // A stalled copy to a mirror is cancelled too (not retried: the next backup copies again): it holds the plan's
    // own repository, so a frozen mirror must not hold up the plan's backups for longer than this.
    if (op.kind !== 'backup' && op.kind !== 'copy') return;
    const settings = this.deps.config().settings;
    if (event === 'stall' && settings.retryStalled) {
      this.clearStallTimer(op.id);
      const timer = this.setTimer(() => {
        this.stallTimers.delete(op.id);
        this.deps.logger.warn(`cancelling a ${op.kind} stalled for too long`, { opId: op.id });
        this.deps.orchestrator.cancel(op.id, 'stall');
      }, settings.stalledCancelAfterSeconds * 1000);
      this.stallTimers.set(op.id, timer);
    } else if (event === 'resume') {
      this.clearStallTimer(op.id);
    }
  }

  onFinished(op: Operation): void {
    this.clearStallTimer(op.id);
    if (this.retryLockedMaintenance(op)) return;
    if (op.kind !== 'backup' || !op.planId) return;
    const stalledOut = op.status === 'cancelled' && op.error?.message.startsWith('Cancelled after making no progress');
    const transient = op.status === 'error' && TRANSIENT_CODES.has(op.error?.code ?? '');
    if (!stalledOut && !transient) return;
    const settings = this.deps.config().settings;
    if (stalledOut && !settings.retryStalled) return;
    const attempt = this.attemptOf(op) + 1;
    if (attempt > settings.retryAttempts) {
      this.deps.logger.warn('giving up retrying', { opId: op.id, attempts: attempt - 1 });
      return;
    }
    const delayMs = settings.retryBackoffSeconds * 1000 * 2 ** (attempt - 1);
    const planId = op.planId;
    const timer = this.setTimer(() => {
      this.retryTimers.delete(timer);
      try {
        this.deps.orchestrator.enqueue({
          kind: 'backup',
          repoId: op.repoId,
          planId,
          trigger: 'retry',
          retryOf: op.id,
          params: { attempt },
        });
      } catch (err) {
        this.deps.logger.warn('retry could not be queued', { error: String(err) });
      }
    }, delayMs);
    this.retryTimers.add(timer);
  }

  /**
   * A forget, prune or check that Backstay started on its own (schedule, after a backup, a retry) and that found the
   * repository locked by another live process is tried again later. One the user started shows its error instead.
   */
  private retryLockedMaintenance(op: Operation): boolean {
    if (!['forget', 'prune', 'check'].includes(op.kind)) return false;
    if (op.status !== 'error' || op.error?.code !== 'REPOSITORY_LOCKED' || op.trigger === 'manual') return true;
    const settings = this.deps.config().settings;
    const attempt = this.attemptOf(op) + 1;
    if (attempt > settings.retryAttempts) {
      this.deps.logger.warn('giving up retrying a locked repository', { opId: op.id, kind: op.kind });
      return true;
    }
    const timer = this.setTimer(() => {
      this.retryTimers.delete(timer);
      try {
        this.deps.orchestrator.enqueue({
          kind: op.kind,
          repoId: op.repoId,
          planId: op.planId,
          trigger: 'retry',
          retryOf: op.id,
          params: { ...(op.params ?? {}), attempt },
        });
      } catch (err) {
        this.deps.logger.warn('retry could not be queued', { error: String(err) });
      }
    }, Math.max(1000, settings.retryBackoffSeconds * 1000 * 2 ** (attempt - 1)));
    this.retryTimers.add(timer);
    return true;
  }

  dispose(): void {
    for (const t of this.stallTimers.values()) this.clearTimer(t);
    for (const t of this.retryTimers) this.clearTimer(t);
    this.stallTimers.clear();
    this.retryTimers.clear();
  }

  private attemptOf(op: Operation): number {
    const attempt = op.trigger === 'retry' ? op.params?.attempt ?? 1 : 0;
    return Number.isFinite(attempt) ? attempt : 0;
  }

  private clearStallTimer(opId: number): void {
    const timer = this.stallTimers.get(opId);
    if (timer !== undefined) this.clearTimer(timer);
    this.stallTimers.delete(opId);
  }
}

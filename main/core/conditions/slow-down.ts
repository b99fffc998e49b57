// "Slow down backups for 1 hour" / "Full speed": a temporary cap on the upload of every restic run that starts while
// it is on (limits.ts). restic cannot change its limits while it runs, so a backup running when the cap starts or
// ends is stopped cleanly and started again with the new limit:
// 1. the running backup is cancelled with reason "restart" (it ends `cancelled`, saying why);
// 2. restic 0.14 does not write its index when interrupted, so the data it already uploaded is unknown to the next
//    run: a `repair index` (restic's own, for 0.14 `rebuild-index`) adds those packs first;
// 3. the backup is queued again with `params.restartOf` = the stopped one, and skips what is already stored.
// Measured with restic 0.14: a 60 MB file interrupted after ~34 MB uploaded re-adds 60 MB without step 2, 41 MB with it.
import type { AppState, Operation } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import type { RepoConfig } from '../config/schema.js';
import type { Orchestrator } from '../jobs/orchestrator.js';
import { limitArgs } from '../restic/args.js';
import { setLongTimeout, type LongTimeout, type LongTimerClock, systemLongTimerClock } from '../timers/long-timeout.js';
import { bandwidthAt, DEFAULT_SLOW_DOWN_UPLOAD_KIBS, type SlowDown } from './limits.js';

export interface SlowDownDeps {
  orchestrator: Pick<Orchestrator, 'cancel' | 'waitFor' | 'enqueue'>;
  running(): AppState['running'];
  publish(slowDown: AppState['slowDown']): void;
  logger: Logger;
  clock?: LongTimerClock;
}

export class SlowDownControl {
  private current: SlowDown | null = null;
  private expiry: LongTimeout | null = null;
  private readonly clock: LongTimerClock;

  constructor(private readonly deps: SlowDownDeps) {
    this.clock = deps.clock ?? systemLongTimerClock;
  }

  /** The flags of one restic run of `repo` starting now: the repository's limits of the hour, capped by a slow-down. */
  runFlags(repo: RepoConfig): string[] {
    const chosen = bandwidthAt(repo.limits, new Date(this.clock.now()), this.current);
    // A limit already in the repository's own `flags` stands unless ours is lower: they come after the user's, and
    // restic takes the last, so a slow-down must never raise a lower `--limit-upload` written there by hand.
    const lowerThanFlag = (value: number | null, flag: string) => {
      const own = flagValue(repo.flags, flag);
      return own === null || (value !== null && value < own) ? value : null;
    };
    return limitArgs({
      uploadKiBs: lowerThanFlag(chosen.uploadKiBs, '--limit-upload'),
      downloadKiBs: lowerThanFlag(chosen.downloadKiBs, '--limit-download'),
    });
  }

  /** Caps the upload for `minutes`; running backups restart with the cap. Returns the backups restarted. */
  slowDown(minutes: number, uploadKiBs = DEFAULT_SLOW_DOWN_UPLOAD_KIBS): { until: string; restarted: number[] } {
    const until = new Date(this.clock.now() + minutes * 60_000);
    this.set({ until, uploadKiBs });
    return { until: until.toISOString(), restarted: this.restartRunningBackups() };
  }

  /** Ends a slow-down now; running backups restart without the cap. */
  fullSpeed(): { restarted: number[] } {
    if (this.current === null) return { restarted: [] };
    this.set(null);
    return { restarted: this.restartRunningBackups() };
  }

  dispose(): void {
    this.expiry?.cancel();
    this.expiry = null;
  }

  private set(next: SlowDown | null): void {
    this.expiry?.cancel();
    this.expiry = null;
    this.current = next;
    if (next) {
      this.expiry = setLongTimeout(
        () => {
          this.expiry = null;
          this.deps.logger.info('slow-down ended; running backups restart at full speed');
          this.fullSpeed();
        },
        next.until.getTime() - this.clock.now(),
        this.clock,
      );
    }
    this.deps.publish(next ? { until: next.until.toISOString(), uploadKiBs: next.uploadKiBs } : null);
  }

  private restartRunningBackups(): number[] {
    const restarted: number[] = [];
    for (const op of this.deps.running()) {
      // Only a restic that is uploading: a queued one starts with the new limits anyway, a cancelling one is ending.
      if (op.kind !== 'backup' || !op.planId || (op.status !== 'running' && op.status !== 'stalled')) continue;
      if (!this.deps.orchestrator.cancel(op.opId, 'restart')) continue;
      restarted.push(op.opId);
      void this.deps.orchestrator.waitFor(op.opId).then((ended) => this.startAgain(ended));
    }
    return restarted;
  }

  private startAgain(ended: Operation): void {
    // A backup that saved its snapshot before it heard the cancel has nothing left to do.
    if (ended.status !== 'cancelled' || !ended.planId) return;
    try {
      this.deps.orchestrator.enqueue({ kind: 'repairIndex', repoId: ended.repoId, planId: null, trigger: ended.trigger });
      this.deps.orchestrator.enqueue({
        kind: 'backup',
        repoId: ended.repoId,
        planId: ended.planId,
        trigger: ended.trigger,
        params: { restartOf: ended.id },
      });
    } catch (err) {
      this.deps.logger.error('the stopped backup could not be started again', { opId: ended.id, error: String(err) });
    }
  }
}

/** The number given to `flag` in an argument list ("--limit-upload 500" or "--limit-upload=500"; the last wins). */
function flagValue(flags: readonly string[], flag: string): number | null {
  let value: number | null = null;
  flags.forEach((arg, i) => {
    const text = arg === flag ? flags[i + 1] : arg.startsWith(`${flag}=`) ? arg.slice(flag.length + 1) : undefined;
    if (text !== undefined && /^\d+$/.test(text)) value = Number(text);
  });
  return value;
}

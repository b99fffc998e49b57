// The one AppState of a Backstay process. Every change makes a new immutable state with a bigger `version` and
// hands it to the publisher, which only keeps the reference: updating state is O(size of the changed part) and
// never waits on a subscriber.
import type {
  AppState,
  AppWarning,
  LastOp,
  Operation,
  PlanState,
  RepoState,
  ResticInfo,
  RunningOp,
  Settings,
} from '../../common/index.js';
import type { OverallStatus } from '../../common/index.js';
import { summaryOf } from '../../common/index.js';
import { setLongTimeout, systemLongTimerClock, type LongTimeout, type LongTimerClock } from '../timers/long-timeout.js';
import { deriveOverallStatus, nextStatusChangeAt, sameOverallStatus, sameStatusInputs } from './overall-status.js';
import { lastCheckOf, lastVerifiedOf } from './proof.js';

export interface StateSink {
  publish(state: AppState): void;
}

export function emptyAppState(host: AppState['host'], settings: Settings): AppState {
  return {
    version: 0,
    running: [],
    plans: [],
    repos: [],
    restic: { path: null, version: null, error: null },
    pausedUntil: null,
    warnings: [],
    settings,
    configError: null,
    host,
  };
}

export function toRunningOp(op: Operation): RunningOp {
  return {
    opId: op.id,
    planId: op.planId,
    repoId: op.repoId,
    kind: op.kind,
    trigger: op.trigger,
    status: op.status === 'queued' || op.status === 'stalled' || op.status === 'cancelling' ? op.status : 'running',
    createdAt: op.createdAt,
    startedAt: op.startedAt,
    progress: op.progress,
    stalledSince: op.stalledSince,
    stall: op.stall,
  };
}

export function toLastOp(op: Operation): LastOp {
  const dataAdded = summaryOf(op, 'backup')?.dataAdded ?? null;
  return {
    opId: op.id,
    kind: op.kind,
    status: op.status,
    startedAt: op.startedAt,
    endedAt: op.endedAt,
    dataAdded,
    errorMessage: op.error?.message ?? null,
    errorCode: op.error?.code ?? null,
  };
}

export class AppStateStore {
  private state: AppState;
  private readonly sinks: StateSink[] = [];
  /** Re-derives the overall status when it changes by time alone (a pause ends, a plan becomes overdue). */
  private statusTimer: LongTimeout | null = null;
  private statusTimerAt: number | null = null;

  constructor(
    initial: AppState,
    private readonly clock: LongTimerClock = systemLongTimerClock,
  ) {
    this.state = initial;
    this.state = { ...initial, status: this.deriveStatus(initial) };
    this.armStatusTimer();
  }

  /** The overall status of `next`; the previous object when nothing in it changed (cheap equality for subscribers). */
  private deriveStatus(next: Omit<AppState, 'version'>): OverallStatus {
    const status = deriveOverallStatus(next, new Date(this.clock.now()));
    const previous = this.state.status;
    return previous && sameOverallStatus(previous, status) ? previous : status;
  }

  private armStatusTimer(): void {
    const at = nextStatusChangeAt(this.state, new Date(this.clock.now()));
    if (at === this.statusTimerAt) return;
    this.statusTimer?.cancel();
    this.statusTimerAt = at;
    this.statusTimer =
      at === null
        ? null
        : setLongTimeout(
            () => {
              this.statusTimer = null;
              this.statusTimerAt = null;
              this.refreshStatus();
            },
            at - this.clock.now(),
            this.clock,
          );
  }

  /** Re-derives the overall status of the unchanged state; publishes only if the status changed. */
  refreshStatus(): void {
    if (this.deriveStatus(this.state) === this.state.status) {
      this.armStatusTimer();
      return;
    }
    this.commit(this.state, true);
  }

  get current(): AppState {
    return this.state;
  }

  addSink(sink: StateSink): void {
    this.sinks.push(sink);
  }

  /** `timeMoved`: only the clock changed (refreshStatus), so the status must be derived again. */
  private commit(next: Omit<AppState, 'version'>, timeMoved = false): void {
    // Progress lines (most commits) change nothing the status reads: keep it and its timer as they are.
    const unchanged = !timeMoved && this.state.status !== undefined && sameStatusInputs(this.state, next);
    this.state = { ...next, status: unchanged ? this.state.status : this.deriveStatus(next), version: this.state.version + 1 };
    if (!unchanged) this.armStatusTimer();
    for (const sink of this.sinks) {
      try {
        sink.publish(this.state);
      } catch {
        // A sink must never break the state path; the publisher does not throw, this is belt and braces.
      }
    }
  }

  /** Insert or replace a live operation. */
  upsertRunning(op: RunningOp): void {
    const running = this.state.running;
    const index = running.findIndex((r) => r.opId === op.opId);
    const next = index === -1 ? [...running, op] : running.map((r, i) => (i === index ? op : r));
    this.commit({ ...this.state, running: next });
  }

  /** Update progress of a live operation in place of the old entry (hot path: one array copy). */
  patchRunning(opId: number, patch: Partial<RunningOp>): void {
    const running = this.state.running;
    const index = running.findIndex((r) => r.opId === opId);
    if (index === -1) return;
    const next = running.slice();
    next[index] = { ...running[index]!, ...patch };
    this.commit({ ...this.state, running: next });
  }

  /** A finished operation leaves `running`; for a backup it becomes its plan's lastOp. */
  finishOperation(op: Operation): void {
    const running = this.state.running.filter((r) => r.opId !== op.id);
    let plans = this.state.plans;
    if (op.kind === 'backup' && op.planId !== null) {
      plans = plans.map((p) =>
        p.id === op.planId
          ? {
              ...p,
              lastOp: toLastOp(op),
              lastSuccessAt: op.status === 'success' || op.status === 'warning' ? op.endedAt : p.lastSuccessAt,
            }
          : p,
      );
    }
    // Issue 15: a restore test or check that looked at the data replaces the proof shown until now.
    const proof = op.kind === 'verify' && op.planId !== null ? lastVerifiedOf(op) : null;
    if (proof) plans = plans.map((p) => (p.id === op.planId ? { ...p, lastVerified: proof } : p));
    const check = lastCheckOf(op);
    const repos = check ? this.state.repos.map((r) => (r.id === op.repoId ? { ...r, ...check } : r)) : this.state.repos;
    this.commit({ ...this.state, running, plans, repos });
  }

  setPlans(plans: PlanState[]): void {
    this.commit({ ...this.state, plans });
  }

  setNextRuns(nextRuns: Map<string, string | null>): void {
    const plans = this.state.plans.map((p) => {
      const nextRunAt = nextRuns.get(p.id) ?? null;
      return nextRunAt === p.nextRunAt ? p : { ...p, nextRunAt };
    });
    if (plans.every((p, i) => p === this.state.plans[i])) return;
    this.commit({ ...this.state, plans });
  }

  /** The postponed scheduled runs (conditions/conditional-runs.ts), by plan id; a plan not in the map waits for nothing. */
  setPostponed(postponed: ReadonlyMap<string, NonNullable<PlanState['postponed']>>): void {
    const plans = this.state.plans.map((p) => {
      const next = postponed.get(p.id) ?? null;
      const current = p.postponed ?? null;
      return next?.reason === current?.reason && next?.since === current?.since ? p : { ...p, postponed: next };
    });
    if (plans.every((p, i) => p === this.state.plans[i])) return;
    this.commit({ ...this.state, plans });
  }

  setSlowDown(slowDown: AppState['slowDown']): void {
    if ((slowDown ?? null) === (this.state.slowDown ?? null)) return;
    this.commit({ ...this.state, slowDown });
  }

  setRepos(repos: RepoState[]): void {
    this.commit({ ...this.state, repos });
  }

  patchRepo(repoId: string, patch: Partial<RepoState>): void {
    const repos = this.state.repos.map((r) => (r.id === repoId ? { ...r, ...patch } : r));
    this.commit({ ...this.state, repos });
  }

  setRestic(restic: ResticInfo): void {
    this.commit({ ...this.state, restic });
  }

  setSettings(settings: Settings): void {
    this.commit({ ...this.state, settings });
  }

  setPausedUntil(pausedUntil: string | null): void {
    if (pausedUntil === this.state.pausedUntil) return;
    this.commit({ ...this.state, pausedUntil });
  }

  setConfigError(configError: string | null): void {
    this.commit({ ...this.state, configError });
  }

  /** Add or replace a warning by id; null message removes it. */
  setWarning(id: string, warning: AppWarning | null): void {
    const others = this.state.warnings.filter((w) => w.id !== id);
    if (warning === null && others.length === this.state.warnings.length) return;
    this.commit({ ...this.state, warnings: warning ? [...others, warning] : others });
  }
}

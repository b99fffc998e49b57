// Every read of the store goes through one of these plain functions (tested without React).
// Derived indexes are cached per state array, so applying a state stays O(1) and each index is built once.
import type { AppState, AppWarning, OverallStatus, PlanState, RepoState, RunningOp, OpStatus } from '../../../main/common/index.js';
import type { AppStoreState } from './types.js';

const NO_PLANS: PlanState[] = [];
const NO_REPOS: RepoState[] = [];
const NO_RUNNING: RunningOp[] = [];
const NO_WARNINGS: AppWarning[] = [];

export const selectAppState = (s: AppStoreState): AppState | null => s.appState;
export const selectHasState = (s: AppStoreState): boolean => s.appState !== null;
export const selectConnection = (s: AppStoreState) => s.connection;
export const selectLanguage = (s: AppStoreState) => s.language;
export const selectView = (s: AppStoreState) => s.view;
export const selectOps = (s: AppStoreState) => s.ops;
export const selectPlans = (s: AppStoreState): PlanState[] => s.appState?.plans ?? NO_PLANS;
export const selectRepos = (s: AppStoreState): RepoState[] => s.appState?.repos ?? NO_REPOS;
export const selectRunning = (s: AppStoreState): RunningOp[] => s.appState?.running ?? NO_RUNNING;
export const selectPausedUntil = (s: AppStoreState) => s.appState?.pausedUntil ?? null;
export const selectSlowDown = (s: AppStoreState) => s.appState?.slowDown ?? null;
export const selectRestic = (s: AppStoreState) => s.appState?.restic ?? null;
export const selectSettings = (s: AppStoreState) => s.appState?.settings ?? null;
export const selectWarnings = (s: AppStoreState) => s.appState?.warnings ?? NO_WARNINGS;
export const selectConfigError = (s: AppStoreState) => s.appState?.configError ?? null;

/** New array on every call: read it with useShallow. */
export const selectPlanIds = (s: AppStoreState): string[] => selectPlans(s).map((p) => p.id);
export const selectRepoIds = (s: AppStoreState): string[] => selectRepos(s).map((r) => r.id);

function cachedIndex<T, K>(key: (item: T) => K | null) {
  const cache = new WeakMap<readonly T[], Map<K, T>>();
  return (items: readonly T[]): Map<K, T> => {
    let index = cache.get(items);
    if (!index) {
      index = new Map();
      for (const item of items) {
        const k = key(item);
        // The first wins: a backup is listed before other kinds for the same plan (see runningIndexKey).
        if (k !== null && !index.has(k)) index.set(k, item);
      }
      cache.set(items, index);
    }
    return index;
  };
}

const planIndex = cachedIndex<PlanState, string>((p) => p.id);
const runningByOp = cachedIndex<RunningOp, number>((r) => r.opId);
const runningBackupByPlan = cachedIndex<RunningOp, string>((r) => (r.kind === 'backup' ? r.planId : null));

export const selectPlan = (planId: string) => (s: AppStoreState) => planIndex(selectPlans(s)).get(planId);
export const selectRunningOp = (opId: number) => (s: AppStoreState) => runningByOp(selectRunning(s)).get(opId);
/** The live backup of a plan (stalled or running before queued, as the host lists them). */
export const selectRunningBackup = (planId: string) => (s: AppStoreState) =>
  runningBackupByPlan(selectRunning(s)).get(planId);

/** Changes whenever an operation starts, ends or changes status: a cue to refresh the operations list. */
export const selectRunningKey = (s: AppStoreState): string =>
  selectRunning(s)
    .map((r) => `${r.opId}:${r.status}`)
    .join(',');

/**
 * Changes whenever the operation log gained or finished an operation as far as the state tells: a live operation
 * appeared, changed status or ended, or a plan's last operation changed. Not on progress, so it is cheap to follow.
 */
export const selectOpsChangeKey = (s: AppStoreState): string =>
  `${selectRunningKey(s)}|${selectPlans(s)
    .map((p) => (p.lastOp ? `${p.lastOp.opId}:${p.lastOp.status}` : ''))
    .join(',')}`;

/** The user clicked Cancel on this operation and the state has not confirmed it yet (see CancelSlice). */
export const selectCancelRequested = (opId: number) => (s: AppStoreState): boolean => s.cancelsRequested.has(opId);

/** A status as a badge shows it: an operation's status, or `never` for a plan that has not run yet. */
export type PlanDisplayStatus = OpStatus | 'never';

/** What a plan's badge says: the live backup if one runs, else the last result. */
export function planDisplayStatus(plan: PlanState, running: RunningOp | undefined): PlanDisplayStatus {
  if (running) return running.status;
  const last = plan.lastOp?.status;
  if (!last) return 'never';
  // A live status without a live operation: whatever ran it is gone.
  if (last === 'queued' || last === 'running' || last === 'stalled' || last === 'cancelling') return 'interrupted';
  return last;
}

/**
 * The overall status as the host derived it (main/core/state/overall-status.ts): the header shows it and does not
 * decide anything itself. Null before the first state (or from a host too old to send one).
 */
export const selectOverallStatus = (s: AppStoreState): OverallStatus | null => s.appState?.status ?? null;

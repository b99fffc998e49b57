// Every read of the store goes through one of these plain functions (tested without React).
// Derived indexes are cached per snapshot array, so applying a snapshot stays O(1) and each index is built once.
import type { AppState, AppWarning, PlanState, RepoState, RunningOp, OpStatus } from '../../../main/common/index.js';
import type { AppStoreState } from './types.js';

const NO_PLANS: PlanState[] = [];
const NO_REPOS: RepoState[] = [];
const NO_RUNNING: RunningOp[] = [];
const NO_WARNINGS: AppWarning[] = [];

export const selectSnapshot = (s: AppStoreState): AppState | null => s.snapshot;
export const selectHasSnapshot = (s: AppStoreState): boolean => s.snapshot !== null;
export const selectConnection = (s: AppStoreState) => s.connection;
export const selectLanguage = (s: AppStoreState) => s.language;
export const selectView = (s: AppStoreState) => s.view;
export const selectOps = (s: AppStoreState) => s.ops;
export const selectPlans = (s: AppStoreState): PlanState[] => s.snapshot?.plans ?? NO_PLANS;
export const selectRepos = (s: AppStoreState): RepoState[] => s.snapshot?.repos ?? NO_REPOS;
export const selectRunning = (s: AppStoreState): RunningOp[] => s.snapshot?.running ?? NO_RUNNING;
export const selectPausedUntil = (s: AppStoreState) => s.snapshot?.pausedUntil ?? null;
export const selectRestic = (s: AppStoreState) => s.snapshot?.restic ?? null;
export const selectSettings = (s: AppStoreState) => s.snapshot?.settings ?? null;
export const selectWarnings = (s: AppStoreState) => s.snapshot?.warnings ?? NO_WARNINGS;
export const selectConfigError = (s: AppStoreState) => s.snapshot?.configError ?? null;
export const selectHost = (s: AppStoreState) => s.snapshot?.host ?? null;

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
const repoIndex = cachedIndex<RepoState, string>((r) => r.id);
const runningByOp = cachedIndex<RunningOp, number>((r) => r.opId);
const runningBackupByPlan = cachedIndex<RunningOp, string>((r) => (r.kind === 'backup' ? r.planId : null));

export const selectPlan = (planId: string) => (s: AppStoreState) => planIndex(selectPlans(s)).get(planId);
export const selectRepo = (repoId: string) => (s: AppStoreState) => repoIndex(selectRepos(s)).get(repoId);
export const selectRunningOp = (opId: number) => (s: AppStoreState) => runningByOp(selectRunning(s)).get(opId);
/** The live backup of a plan (stalled or running before queued, as the host lists them). */
export const selectRunningBackup = (planId: string) => (s: AppStoreState) =>
  runningBackupByPlan(selectRunning(s)).get(planId);

/** Changes whenever an operation starts, ends or changes status: a cue to refresh the operations list. */
export const selectRunningKey = (s: AppStoreState): string =>
  selectRunning(s)
    .map((r) => `${r.opId}:${r.status}`)
    .join(',');

/** A status as a badge shows it: an operation's status, or `never` for a plan that has not run yet. */
export type PlanDisplayStatus = OpStatus | 'never';

/** What a plan's badge says: the live backup if one runs, else the last result. */
export function planDisplayStatus(plan: PlanState, running: RunningOp | undefined): PlanDisplayStatus {
  if (running) return running.status;
  const last = plan.lastOp?.status;
  if (!last) return 'never';
  if (last === 'queued' || last === 'running' || last === 'stalled') return 'interrupted';
  return last;
}

export type OverallStatus = 'unknown' | 'paused' | 'stalled' | 'running' | 'error' | 'warning' | 'ok';

/** One word for the whole app (header, tray): the most urgent thing first. */
export function overallStatus(state: AppState | null): OverallStatus {
  if (!state) return 'unknown';
  if (state.running.some((r) => r.status === 'stalled')) return 'stalled';
  if (state.running.some((r) => r.status === 'running')) return 'running';
  if (state.pausedUntil) return 'paused';
  const lastStatuses = state.plans.map((p) => p.lastOp?.status);
  if (lastStatuses.includes('error') || state.warnings.some((w) => w.level === 'error')) return 'error';
  if (lastStatuses.includes('warning') || state.warnings.length > 0) return 'warning';
  return 'ok';
}
export const selectOverallStatus = (s: AppStoreState): OverallStatus => overallStatus(s.snapshot);

// How far each mirror of a plan is behind, from the oplog alone (pure; see MirrorState in common/state.ts for what
// "behind" counts). A copy copies every snapshot of the plan the source has when it starts, so a backup that ended
// before the last successful copy started is on the mirror, and one that ended after it is not (the orchestrator
// holds the source's lock for the copy, so no backup of the plan ends while a copy runs).
import type { MirrorState, Operation, PlanState } from '../../common/index.js';
import type { MirrorConfig, PlanConfig } from '../config/schema.js';
import type { OpStore } from '../oplog/store.js';

export interface MirrorHistory {
  /** The plan's backups in its repository, any order; only those that saved a snapshot count. */
  backups: readonly Operation[];
  /** Copies of the plan to this mirror, any order. */
  copies: readonly Operation[];
}

const saved = (op: Operation) => op.status === 'success' || op.status === 'warning';
const isTerminal = (op: Operation) => op.endedAt !== null && op.status !== 'queued' && op.status !== 'running' && op.status !== 'stalled' && op.status !== 'cancelling';

function latest(ops: readonly Operation[], key: 'startedAt' | 'endedAt'): Operation | null {
  let best: Operation | null = null;
  for (const op of ops) {
    const at = op[key];
    if (at !== null && (best === null || at > best[key]!)) best = op;
  }
  return best;
}

export function deriveMirrorState(mirror: MirrorConfig, history: MirrorHistory): MirrorState {
  const lastGood = latest(history.copies.filter((op) => saved(op) && op.startedAt !== null), 'startedAt');
  const copiedUpTo = lastGood?.startedAt ?? null;
  const lacking = history.backups
    .filter((op) => saved(op) && op.endedAt !== null && (copiedUpTo === null || op.endedAt > copiedUpTo))
    .map((op) => op.endedAt!)
    .sort();
  const lastCopy = latest(history.copies.filter(isTerminal), 'endedAt');
  // The last copy that ended decides "failed" until a later one succeeds; cancelled by the user is no failure.
  const failed = lastCopy !== null && (lastCopy.status === 'error' || lastCopy.status === 'interrupted');
  return {
    repo: mirror.repo,
    behindSnapshots: lacking.length,
    behindSince: lacking[0] ?? null,
    lastCopyAt: lastGood?.endedAt ?? null,
    status: failed ? 'failed' : lacking.length > 0 ? 'behind' : 'ok',
    warnAfterDays: mirror.warnAfterDays,
    retention: mirror.retention,
    schedule: mirror.schedule,
    lastError: failed ? (lastCopy.error?.message ?? null) : null,
    lastErrorCode: failed ? (lastCopy.error?.code ?? null) : null,
  };
}

/** What the state says about every mirror of a plan, in the config's order. */
export function deriveMirrorStates(plan: Pick<PlanConfig, 'repo' | 'mirrors'>, history: (mirrorRepo: string) => MirrorHistory): MirrorState[] {
  return (plan.mirrors ?? []).map((mirror) => deriveMirrorState(mirror, history(mirror.repo)));
}

const DAY_MS = 86_400_000;

/** The mirror has lacked a snapshot for more than its warnAfterDays at `now`. */
export function isMirrorOverdue(mirror: Pick<MirrorState, 'behindSince' | 'warnAfterDays'>, now: Date): boolean {
  return mirror.behindSince !== null && now.getTime() - Date.parse(mirror.behindSince) > mirror.warnAfterDays * DAY_MS;
}

/** When the mirror becomes overdue (ms since the epoch), or null when it lacks nothing. */
export function mirrorOverdueAt(mirror: Pick<MirrorState, 'behindSince' | 'warnAfterDays'>): number | null {
  return mirror.behindSince === null ? null : Date.parse(mirror.behindSince) + mirror.warnAfterDays * DAY_MS + 1;
}

/** How many of a plan's operations are read per mirror: a mirror this far behind says "1000 behind" (at least). */
const HISTORY_LIMIT = 1000;

/** The oplog's part of a mirror's history: the plan's backups in its repository, and its copies to the mirror. */
export function readMirrorHistory(store: Pick<OpStore, 'list'>, plan: Pick<PlanConfig, 'id' | 'repo'>, mirrorRepo: string): MirrorHistory {
  const copies = store.list({ planId: plan.id, kind: 'copy', repoId: mirrorRepo, limit: HISTORY_LIMIT });
  const lastGood = copies.find((op) => saved(op) && op.startedAt !== null);
  // Newest first: stop at the last successful copy's start, before which every backup is on the mirror.
  const backups: Operation[] = [];
  for (const op of store.list({ planId: plan.id, kind: 'backup', repoId: plan.repo, limit: HISTORY_LIMIT })) {
    if (lastGood && op.endedAt !== null && op.endedAt <= lastGood.startedAt!) break;
    backups.push(op);
  }
  return { backups, copies };
}

/** The plans' states with their mirrors' lag as the oplog has it now. Plans without mirrors are returned as they are. */
export function withMirrorStates(states: readonly PlanState[], plans: readonly PlanConfig[], store: Pick<OpStore, 'list'>): PlanState[] {
  return states.map((state) => {
    const plan = plans.find((p) => p.id === state.id);
    if (!plan || (!plan.mirrors?.length && !state.mirrors?.length)) return state;
    return { ...state, mirrors: deriveMirrorStates(plan, (repo) => readMirrorHistory(store, plan, repo)) };
  });
}

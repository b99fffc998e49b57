// The one overall status of a Backstay process: a pure function of the state (and the time), so the window
// header, the tray icon and tooltip, notifications and /metrics can never disagree about whether backups are fine.
//
// Every condition that matters becomes a reason with a level; the overall level is the most urgent reason's.
// Precedence, most urgent first (and why):
//   error       something is broken and needs the user: config unreadable, restic missing, a repository failing,
//               the last backup of a plan failed or was interrupted, an app error (the oplog cannot be written),
//               the last restore test of a plan or the last check of a repository found damage.
//   stalled     a live restic that makes no progress: the user must decide now (cancel or keep waiting).
//   cancelling  the user asked to stop and restic has not ended yet: no other word may claim it is running or done.
//   warning     it works but needs a look: the last backup of a plan saved a snapshot with unreadable files, a
//               scheduled plan had no success in settings.noSuccessWarnDays, a repository is locked, app warnings.
//   running     work in progress (queued and waiting-for-the-backend included); ranks below problems, because a
//               running backup does not fix a failed one.
//   setup       nothing to back up yet (no repository, or no plan): the honest word for an empty install.
//   paused      schedules are paused; only worth the header when nothing else is going on.
//   postponed   a plan's scheduled run waits for its conditions (on battery, metered, drive missing, ...; issue 16).
//               Below every problem: a run held back is not broken (when it waits too long, `overdue` says so as a
//               warning). Below running: something does run, and "Backing up Home" is the news. Below setup: there
//               is nothing to set up once a plan exists. Below paused: a pause holds every scheduled run, the
//               postponed one too (the scheduler skips slots while paused and the conditions are not looked at
//               again until the pause ends), so "postponed: on battery" would send the user to the charger when
//               it is Resume that lets it run; the postponed reason stays in the list. Above ok: a plan whose
//               backup is held back is not "all backups ok" with nothing to say.
//   ok          none of the above: every plan's last backup succeeded (or none ran yet) and nothing runs.
// All reasons are kept, most urgent first (ties keep the order of the state: config, restic, repos, plans,
// running, warnings), so a UI can list them and take the first as "the main reason".
import { isMirrorOverdue, mirrorOverdueAt } from './mirror-lag.js';
import { isLiveStatus, type AppState, type OverallStatus, type PlanState, type RunningOp, type StatusLevel, type StatusReason } from '../../common/index.js';

export type StatusInput = Pick<AppState, 'running' | 'plans' | 'repos' | 'restic' | 'pausedUntil' | 'warnings' | 'settings' | 'configError'>;

export const LEVEL_PRECEDENCE: readonly StatusLevel[] = ['error', 'stalled', 'cancelling', 'warning', 'running', 'setup', 'paused', 'postponed', 'ok'];

export const REASON_LEVELS = {
  'config-error': 'error',
  'restic-missing': 'error',
  'repo-error': 'error',
  'last-error': 'error',
  'last-interrupted': 'error',
  'app-error': 'error',
  'verify-failed': 'error',
  'check-failed': 'error',
  stalled: 'stalled',
  cancelling: 'cancelling',
  'repo-locked': 'warning',
  /** A configured repository with nothing at its location yet (NO_REPOSITORY): one step of setting up. A plan that
   *  failed because of it is its own `last-error`, so a repository that went missing under a plan stays an error. */
  'repo-missing': 'setup',
  'last-warning': 'warning',
  overdue: 'warning',
  /** A plan's mirror has lacked a snapshot for more than its warnAfterDays (repoId: the mirror; since: the oldest). */
  'mirror-behind': 'warning',
  /** The last copy to a plan's mirror failed (repoId: the mirror). */
  'mirror-failed': 'warning',
  'app-warning': 'warning',
  running: 'running',
  waiting: 'running',
  queued: 'running',
  'no-repos': 'setup',
  'no-plans': 'setup',
  paused: 'paused',
  /** A plan's scheduled run waits for its conditions (planId; condition: which one; since: since when). */
  postponed: 'postponed',
} as const satisfies Record<string, StatusLevel>;
export type StatusReasonKind = keyof typeof REASON_LEVELS;

const DAY_MS = 86_400_000;

function reason(kind: StatusReasonKind, fields: Omit<StatusReason, 'kind'> = {}): StatusReason {
  const out: StatusReason = { kind };
  for (const [key, value] of Object.entries(fields) as [keyof Omit<StatusReason, 'kind'>, unknown][]) {
    if (value !== undefined && value !== null) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

export function levelOfReason(r: Pick<StatusReason, 'kind'>): StatusLevel {
  return (REASON_LEVELS as Record<string, StatusLevel>)[r.kind] ?? 'warning';
}

/** Schedules count as paused while `pausedUntil` is "forever" or still in the future. */
export function isPaused(pausedUntil: string | null, now: Date): boolean {
  if (!pausedUntil) return false;
  if (pausedUntil === 'forever') return true;
  return Date.parse(pausedUntil) > now.getTime();
}

/** Days without a success after which a plan is overdue; null when the warning is off. */
function overdueDays(settings: StatusInput['settings']): number | null {
  const days = settings.noSuccessWarnDays;
  return typeof days === 'number' && Number.isFinite(days) && days > 0 ? days : null;
}

/**
 * A plan is overdue when its last success is older than the setting, or when it ran and never succeeded. Manual
 * plans count too: the engine's "no successful backup in N days" reminder covers them (a plan run by hand is the
 * one most easily forgotten), and the header must not say OK while the dashboard lists that reminder. A plan that
 * never ran is not overdue (it may have been created a minute ago).
 */
function isOverdue(plan: PlanState, days: number, now: Date): boolean {
  if (plan.lastSuccessAt === null) return plan.lastOp !== null && !isLiveStatus(plan.lastOp.status);
  return now.getTime() - Date.parse(plan.lastSuccessAt) > days * DAY_MS;
}

function runningReason(op: RunningOp): StatusReason {
  const ids = { opId: op.opId, planId: op.planId ?? undefined, repoId: op.repoId };
  switch (op.status) {
    case 'stalled':
      return reason('stalled', { ...ids, since: op.stalledSince ?? op.stall?.since ?? undefined });
    case 'cancelling':
      return reason('cancelling', { ...ids, since: op.cancel?.requestedAt ?? undefined });
    case 'queued':
      return reason('queued', { ...ids, since: op.createdAt });
    default:
      return op.waitingSince ? reason('waiting', { ...ids, since: op.waitingSince }) : reason('running', { ...ids, since: op.startedAt ?? undefined });
  }
}

function collectReasons(state: StatusInput, now: Date): StatusReason[] {
  const reasons: StatusReason[] = [];
  if (state.configError) reasons.push(reason('config-error'));
  if (state.restic.error) reasons.push(reason('restic-missing'));

  for (const repo of state.repos) {
    if (repo.health === 'error') reasons.push(reason(repo.lastErrorCode === 'NO_REPOSITORY' ? 'repo-missing' : 'repo-error', { repoId: repo.id }));
    else if (repo.health === 'locked') reasons.push(reason('repo-locked', { repoId: repo.id }));
    // Until a later check passes (issue 15).
    if (repo.lastCheckOk === false) reasons.push(reason('check-failed', { repoId: repo.id, since: repo.lastCheckedAt ?? undefined }));
  }

  const days = overdueDays(state.settings);
  for (const plan of state.plans) {
    const last = plan.lastOp;
    const ids = { planId: plan.id, repoId: plan.repoId };
    if (last) {
      const at = { ...ids, opId: last.opId, since: last.endedAt ?? last.startedAt ?? undefined };
      // The last backup decides until a later one replaces it: a success clears an earlier failure.
      if (last.status === 'error') reasons.push(reason('last-error', at));
      else if (last.status === 'interrupted') reasons.push(reason('last-interrupted', at));
      else if (last.status === 'warning') reasons.push(reason('last-warning', at));
    }
    if (days !== null && isOverdue(plan, days, now)) reasons.push(reason('overdue', { ...ids, since: plan.lastSuccessAt ?? undefined }));
    // A failed restore test stays until a later one passes (issue 15).
    const proof = plan.lastVerified;
    if (proof && !proof.ok) reasons.push(reason('verify-failed', { ...ids, opId: proof.opId, since: proof.at }));
    for (const mirror of plan.mirrors ?? []) {
      if (mirror.status === 'failed') reasons.push(reason('mirror-failed', { planId: plan.id, repoId: mirror.repo }));
      if (isMirrorOverdue(mirror, now)) reasons.push(reason('mirror-behind', { planId: plan.id, repoId: mirror.repo, since: mirror.behindSince ?? undefined }));
    }
    if (plan.postponed) reasons.push(reason('postponed', { ...ids, since: plan.postponed.since, condition: plan.postponed.reason }));
  }

  for (const op of state.running) reasons.push(runningReason(op));

  for (const warning of state.warnings) {
    // The engine's own no-success warnings: overdue is decided here (against `now`), so they are not counted twice.
    if (warning.kind === 'no-success') continue;
    reasons.push(reason(warning.level === 'error' ? 'app-error' : 'app-warning', { warningId: warning.id, planId: warning.planId ?? undefined, opId: warning.opId ?? undefined }));
  }

  // An unreadable config leaves the lists empty; "set up your first backup" would send the user the wrong way.
  if (!state.configError) {
    if (state.repos.length === 0) reasons.push(reason('no-repos'));
    if (state.plans.length === 0) reasons.push(reason('no-plans'));
  }
  if (isPaused(state.pausedUntil, now)) reasons.push(reason('paused'));
  return reasons;
}

/** The overall status: the most urgent level among all reasons, and every reason, most urgent first. */
export function deriveOverallStatus(state: StatusInput, now: Date): OverallStatus {
  const rank = (r: StatusReason) => LEVEL_PRECEDENCE.indexOf(levelOfReason(r));
  const reasons = collectReasons(state, now)
    .map((r, i) => ({ r, i, rank: rank(r) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.r);
  return { level: reasons.length > 0 ? levelOfReason(reasons[0]!) : 'ok', reasons };
}

/**
 * The next moment at which the status changes by time alone (a pause ends, a scheduled plan becomes overdue),
 * as ms since the epoch; null when nothing is due. The state store re-derives then, so an idle host still turns
 * "ok" into "overdue" on time.
 */
export function nextStatusChangeAt(state: StatusInput, now: Date): number | null {
  const t = now.getTime();
  let next: number | null = null;
  const consider = (at: number) => {
    if (Number.isFinite(at) && at > t && (next === null || at < next)) next = at;
  };
  if (state.pausedUntil && state.pausedUntil !== 'forever') consider(Date.parse(state.pausedUntil));
  const days = overdueDays(state.settings);
  if (days !== null) {
    for (const plan of state.plans) {
      // Overdue once strictly more than `days` have passed: the first millisecond after the boundary.
      if (plan.schedule !== null && plan.lastSuccessAt) consider(Date.parse(plan.lastSuccessAt) + days * DAY_MS + 1);
    }
  }
  for (const plan of state.plans) for (const mirror of plan.mirrors ?? []) consider(mirrorOverdueAt(mirror) ?? Number.NaN);
  return next;
}

/** Same level and same reasons in the same order: lets the store keep the previous object (cheap equality downstream). */
export function sameOverallStatus(a: OverallStatus | undefined, b: OverallStatus): boolean {
  if (!a || a.level !== b.level || a.reasons.length !== b.reasons.length) return false;
  return a.reasons.every((r, i) => {
    const o = b.reasons[i]!;
    return (
      r.kind === o.kind &&
      r.planId === o.planId &&
      r.repoId === o.repoId &&
      r.opId === o.opId &&
      r.since === o.since &&
      r.warningId === o.warningId &&
      r.condition === o.condition
    );
  });
}

/**
 * True when nothing the status reads differs between two states (the same lists, and live operations equal in
 * everything but their progress). The store then keeps the status it has: a progress line, the hot path, costs a
 * few comparisons instead of a derivation.
 */
export function sameStatusInputs(a: StatusInput, b: StatusInput): boolean {
  if (
    a.plans !== b.plans ||
    a.repos !== b.repos ||
    a.warnings !== b.warnings ||
    a.settings !== b.settings ||
    a.restic !== b.restic ||
    a.configError !== b.configError ||
    a.pausedUntil !== b.pausedUntil ||
    a.running.length !== b.running.length
  ) {
    return false;
  }
  return a.running.every((x, i) => {
    const y = b.running[i]!;
    return (
      x === y ||
      (x.opId === y.opId &&
        x.status === y.status &&
        x.planId === y.planId &&
        x.repoId === y.repoId &&
        x.kind === y.kind &&
        x.createdAt === y.createdAt &&
        x.startedAt === y.startedAt &&
        x.stalledSince === y.stalledSince &&
        x.stall?.since === y.stall?.since &&
        (x.waitingSince ?? null) === (y.waitingSince ?? null) &&
        x.cancel?.requestedAt === y.cancel?.requestedAt)
    );
  });
}

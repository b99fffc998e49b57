// The tray as a pure function of the state: icon, tooltip, status line and menu. The Electron Tray code only
// renders what this returns, so everything a person sees in the tray is decided (and tested) here.
import type { AppState, OverallStatus, PlanState, RunningOp, StatusReason } from '../../common/index.js';
import { deriveOverallStatus, isPaused as pausedAt, levelOfReason } from '../../core/state/overall-status.js';
import { formatAge, formatBytes, formatClock, formatDay, formatDuration, formatPercent } from './format.js';
import { strings, type Lang, type Strings } from './i18n.js';
import { TRAY_ICON_BY_LEVEL, type TrayIcon } from './tray-icons.js';

export type { TrayIcon };

/** What a menu item does when clicked; the host turns these into RPC calls or window actions. */
export type TrayAction =
  | { action: 'backup'; planId: string }
  | { action: 'cancel'; opId: number }
  | { action: 'keepWaiting'; opId: number }
  | { action: 'pause'; until: string | null }
  | { action: 'resume' }
  | { action: 'slowDown'; minutes: number }
  | { action: 'fullSpeed' }
  | { action: 'open'; planId?: string; opId?: number }
  | { action: 'quit' };

export type MenuItemModel =
  | { type: 'separator' }
  | { type: 'item'; label: string; enabled: boolean; action: TrayAction | null; submenu?: MenuItemModel[] };

export interface TrayModel {
  /** The overall status this model shows (the same function decides the window header and /metrics). */
  status: OverallStatus;
  icon: TrayIcon;
  tooltip: string;
  statusLine: string;
  items: MenuItemModel[];
}

const HOUR_MS = 3_600_000;
const LIVE_REASONS = new Set(['stalled', 'cancelling', 'running', 'waiting', 'queued']);

/** Schedules count as paused while `pausedUntil` is "forever" or still in the future. */
export function isPaused(state: Pick<AppState, 'pausedUntil'>, now: Date): boolean {
  return pausedAt(state.pausedUntil, now);
}

/** Local midnight that starts the next day: "until tomorrow" means the rest of today. */
export function startOfTomorrow(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 0, 0);
}

export function planName(plan: Pick<PlanState, 'id'> & { name?: unknown }): string {
  return typeof plan.name === 'string' && plan.name ? plan.name : plan.id;
}

/** How an operation is named: a backup by its plan ("Home"), other work by kind and target ("Prune nas"). */
export function opTitle(op: Pick<RunningOp, 'planId' | 'kind' | 'repoId'>, state: Pick<AppState, 'plans'>, lang: Lang): string {
  const t = strings(lang);
  const plan = op.planId ? state.plans.find((p) => p.id === op.planId) : undefined;
  const target = plan ? planName(plan) : (op.planId ?? op.repoId);
  return op.kind === 'backup' ? target : t.working(t.kind[op.kind] ?? op.kind, target);
}

function runningLine(op: RunningOp, state: AppState, lang: Lang, t: Strings): string {
  const name = opTitle(op, state, lang);
  const base = op.kind === 'backup' ? t.backingUp(name) : name;
  const parts: string[] = [];
  const p = op.progress;
  if (p?.percent !== undefined) parts.push(formatPercent(p.percent));
  if (op.waitingSince) parts.push(t.waitingBackend);
  else if (p?.etaSeconds != null && p.etaSeconds > 0) parts.push(t.eta(formatDuration(p.etaSeconds * 1000, lang)));
  return parts.length ? `${base} - ${parts.join(', ')}` : base;
}

function pausedLine(state: AppState, now: Date, lang: Lang, t: Strings): string {
  return state.pausedUntil === 'forever' ? t.pausedForever : t.pausedUntil(formatClock(state.pausedUntil!, now, lang));
}

/** Whole days since `since`, at least 1 (a mirror past its threshold is at least a day behind). */
export function mirrorDaysBehind(since: string, now: Date): number {
  return Math.max(1, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000));
}

/** One reason in words, as the first line of the tray menu and the tooltip say it. */
export function reasonLine(r: StatusReason, state: AppState, now: Date, lang: Lang): string {
  const t = strings(lang);
  const plan = r.planId ? state.plans.find((p) => p.id === r.planId) : undefined;
  const name = plan ? planName(plan) : (r.planId ?? r.repoId ?? '');
  const op = r.opId !== undefined ? state.running.find((o) => o.opId === r.opId) : undefined;
  switch (r.kind) {
    case 'config-error':
      return t.configInvalid;
    case 'restic-missing':
      return t.resticMissing;
    case 'repo-error':
      return t.repoError(r.repoId!, state.repos.find((x) => x.id === r.repoId)?.lastError ?? null);
    case 'repo-locked':
      return t.repoLocked(r.repoId!);
    case 'repo-missing':
      return t.repoMissing(r.repoId!);
    case 'last-error':
      return t.failed(name);
    case 'last-interrupted':
      return t.interruptedLine(name);
    case 'last-warning':
      return t.withWarnings(name);
    case 'overdue':
      return r.since ? t.overdueSince(name, formatDay(r.since, lang)) : t.overdueNever(name);
    case 'mirror-behind':
      return t.mirrorBehindDays(name, r.repoId ?? '', mirrorDaysBehind(r.since ?? now.toISOString(), now));
    case 'mirror-failed':
      return t.mirrorFailed(name, r.repoId ?? '');
    case 'verify-failed':
      return t.verifyFailed(name);
    case 'check-failed':
      return t.checkFailed(r.repoId ?? '');
    case 'app-error':
    case 'app-warning':
      return state.warnings.find((w) => w.id === r.warningId)?.message ?? t.configInvalid;
    case 'stalled':
      return op ? t.stalledSince(opTitle(op, state, lang), formatClock(r.since ?? now.toISOString(), now, lang)) : t.stalled;
    case 'cancelling':
      return t.cancellingOp(op ? opTitle(op, state, lang) : name);
    case 'running':
    case 'waiting':
      return op ? runningLine(op, state, lang, t) : t.running;
    case 'queued':
      return t.queuedOne(op ? opTitle(op, state, lang) : name);
    case 'no-repos':
    case 'no-plans':
      return t.setUp;
    case 'paused':
      return pausedLine(state, now, lang, t);
    case 'postponed':
      // "Home postponed since 14:03: on battery": which plan, since when, and why (the condition it waits for).
      return t.postponedSince(name, formatClock(r.since ?? now.toISOString(), now, lang), t.postponeReason[r.condition ?? ''] ?? r.condition ?? '');
    default:
      return r.kind;
  }
}

/** The main reason in words, with how many more there are of the same level ("+1 more"). */
export function statusLine(state: AppState, now: Date, lang: Lang, status: OverallStatus = deriveOverallStatus(state, now)): string {
  const t = strings(lang);
  const main = status.reasons[0];
  if (!main) return t.allOk;
  const line = reasonLine(main, state, now, lang);
  if (LIVE_REASONS.has(main.kind)) {
    // Operations are counted as operations, whatever their state: "Backing up Home (+1 more)".
    return state.running.length > 1 ? `${line} ${t.moreRunning(state.running.length - 1)}` : line;
  }
  if (status.level === 'setup') return line; // "no repository" and "no plan" are one thing to do
  const others = status.reasons.filter((r) => r !== main && levelOfReason(r) === status.level).length;
  return others > 0 ? `${line} ${t.moreProblems(others)}` : line;
}

function lastBackupAt(state: AppState): string | null {
  let best: string | null = null;
  for (const plan of state.plans) {
    const at = plan.lastSuccessAt;
    if (at && (!best || Date.parse(at) > Date.parse(best))) best = at;
  }
  return best;
}

function tooltip(state: AppState, status: OverallStatus, now: Date, lang: Lang, line: string): string {
  const t = strings(lang);
  const lines = [t.appName, line];
  if (state.running.length === 0) {
    const last = lastBackupAt(state);
    if (last) lines.push(t.lastBackup(formatAge(last, now, lang)));
  }
  // Each mirror that lacks snapshots (issue 15), whether or not it is past its threshold yet.
  for (const plan of state.plans) {
    for (const m of plan.mirrors ?? []) if (m.behindSnapshots > 0) lines.push(t.mirrorLacks(planName(plan), m.repo, m.behindSnapshots));
  }
  // Last proven restorable (issue 15); a failed test is a reason of the status, said in the status line.
  for (const plan of state.plans) {
    const proof = plan.lastVerified;
    if (proof?.ok) lines.push(t.provenRestorable(planName(plan), formatAge(proof.at, now, lang), proof.files, formatBytes(proof.bytes)));
  }
  // Paused is worth knowing even when something more urgent owns the status line.
  if (status.level !== 'paused' && status.reasons.some((r) => r.kind === 'paused')) lines.push(pausedLine(state, now, lang, t));
  // So is every held-back plan (the status line says at most one of them).
  for (const r of status.reasons) if (r.kind === 'postponed' && r !== status.reasons[0]) lines.push(reasonLine(r, state, now, lang));
  return lines.join('\n');
}

function opActions(op: RunningOp, t: Strings): MenuItemModel[] {
  // Cancelling: asked once, nothing more to click until restic has ended.
  if (op.status === 'cancelling') return [{ type: 'item', label: t.cancelling, enabled: false, action: null }];
  const cancel: MenuItemModel = { type: 'item', label: t.cancel, enabled: true, action: { action: 'cancel', opId: op.opId } };
  if (op.status !== 'stalled') return [cancel];
  return [cancel, { type: 'item', label: t.keepWaiting, enabled: true, action: { action: 'keepWaiting', opId: op.opId } }];
}

function runningLabel(op: RunningOp, t: Strings): string {
  if (op.status === 'stalled') return t.stalled;
  if (op.status === 'cancelling') return t.cancelling;
  if (op.status === 'queued') return t.queued;
  const pct = op.progress?.percent;
  return pct !== undefined ? `${t.running} ${formatPercent(pct)}` : t.running;
}

function planItem(plan: PlanState, state: AppState, now: Date, lang: Lang, t: Strings): MenuItemModel {
  const name = planName(plan);
  const op = state.running.find((r) => r.planId === plan.id && r.kind === 'backup');
  if (op) return { type: 'item', label: `${name} - ${runningLabel(op, t)}`, enabled: true, action: null, submenu: opActions(op, t) };
  const last = plan.lastOp;
  let result = t.never;
  if (last) {
    const word = ({ success: t.ok, warning: t.warning, error: t.error, cancelled: t.cancelled, interrupted: t.interrupted } as Record<string, string>)[last.status];
    const at = last.endedAt ?? last.startedAt;
    result = word ? (at ? `${word} ${formatAge(at, now, lang)}` : word) : last.status;
  }
  // A scheduled run waiting for its conditions (issue 16): the window says why; the tray says that it waits.
  if (plan.postponed) result = `${result}, ${t.postponed} ${formatClock(plan.postponed.since, now, lang)}`;
  return {
    type: 'item',
    label: `${name} - ${result}`,
    enabled: true,
    action: null,
    submenu: [{ type: 'item', label: t.backUpNow, enabled: true, action: { action: 'backup', planId: plan.id } }],
  };
}

function pauseItem(state: AppState, now: Date, lang: Lang, t: Strings): MenuItemModel {
  if (isPaused(state, now)) {
    const until = state.pausedUntil === 'forever' ? t.pausedForever : t.pausedUntil(formatClock(state.pausedUntil!, now, lang));
    return {
      type: 'item',
      label: t.pauseSchedules,
      enabled: true,
      action: null,
      submenu: [
        { type: 'item', label: until, enabled: false, action: null },
        { type: 'item', label: t.resume, enabled: true, action: { action: 'resume' } },
      ],
    };
  }
  return {
    type: 'item',
    label: t.pauseSchedules,
    enabled: true,
    action: null,
    submenu: [
      { type: 'item', label: t.forOneHour, enabled: true, action: { action: 'pause', until: new Date(now.getTime() + HOUR_MS).toISOString() } },
      { type: 'item', label: t.untilTomorrow, enabled: true, action: { action: 'pause', until: startOfTomorrow(now).toISOString() } },
      { type: 'item', label: t.untilResumed, enabled: true, action: { action: 'pause', until: null } },
    ],
  };
}

/** "Slow down backups for 1 hour", or "Full speed" while slowed down (issue 16). */
function speedItem(state: AppState, now: Date, lang: Lang, t: Strings): MenuItemModel {
  const until = state.slowDown?.until;
  if (until && Date.parse(until) > now.getTime()) {
    return { type: 'item', label: t.fullSpeed(formatClock(until, now, lang)), enabled: true, action: { action: 'fullSpeed' } };
  }
  return { type: 'item', label: t.slowDownHour, enabled: true, action: { action: 'slowDown', minutes: 60 } };
}

export function trayModel(state: AppState, now: Date, lang: Lang): TrayModel {
  const t = strings(lang);
  // Derived here rather than read from state.status: the tray re-renders on a timer, and "now" moves on.
  const status = deriveOverallStatus(state, now);
  const line = statusLine(state, now, lang, status);
  const items: MenuItemModel[] = [{ type: 'item', label: `${t.appName} - ${line}`, enabled: false, action: null }, { type: 'separator' }];

  for (const plan of state.plans) items.push(planItem(plan, state, now, lang, t));
  // Work that belongs to no plan (prune, check, restore, ...) or to a plan the config no longer has.
  for (const op of state.running) {
    const shownWithPlan = op.kind === 'backup' && op.planId && state.plans.some((p) => p.id === op.planId);
    if (shownWithPlan) continue;
    items.push({ type: 'item', label: `${opTitle(op, state, lang)} - ${runningLabel(op, t)}`, enabled: true, action: null, submenu: opActions(op, t) });
  }
  if (state.plans.length === 0 && state.running.length === 0) {
    items.push({ type: 'item', label: t.noPlans, enabled: false, action: null });
  }

  items.push({ type: 'separator' }, pauseItem(state, now, lang, t), speedItem(state, now, lang, t));
  items.push({ type: 'item', label: t.open, enabled: true, action: { action: 'open' } });
  items.push({ type: 'item', label: t.quit, enabled: true, action: { action: 'quit' } });
  return { status, icon: TRAY_ICON_BY_LEVEL[status.level], tooltip: tooltip(state, status, now, lang, line), statusLine: line, items };
}

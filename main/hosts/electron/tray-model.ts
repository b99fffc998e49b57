// The tray as a pure function of the state: icon, tooltip, status line and menu. The Electron Tray code only
// renders what this returns, so everything a person sees in the tray is decided (and tested) here.
import type { AppState, PlanState, RunningOp } from '../../common/index.js';
import { formatAge, formatClock, formatDuration, formatPercent } from './format.js';
import { strings, type Lang, type Strings } from './i18n.js';

export type TrayIcon = 'idle' | 'running' | 'stalled' | 'error' | 'paused' | 'warning';

/** What a menu item does when clicked; the host turns these into RPC calls or window actions. */
export type TrayAction =
  | { action: 'backup'; planId: string }
  | { action: 'cancel'; opId: number }
  | { action: 'keepWaiting'; opId: number }
  | { action: 'pause'; until: string | null }
  | { action: 'resume' }
  | { action: 'open'; planId?: string; opId?: number }
  | { action: 'quit' };

export type MenuItemModel =
  | { type: 'separator' }
  | { type: 'item'; label: string; enabled: boolean; action: TrayAction | null; submenu?: MenuItemModel[] };

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  statusLine: string;
  items: MenuItemModel[];
}

const HOUR_MS = 3_600_000;

/** Schedules count as paused while `pausedUntil` is "forever" or still in the future. */
export function isPaused(state: AppState, now: Date): boolean {
  const until = state.pausedUntil;
  if (!until) return false;
  if (until === 'forever') return true;
  return Date.parse(until) > now.getTime();
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

function failedPlans(state: AppState): PlanState[] {
  return state.plans.filter((p) => p.lastOp && (p.lastOp.status === 'error' || p.lastOp.status === 'interrupted'));
}

function warnedPlans(state: AppState): PlanState[] {
  return state.plans.filter((p) => p.lastOp?.status === 'warning');
}

/** Most urgent first: something stuck now, then work in progress, then what needs attention, then quiet states. */
export function trayIcon(state: AppState, now: Date): TrayIcon {
  if (state.running.some((r) => r.status === 'stalled')) return 'stalled';
  if (state.running.some((r) => r.status === 'running')) return 'running';
  if (state.configError || state.restic.error) return 'error';
  if (failedPlans(state).length > 0 || state.warnings.some((w) => w.level === 'error')) return 'error';
  if (isPaused(state, now)) return 'paused';
  if (warnedPlans(state).length > 0 || state.warnings.length > 0) return 'warning';
  if (state.running.length > 0) return 'running'; // only queued work: show that something is about to happen
  return 'idle';
}

function runningLine(op: RunningOp, state: AppState, lang: Lang, t: Strings): string {
  const name = opTitle(op, state, lang);
  const base = op.kind === 'backup' ? t.backingUp(name) : name;
  const parts: string[] = [];
  const p = op.progress;
  if (p?.percent !== undefined) parts.push(formatPercent(p.percent));
  if (p?.etaSeconds != null && p.etaSeconds > 0) parts.push(t.eta(formatDuration(p.etaSeconds * 1000, lang)));
  return parts.length ? `${base} - ${parts.join(', ')}` : base;
}

export function statusLine(state: AppState, now: Date, lang: Lang): string {
  const t = strings(lang);
  const stalled = state.running.filter((r) => r.status === 'stalled');
  const active = state.running.filter((r) => r.status === 'running');
  const more = (n: number) => (n > 0 ? ` ${t.moreRunning(n)}` : '');
  if (stalled.length > 0) {
    const op = stalled[0]!;
    const since = op.stalledSince ?? op.stall?.since ?? now.toISOString();
    return t.stalledSince(opTitle(op, state, lang), formatClock(since, now, lang)) + more(state.running.length - 1);
  }
  if (active.length > 0) return runningLine(active[0]!, state, lang, t) + more(state.running.length - 1);
  if (state.restic.error) return t.resticMissing;
  if (state.configError) return t.configInvalid;
  const failed = failedPlans(state);
  const errorWarnings = state.warnings.filter((w) => w.level === 'error');
  if (failed.length + errorWarnings.length > 1) return t.plansNeedAttention(failed.length + errorWarnings.length);
  if (failed.length === 1) {
    const plan = failed[0]!;
    return plan.lastOp!.status === 'interrupted' ? t.interruptedLine(planName(plan)) : t.failed(planName(plan));
  }
  if (errorWarnings.length === 1) return errorWarnings[0]!.message;
  if (isPaused(state, now)) {
    return state.pausedUntil === 'forever' ? t.pausedForever : t.pausedUntil(formatClock(state.pausedUntil!, now, lang));
  }
  const warned = warnedPlans(state);
  if (warned.length > 0) return t.withWarnings(warned.map(planName).join(', '));
  if (state.warnings.length > 0) return state.warnings[0]!.message;
  if (state.running.length > 0) return t.queuedOne(opTitle(state.running[0]!, state, lang));
  if (state.plans.length === 0) return t.noPlans;
  return t.allOk;
}

function lastBackupAt(state: AppState): string | null {
  let best: string | null = null;
  for (const plan of state.plans) {
    const at = plan.lastSuccessAt;
    if (at && (!best || Date.parse(at) > Date.parse(best))) best = at;
  }
  return best;
}

function tooltip(state: AppState, now: Date, lang: Lang, line: string): string {
  const t = strings(lang);
  const lines = [t.appName, line];
  if (state.running.length === 0) {
    const last = lastBackupAt(state);
    if (last) lines.push(t.lastBackup(formatAge(last, now, lang)));
  }
  // Paused is worth knowing even when something more urgent owns the status line.
  if (isPaused(state, now) && !line.includes(t.pausedForever)) {
    lines.push(state.pausedUntil === 'forever' ? t.pausedForever : t.pausedUntil(formatClock(state.pausedUntil!, now, lang)));
  }
  return lines.join('\n');
}

function opActions(op: RunningOp, t: Strings): MenuItemModel[] {
  const cancel: MenuItemModel = { type: 'item', label: t.cancel, enabled: true, action: { action: 'cancel', opId: op.opId } };
  if (op.status !== 'stalled') return [cancel];
  return [cancel, { type: 'item', label: t.keepWaiting, enabled: true, action: { action: 'keepWaiting', opId: op.opId } }];
}

function runningLabel(op: RunningOp, t: Strings): string {
  if (op.status === 'stalled') return t.stalled;
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

export function trayModel(state: AppState, now: Date, lang: Lang): TrayModel {
  const t = strings(lang);
  const line = statusLine(state, now, lang);
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

  items.push({ type: 'separator' }, pauseItem(state, now, lang, t));
  items.push({ type: 'item', label: t.open, enabled: true, action: { action: 'open' } });
  items.push({ type: 'item', label: t.quit, enabled: true, action: { action: 'quit' } });
  return { icon: trayIcon(state, now), tooltip: tooltip(state, now, lang, line), statusLine: line, items };
}

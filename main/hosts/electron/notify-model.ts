// Which OS notifications to show or withdraw, as a pure function of state changes. The Electron Notification
// code only shows what this returns and keeps a reference until the notification closes.
import type { AppState, LastOp, MirrorState, OverallStatus, PlanState, RepoState, RunningOp } from '../../common/index.js';
import { isTerminalStatus } from '../../common/index.js';
import { deriveOverallStatus } from '../../core/state/overall-status.js';
import { formatBytes, formatClock, formatDay, formatDuration } from './format.js';
import { strings, type Lang } from './i18n.js';
import { mirrorDaysBehind, opTitle, planName, type TrayAction } from './tray-model.js';

export interface NotificationAction {
  label: string;
  action: TrayAction;
}

/**
 * What a notification tells of: the end of a run, a stall, a stalled run moving again, an overdue plan, a bad
 * repository (all decided here), or, from the Electron host itself, the "still in the tray" hint and a failed tray action.
 */
export type NotificationKind =
  | 'result'
  | 'stall'
  | 'resumed'
  | 'no-success'
  | 'repo-error'
  | 'mirror-behind'
  | 'verify-failed'
  | 'check-failed'
  | 'postponed'
  | 'tray-hint'
  | 'action-failed';

export interface NotificationModel {
  /** Stable key: "result:<opId>", "stall:<opId>", "resumed:<opId>", "no-success:<planId>", "repo-error:<repoId>". Used to withdraw; not to be parsed: read `kind`. */
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  urgency: 'low' | 'normal' | 'critical';
  /** Buttons, where the OS supports them; otherwise `click` is what a click does. */
  actions: NotificationAction[];
  click: TrayAction;
}

/**
 * The buttons to give the OS notification on this platform. Electron shows `actions` of type "button" on macOS
 * and Windows (its NotificationAction docs: Windows shows each with its text; macOS the first as the main button and
 * the rest on hover, and only for a signed app with the alert style) and on Linux none (libnotify notifications get
 * no actions from Electron). Where there are none, a click does `click` (opens the operation in the window), and the
 * tray offers the same actions (tray-model.ts: Cancel and Keep waiting under a stalled plan).
 */
export function notificationButtons(model: Pick<NotificationModel, 'actions'>, platform: NodeJS.Platform): NotificationAction[] {
  return platform === 'darwin' || platform === 'win32' ? model.actions : [];
}

/** What the notifier remembers between states. Plain data, bounded by the number of plans and running ops. */
export interface NotifyMemo {
  /** False until the first state was seen: results that were already there at start are not news. */
  baseline: boolean;
  /** Per plan, "<opId>:<status>" of the last seen lastOp. */
  lastResult: Record<string, string>;
  /** Per plan, the id of the failure notification still on screen (withdrawn when a later run succeeds). */
  failure: Record<string, string>;
  /**
   * Running ops whose stall was notified; `resumed` once it moved again; `restarted` while its stall clock was
   * restarted (a wake, "Keep waiting") without progress. Pruned when the op is gone.
   */
  stalls: Record<string, { resumed: boolean; atBytes?: number | null; restarted?: boolean }>;
  /**
   * Standing problems of the overall status already notified and still there: "no-success:<planId>" (an overdue
   * plan), "repo-error:<repoId>" (a repository restic cannot use).
   */
  warnings: string[];
}

export interface NotifySettings {
  notifyOnSuccess: boolean;
  lang: Lang;
  now: Date;
}

export interface NotifyDecision {
  notifications: NotificationModel[];
  withdraw: string[];
  memo: NotifyMemo;
}

export function emptyNotifyMemo(): NotifyMemo {
  return { baseline: false, lastResult: {}, failure: {}, stalls: {}, warnings: [] };
}

const resultKey = (op: LastOp) => `${op.opId}:${op.status}`;

function sentence(text: string): string {
  const trimmed = text.trim();
  if (/[.!?。！？]$/.test(trimmed)) return trimmed;
  return /[\u3000-\u9fff\uff00-\uffef]$/.test(trimmed) ? `${trimmed}。` : `${trimmed}.`;
}

function completion(plan: PlanState, op: LastOp, s: NotifySettings): NotificationModel | null {
  const t = strings(s.lang);
  const name = planName(plan);
  const id = `result:${op.opId}`;
  const click: TrayAction = { action: 'open', planId: plan.id, opId: op.opId };
  switch (op.status) {
    case 'success': {
      if (!s.notifyOnSuccess) return null;
      const took = op.startedAt && op.endedAt ? formatDuration(Date.parse(op.endedAt) - Date.parse(op.startedAt), s.lang) : null;
      const added = op.dataAdded != null ? formatBytes(op.dataAdded) : null;
      return { id, kind: 'result', title: t.nBackupFinished, body: t.nFinishedBody(name, added, took), urgency: 'low', actions: [], click };
    }
    case 'warning':
      return {
        id,
        kind: 'result',
        title: t.nWarningsTitle,
        body: t.nWarningsBody(name, op.errorMessage ? sentence(op.errorMessage) : t.nSomeFilesUnreadable),
        urgency: 'normal',
        actions: [],
        click,
      };
    case 'error':
      return {
        id,
        kind: 'result',
        title: t.nFailedTitle,
        body: t.nFailedBody(name, sentence(op.errorMessage ?? t.nUnknownFailure)),
        urgency: 'critical',
        actions: [],
        click,
      };
    case 'interrupted':
      return { id, kind: 'result', title: t.nInterruptedTitle, body: t.nInterruptedBody(name), urgency: 'critical', actions: [], click };
    default:
      return null; // cancelled: the user (or shutdown) did it; nothing to tell.
  }
}

function stallNotification(op: RunningOp, state: AppState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  const since = op.stalledSince ?? op.stall?.since ?? s.now.toISOString();
  const done = op.stall?.bytesDone ?? op.progress?.bytesDone;
  const total = op.progress?.totalBytes;
  const at = done != null ? (total ? t.of(formatBytes(done), formatBytes(total)) : formatBytes(done)) : null;
  let body = t.nStalledBody(opTitle(op, state, s.lang), formatClock(since, s.now, s.lang), at);
  const idle = op.stall?.cpuSecondsSinceProgress;
  if (idle != null && idle < 0.5) body += t.nResticIdle;
  return {
    id: `stall:${op.opId}`,
    kind: 'stall',
    title: t.nStalledTitle(t.kind[op.kind] ?? op.kind),
    body,
    urgency: 'critical',
    actions: [
      { label: t.cancel, action: { action: 'cancel', opId: op.opId } },
      { label: t.keepWaiting, action: { action: 'keepWaiting', opId: op.opId } },
    ],
    click: { action: 'open', opId: op.opId, ...(op.planId ? { planId: op.planId } : {}) },
  };
}

function resumedNotification(op: RunningOp, prevOp: RunningOp | undefined, state: AppState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  const since = prevOp?.stalledSince ?? op.stalledSince ?? op.stall?.since ?? null;
  const after = since ? formatDuration(s.now.getTime() - Date.parse(since), s.lang) : t.lessThanMinute;
  return {
    id: `resumed:${op.opId}`,
    kind: 'resumed',
    title: t.nResumedTitle(t.kind[op.kind] ?? op.kind),
    body: t.nResumedBody(opTitle(op, state, s.lang), after),
    urgency: 'low',
    actions: [],
    click: { action: 'open', opId: op.opId, ...(op.planId ? { planId: op.planId } : {}) },
  };
}

const DAY_MS = 86_400_000;

function localDay(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function postponedNotification(id: string, plan: PlanState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  const postponed = plan.postponed!;
  const days = Math.floor((s.now.getTime() - Date.parse(postponed.since)) / DAY_MS);
  return {
    id,
    kind: 'postponed',
    title: t.nPostponedTitle(days),
    body: t.nPostponedBody(planName(plan), formatClock(postponed.since, s.now, s.lang), t.postponeReason[postponed.reason] ?? postponed.reason),
    urgency: 'normal',
    actions: [{ label: t.backUpNow, action: { action: 'backup', planId: plan.id } }],
    click: { action: 'open', planId: plan.id },
  };
}

function noSuccessNotification(id: string, plan: PlanState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  const click: TrayAction = { action: 'open', planId: plan.id };
  if (!plan.lastSuccessAt) {
    return { id, kind: 'no-success', title: t.nNeverTitle, body: t.nNeverBody(planName(plan)), urgency: 'normal', actions: [], click };
  }
  const days = Math.max(1, Math.floor((s.now.getTime() - Date.parse(plan.lastSuccessAt)) / 86_400_000));
  return {
    id,
    kind: 'no-success',
    title: t.nNoBackupTitle(days),
    body: t.nNoBackupBody(planName(plan), formatDay(plan.lastSuccessAt, s.lang)),
    urgency: 'normal',
    actions: [],
    click,
  };
}

function mirrorBehindNotification(id: string, plan: PlanState, mirror: MirrorState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  const since = mirror.behindSince!;
  return {
    id,
    kind: 'mirror-behind',
    title: t.mirrorBehindDays(planName(plan), mirror.repo, mirrorDaysBehind(since, s.now)),
    body: t.nMirrorBehindBody(mirror.behindSnapshots, formatDay(since, s.lang)),
    urgency: 'normal',
    actions: [],
    click: { action: 'open', planId: plan.id },
  };
}

/** "Restore test failed" / "Home: the restore test of plan "home" failed for 2 files: /a (…)": what failed, by path. */
function verifyFailedNotification(id: string, plan: PlanState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  const proof = plan.lastVerified!;
  return {
    id,
    kind: 'verify-failed',
    title: t.nVerifyFailedTitle,
    body: t.nVerifyFailedBody(planName(plan), sentence(proof.errorMessage ?? t.nUnknownFailure)),
    urgency: 'critical',
    actions: [],
    click: { action: 'open', planId: plan.id, opId: proof.opId },
  };
}

function checkFailedNotification(id: string, repo: RepoState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  return {
    id,
    kind: 'check-failed',
    title: t.nCheckFailedTitle,
    body: t.nCheckFailedBody(repo.id, sentence(repo.lastError ?? t.nCheckFailedUnknown)),
    urgency: 'critical',
    actions: [],
    click: { action: 'open' },
  };
}

function repoErrorNotification(id: string, repo: RepoState, s: NotifySettings): NotificationModel {
  const t = strings(s.lang);
  return {
    id,
    kind: 'repo-error',
    title: t.nRepoErrorTitle,
    body: t.nRepoErrorBody(repo.id, sentence(repo.lastError ?? t.nRepoErrorUnknown)),
    urgency: 'critical',
    actions: [],
    click: { action: 'open' },
  };
}

/**
 * Compares the new state with what was already notified. `prev` is the previous state the notifier saw
 * (null at start); completions are found from the memo so that a state skipped by the publisher's
 * latest-value-wins delivery still yields exactly one notification per finished run.
 */
export function decideNotifications(
  prev: AppState | null,
  next: AppState,
  memo: NotifyMemo,
  settings: NotifySettings,
  /** The overall status of `next` (core/state/overall-status.ts); derived here when the caller has none. */
  status: OverallStatus = deriveOverallStatus(next, settings.now),
): NotifyDecision {
  const notifications: NotificationModel[] = [];
  const withdraw: string[] = [];
  const out: NotifyMemo = {
    baseline: true,
    lastResult: { ...memo.lastResult },
    failure: { ...memo.failure },
    stalls: {},
    warnings: [],
  };
  const firstLook = !memo.baseline;

  // Completions: a plan's last backup changed (new opId or new status) to a terminal status.
  for (const plan of next.plans) {
    const op = plan.lastOp;
    if (!op) continue;
    const key = resultKey(op);
    const seen = out.lastResult[plan.id];
    out.lastResult[plan.id] = key;
    if (firstLook || seen === key || !isTerminalStatus(op.status)) continue;
    const previousFailure = out.failure[plan.id];
    if (op.status === 'success' || op.status === 'warning') {
      if (previousFailure) {
        withdraw.push(previousFailure);
        delete out.failure[plan.id];
      }
    }
    const note = completion(plan, op, settings);
    if (!note) continue;
    notifications.push(note);
    if (op.status === 'error' || op.status === 'interrupted') {
      if (previousFailure && previousFailure !== note.id) withdraw.push(previousFailure);
      out.failure[plan.id] = note.id;
    }
  }
  for (const planId of Object.keys(out.lastResult)) {
    if (!next.plans.some((p) => p.id === planId)) {
      delete out.lastResult[planId];
      if (out.failure[planId]) withdraw.push(out.failure[planId]!);
      delete out.failure[planId];
    }
  }

  // Stalls: once per operation, and again when a restarted stall clock runs out with nothing moved (the user
  // answered "Keep waiting", which closed the notification, or the machine woke): the new one replaces any still
  // shown (same id). "Moving again" once, only for a stall the user was told about.
  for (const op of next.running) {
    const key = String(op.opId);
    const known = memo.stalls[key];
    if (op.status === 'stalled') {
      if (!known || known.restarted) notifications.push(stallNotification(op, next, settings));
      out.stalls[key] = { resumed: known?.resumed ?? false, atBytes: known?.atBytes ?? op.stall?.bytesDone ?? op.progress?.bytesDone ?? null };
    } else if (known) {
      // A stall clock restarted by a wake or by "Keep waiting" is not progress: "moving again" only once the
      // bytes passed where the stall was seen; until then the stall notification stands.
      const bytes = op.progress?.bytesDone;
      if (!known.resumed && known.atBytes != null && !(bytes != null && bytes > known.atBytes)) {
        out.stalls[key] = { ...known, restarted: true };
        continue;
      }
      if (!known.resumed) {
        withdraw.push(`stall:${op.opId}`);
        const prevOp = prev?.running.find((r) => r.opId === op.opId);
        notifications.push(resumedNotification(op, prevOp, next, settings));
      }
      out.stalls[key] = { resumed: true };
    }
  }
  for (const key of Object.keys(memo.stalls)) {
    if (!out.stalls[key] && !memo.stalls[key]!.resumed) withdraw.push(`stall:${key}`); // ended while stalled
  }

  // Standing problems of the overall status ("No backup for N days", a repository restic cannot use): once while
  // the reason stands, withdrawn when it clears. Taken from the same status the tray and the window show, so a
  // notification never tells of a problem the header does not (nor misses one it does).
  const failedRepos = new Set(notifications.filter((n) => n.kind === 'result' && n.urgency === 'critical').map((n) => repoOfResult(n, next)));
  const checkFailedRepos = new Set(status.reasons.filter((r) => r.kind === 'check-failed').map((r) => r.repoId));
  for (const reason of status.reasons) {
    if (reason.kind === 'overdue' && reason.planId) {
      const plan = next.plans.find((p) => p.id === reason.planId);
      if (!plan) continue;
      const id = `no-success:${plan.id}`;
      out.warnings.push(id);
      if (!memo.warnings.includes(id)) notifications.push(noSuccessNotification(id, plan, settings));
    } else if (reason.kind === 'mirror-behind' && reason.planId && reason.repoId) {
      // "Photos' copy on usb is 8 days behind": once while it stands, withdrawn when a copy catches up.
      const plan = next.plans.find((p) => p.id === reason.planId);
      const mirror = plan?.mirrors?.find((m) => m.repo === reason.repoId);
      if (!plan || !mirror?.behindSince) continue;
      const id = `mirror-behind:${plan.id}:${mirror.repo}`;
      out.warnings.push(id);
      if (!memo.warnings.includes(id)) notifications.push(mirrorBehindNotification(id, plan, mirror, settings));
    } else if (reason.kind === 'verify-failed' && reason.planId) {
      // Once per failed test while the plan is not proven restorable; withdrawn when a later test passes.
      const plan = next.plans.find((p) => p.id === reason.planId);
      if (!plan?.lastVerified) continue;
      const id = `verify-failed:${plan.id}:${plan.lastVerified.opId}`;
      out.warnings.push(id);
      if (!memo.warnings.includes(id)) notifications.push(verifyFailedNotification(id, plan, settings));
    } else if (reason.kind === 'check-failed' && reason.repoId) {
      const repo = next.repos.find((r) => r.id === reason.repoId);
      if (!repo) continue;
      const id = `check-failed:${repo.id}:${repo.lastCheckedAt ?? ''}`;
      out.warnings.push(id);
      if (!memo.warnings.includes(id)) notifications.push(checkFailedNotification(id, repo, settings));
    } else if (reason.kind === 'repo-error' && reason.repoId) {
      const repo = next.repos.find((r) => r.id === reason.repoId);
      if (!repo) continue;
      const id = `repo-error:${repo.id}`;
      out.warnings.push(id);
      // A failed check says the same of this repository, with what it found.
      if (checkFailedRepos.has(repo.id)) continue;
      // A backup that just failed on this repository already said why: one notification per cause.
      if (!memo.warnings.includes(id) && !failedRepos.has(repo.id)) notifications.push(repoErrorNotification(id, repo, settings));
    }
  }
  // A scheduled run postponed by its conditions (issue 16) for longer than "no backup in N days": once a day (the
  // id carries the local day, so the next day's is new and the day before's is withdrawn).
  const warnDays = Number(next.settings.noSuccessWarnDays ?? 0);
  for (const plan of next.plans) {
    const since = plan.postponed?.since;
    if (!since || !(warnDays > 0) || settings.now.getTime() - Date.parse(since) < warnDays * DAY_MS) continue;
    const id = `postponed:${plan.id}:${localDay(settings.now)}`;
    out.warnings.push(id);
    if (!memo.warnings.includes(id)) notifications.push(postponedNotification(id, plan, settings));
  }
  for (const id of memo.warnings) if (!out.warnings.includes(id)) withdraw.push(id);

  return { notifications, withdraw, memo: out };
}

function repoOfResult(n: NotificationModel, state: AppState): string | undefined {
  const planId = n.click.action === 'open' ? n.click.planId : undefined;
  return state.plans.find((p) => p.id === planId)?.repoId;
}

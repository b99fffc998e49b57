import { describe, expect, it } from 'vitest';
import type { AppState } from '../../common/index.js';
import { decideNotifications, emptyNotifyMemo, type NotifyMemo, type NotifySettings } from './notify-model.js';
import { appState, local, plan, running } from '../../core/state/testing/app-state.js';

const iso = (d: Date) => d.toISOString();
const settings = (over: Partial<NotifySettings> = {}): NotifySettings => ({ notifyOnSuccess: false, lang: 'en', now: local(16, 0), ...over });

/** Feeds snapshots in order, as the notifier does, and collects what it decided. */
function run(states: AppState[], s = settings()) {
  let memo: NotifyMemo = emptyNotifyMemo();
  let prev: AppState | null = null;
  const steps = states.map((state) => {
    const d = decideNotifications(prev, state, memo, s);
    memo = d.memo;
    prev = state;
    return d;
  });
  return { steps, memo };
}

const base = (extra: Partial<AppState> = {}) => appState({ plans: [plan('Home', { opId: 1, status: 'success' })], ...extra });
const finished = (opId: number, status: 'success' | 'warning' | 'error' | 'cancelled' | 'interrupted', extra = {}) =>
  appState({ plans: [plan('Home', { opId, status, startedAt: iso(local(15, 0)), endedAt: iso(local(15, 4)), ...extra })] });

describe('decideNotifications', () => {
  it('results already there at start are not news', () => {
    const { steps } = run([finished(1, 'error', { errorMessage: 'The repository password is wrong.' })]);
    expect(steps[0]!.notifications).toEqual([]);
  });

  it('success only when the user wants it, with data added and duration', () => {
    expect(run([base(), finished(2, 'success', { dataAdded: 312 * 1024 * 1024 })]).steps[1]!.notifications).toEqual([]);
    const { steps } = run([base(), finished(2, 'success', { dataAdded: 312 * 1024 * 1024 })], settings({ notifyOnSuccess: true }));
    expect(steps[1]!.notifications).toEqual([
      { id: 'result:2', kind: 'result', title: 'Backup finished', body: 'Home: 312 MiB added in 4 min.', urgency: 'low', actions: [], click: { action: 'open', planId: 'Home', opId: 2 } },
    ]);
  });

  it('warning and error always, with the cause in words', () => {
    const w = run([base(), finished(2, 'warning', { errorMessage: '3 files could not be read' })]).steps[1]!.notifications;
    expect(w).toMatchObject([{ id: 'result:2', kind: 'result', title: 'Backup finished with warnings', body: 'Home: 3 files could not be read. Click to see which.' }]);
    const e = run([base(), finished(2, 'error', { errorMessage: 'The repository password is wrong.' })]).steps[1]!.notifications;
    expect(e).toMatchObject([{ id: 'result:2', kind: 'result', title: 'Backup failed', body: 'Home: The repository password is wrong.', urgency: 'critical' }]);
    const i = run([base(), finished(2, 'interrupted')]).steps[1]!.notifications;
    expect(i).toMatchObject([{ title: 'Backup interrupted' }]);
  });

  it('a cancelled run is not notified', () => {
    expect(run([base(), finished(2, 'cancelled')]).steps[1]!.notifications).toEqual([]);
  });

  it('completion is detected from the status changing on the same opId, once', () => {
    const live = appState({ plans: [plan('Home', { opId: 2, status: 'running' })] });
    const { steps } = run([base(), live, finished(2, 'error'), finished(2, 'error')]);
    expect(steps[1]!.notifications).toEqual([]);
    expect(steps[2]!.notifications.map((n) => n.id)).toEqual(['result:2']);
    expect(steps[3]!.notifications).toEqual([]);
  });

  it('a failure is withdrawn when the next run of that plan succeeds (even without success notifications)', () => {
    const { steps, memo } = run([base(), finished(2, 'error'), finished(3, 'success')]);
    expect(steps[1]!.notifications.map((n) => n.id)).toEqual(['result:2']);
    expect(steps[2]).toMatchObject({ notifications: [], withdraw: ['result:2'] });
    expect(memo.failure).toEqual({});
  });

  it('a second failure replaces the first on screen', () => {
    const { steps } = run([base(), finished(2, 'error'), finished(3, 'error')]);
    expect(steps[2]).toMatchObject({ withdraw: ['result:2'] });
    expect(steps[2]!.notifications.map((n) => n.id)).toEqual(['result:3']);
  });

  it('stall: once per operation, with Cancel and Keep waiting and the evidence', () => {
    const stalled = base({
      running: [
        running(7, 'Home', {
          status: 'stalled',
          stalledSince: iso(local(14, 3)),
          progress: { bytesDone: 418 * 2 ** 30, totalBytes: 1.1 * 2 ** 40 },
          stall: { since: iso(local(14, 3)), bytesDone: 418 * 2 ** 30, filesDone: 10, cpuSeconds: 3, cpuSecondsSinceProgress: 0 },
        }),
      ],
    });
    const { steps } = run([base({ running: [running(7, 'Home')] }), stalled, stalled, { ...stalled, version: 9 }]);
    expect(steps[1]!.notifications).toEqual([
      {
        id: 'stall:7',
        kind: 'stall',
        title: 'Backup stalled',
        body: 'Home: no progress since 14:03 at 418 GiB of 1.1 TiB. restic is idle: the backend is not answering.',
        urgency: 'critical',
        actions: [
          { label: 'Cancel', action: { action: 'cancel', opId: 7 } },
          { label: 'Keep waiting', action: { action: 'keepWaiting', opId: 7 } },
        ],
        click: { action: 'open', opId: 7, planId: 'Home' },
      },
    ]);
    expect(steps[2]!.notifications).toEqual([]);
    expect(steps[3]!.notifications).toEqual([]);
  });

  it('resumed: once, withdraws the stall; a second stall of the same op is not notified again', () => {
    const s = settings({ now: local(14, 9) });
    const stalled = base({ running: [running(7, 'Home', { status: 'stalled', stalledSince: iso(local(14, 3)) })] });
    const moving = base({ running: [running(7, 'Home', { status: 'running', stalledSince: null })] });
    const { steps } = run([base(), stalled, moving, moving, stalled], s);
    expect(steps[2]).toMatchObject({ withdraw: ['stall:7'], notifications: [{ id: 'resumed:7', kind: 'resumed', title: 'Backup is moving again', body: 'Home resumed after 6 min.' }] });
    expect(steps[3]!.notifications).toEqual([]);
    expect(steps[4]!.notifications).toEqual([]);
  });

  it('a stall clock restarted with nothing moved (Keep waiting, a wake) is not "moving again"; when it runs out again, the stall is notified again', () => {
    const s = settings({ now: local(14, 9) });
    const at = (bytesDone: number, status: 'running' | 'stalled') =>
      base({
        running: [
          running(7, 'Home', {
            status,
            stalledSince: status === 'stalled' ? iso(local(14, 3)) : null,
            progress: { bytesDone, totalBytes: 1000 },
            stall: status === 'stalled' ? { since: iso(local(14, 3)), bytesDone, filesDone: 1, cpuSeconds: 1, cpuSecondsSinceProgress: 0 } : null,
          }),
        ],
      });
    const { steps } = run([base({ running: [running(7, 'Home')] }), at(100, 'stalled'), at(100, 'running'), at(100, 'running'), at(100, 'stalled'), at(100, 'stalled'), at(200, 'running')], s);
    expect(steps[1]!.notifications.map((n) => n.id)).toEqual(['stall:7']);
    // The clock restart: the stall stands, nothing is said.
    expect(steps[2]).toMatchObject({ notifications: [], withdraw: [] });
    expect(steps[3]).toMatchObject({ notifications: [], withdraw: [] });
    // Still stuck when the new wait ran out: told again (the same id replaces one still shown), once.
    expect(steps[4]!.notifications).toMatchObject([{ id: 'stall:7', kind: 'stall', actions: [{ label: 'Cancel' }, { label: 'Keep waiting' }] }]);
    expect(steps[5]!.notifications).toEqual([]);
    // Bytes move: "moving again", once, and the stall notification goes.
    expect(steps[6]).toMatchObject({ withdraw: ['stall:7'], notifications: [{ id: 'resumed:7', kind: 'resumed' }] });
  });

  it('an operation that ends while stalled has its stall notification withdrawn; memo is pruned', () => {
    const stalled = base({ running: [running(7, 'Home', { status: 'stalled', stalledSince: iso(local(14, 3)) })] });
    const { steps, memo } = run([base(), stalled, finished(7, 'cancelled')]);
    expect(steps[2]!.withdraw).toEqual(['stall:7']);
    expect(memo.stalls).toEqual({});
  });

  const warnAfter7Days = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4, noSuccessWarnDays: 7 };
  const hourly = { cron: '0 * * * *' };

  it('"No backup for N days" from the overall status (overdue): once, withdrawn when it clears', () => {
    const overdue = appState({
      settings: warnAfter7Days,
      plans: [plan('Work', { status: 'cancelled' }, { lastSuccessAt: iso(local(9, 0, 18)), schedule: hourly })],
    });
    const caughtUp = appState({
      settings: warnAfter7Days,
      plans: [plan('Work', { opId: 3, status: 'success' }, { lastSuccessAt: iso(local(15, 0)), schedule: hourly })],
    });
    // The engine's own warning for the same plan is not a second notification.
    const alsoWarned = { ...overdue, warnings: [{ id: 'no-success:Work', kind: 'no-success' as const, level: 'warning' as const, message: 'x', planId: 'Work' }] };
    const { steps } = run([overdue, alsoWarned, caughtUp, caughtUp]);
    expect(steps[0]!.notifications).toEqual([
      { id: 'no-success:Work', kind: 'no-success', title: 'No backup for 7 days', body: 'Work has not been backed up since 18 Nov.', urgency: 'normal', actions: [], click: { action: 'open', planId: 'Work' } },
    ]);
    expect(steps[1]!.notifications).toEqual([]);
    expect(steps[2]!.withdraw).toEqual(['no-success:Work']);
    expect(steps[3]!.notifications).toEqual([]);
  });

  it('"No backup" follows the status: a manual plan is overdue too; with the warning off nothing is', () => {
    const manual = appState({ settings: warnAfter7Days, plans: [plan('Work', { status: 'success' }, { lastSuccessAt: iso(local(9, 0, 1)) })] });
    const off = appState({ plans: [plan('Work', { status: 'success' }, { lastSuccessAt: iso(local(9, 0, 1)), schedule: hourly })] });
    const engineWarning = [{ id: 'no-success:Work', kind: 'no-success' as const, level: 'warning' as const, message: 'x', planId: 'Work' }];
    expect(run([{ ...manual, warnings: engineWarning }]).steps[0]!.notifications.map((n) => n.id)).toEqual(['no-success:Work']);
    expect(run([{ ...off, warnings: engineWarning }]).steps[0]!.notifications).toEqual([]);
  });

  it('a scheduled plan never backed up successfully', () => {
    const state = appState({ settings: warnAfter7Days, plans: [plan('Work', { status: 'cancelled' }, { schedule: hourly })] });
    expect(run([state]).steps[0]!.notifications).toMatchObject([{ title: 'No successful backup yet', body: 'Work has never been backed up successfully.' }]);
  });

  it('a repository restic cannot use (a failed check): once while it stands, withdrawn when it is fine again', () => {
    const repo = { id: 'nas', uri: '/srv/nas', passwordKind: 'file' as const, envKeys: [], health: 'ok' as const, lastError: null };
    const ok = base({ repos: [repo] });
    const broken = base({ repos: [{ ...repo, health: 'error', lastError: 'wrong password' }] });
    const { steps } = run([ok, broken, broken, ok]);
    expect(steps[1]!.notifications).toEqual([
      { id: 'repo-error:nas', kind: 'repo-error', title: 'Repository problem', body: 'nas: wrong password.', urgency: 'critical', actions: [], click: { action: 'open' } },
    ]);
    expect(steps[2]!.notifications).toEqual([]);
    expect(steps[3]!.withdraw).toEqual(['repo-error:nas']);
  });

  it('a backup that failed on a broken repository is one notification, not two', () => {
    const repo = { id: 'nas', uri: '/srv/nas', passwordKind: 'file' as const, envKeys: [], health: 'ok' as const, lastError: null };
    const failed = appState({
      repos: [{ ...repo, health: 'error', lastError: 'wrong password' }],
      plans: [plan('Home', { opId: 2, status: 'error', errorMessage: 'wrong password' })],
    });
    const { steps } = run([base({ repos: [repo] }), failed, failed]);
    expect(steps[1]!.notifications.map((n) => n.id)).toEqual(['result:2']);
    expect(steps[2]!.notifications).toEqual([]);
  });

  it('a skipped snapshot (latest value wins) still yields one result per run', () => {
    // The notifier never saw op 2 running: it only sees op 1 then op 2 finished.
    const { steps } = run([base(), finished(2, 'warning')]);
    expect(steps[1]!.notifications.map((n) => n.id)).toEqual(['result:2']);
  });

  it('a deleted plan takes its failure notification with it', () => {
    const { steps, memo } = run([base(), finished(2, 'error'), appState()]);
    expect(steps[2]!.withdraw).toEqual(['result:2']);
    expect(memo.lastResult).toEqual({});
  });

  it('speaks Chinese', () => {
    const { steps } = run([base(), finished(2, 'error', { errorMessage: '仓库密码错误' })], settings({ lang: 'zh-CN' }));
    expect(steps[1]!.notifications).toMatchObject([{ title: '备份失败', body: 'Home：仓库密码错误。' }]);
  });
});

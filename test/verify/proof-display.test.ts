// "Last proven restorable" and "last checked" where a person or a scraper sees them: the tray tooltip and status
// line, the notifications, /metrics (issue 15).
import { describe, expect, it } from 'vitest';
import type { LastVerified, RepoState } from '../../main/common/index.js';
import { appState, plan } from '../../main/core/state/testing/app-state.js';
import { decideNotifications, emptyNotifyMemo } from '../../main/hosts/electron/notify-model.js';
import { trayModel } from '../../main/hosts/electron/tray-model.js';
import { metricsText } from '../../main/hosts/headless/metrics.js';

const now = new Date('2026-03-10T12:00:00Z');
const threeDaysAgo = '2026-03-07T11:00:00.000Z';

const passed: LastVerified = { opId: 7, at: threeDaysAgo, snapshotId: '4f1c'.repeat(16), files: 50, bytes: 120 * 1024 * 1024, ok: true };
const failed: LastVerified = {
  opId: 8,
  at: '2026-03-10T11:00:00.000Z',
  snapshotId: '4f1c'.repeat(16),
  files: 0,
  bytes: 0,
  ok: false,
  errorMessage: 'The restore test of plan "home" failed for 1 file: /home/me/a.bin (restic could not restore it: ciphertext verification failed).',
  errorCode: 'VERIFY_FAILED',
};
const repo = (extra: Partial<RepoState> = {}): RepoState => ({ id: 'nas', uri: '/r', passwordKind: 'env', envKeys: [], health: 'ok', lastError: null, ...extra });

describe('tray', () => {
  it('the tooltip says when each plan was last proven restorable, in en and zh-CN', () => {
    const state = appState({ plans: [plan('home', null, { lastVerified: passed })], repos: [repo()] });
    expect(trayModel(state, now, 'en').tooltip).toContain('home: proven restorable 3 d ago (50 files, 120 MiB)');
    expect(trayModel(state, now, 'zh-CN').tooltip).toMatch(/home：.*已验证可恢复（50 个文件，120 MiB）/);
  });

  it('a failed test is the status line (error), not "proven"', () => {
    const state = appState({ plans: [plan('home', null, { lastVerified: failed })], repos: [repo()] });
    const model = trayModel(state, now, 'en');
    expect(model.status.level).toBe('error');
    expect(model.statusLine).toBe('home: the last restore test failed');
    expect(model.tooltip).not.toContain('proven restorable');
  });

  it('a failed check is the status line', () => {
    const state = appState({ plans: [plan('home')], repos: [repo({ lastCheckedAt: threeDaysAgo, lastCheckOk: false })] });
    expect(trayModel(state, now, 'en').statusLine).toBe('nas: the last check found errors');
  });
});

describe('notifications', () => {
  it('a failed restore test is one error notification naming what failed, withdrawn when a later test passes', () => {
    const before = appState({ plans: [plan('home', null, { lastVerified: passed })], repos: [repo()] });
    const settings = { notifyOnSuccess: false, lang: 'en' as const, now };
    const first = decideNotifications(null, before, emptyNotifyMemo(), settings);
    expect(first.notifications).toEqual([]);
    const after = appState({ plans: [plan('home', null, { lastVerified: failed })], repos: [repo()] });
    const second = decideNotifications(before, after, first.memo, settings);
    expect(second.notifications).toHaveLength(1);
    expect(second.notifications[0]).toMatchObject({ kind: 'verify-failed', title: 'Restore test failed', urgency: 'critical' });
    expect(second.notifications[0]!.body).toContain('/home/me/a.bin');
    expect(decideNotifications(after, after, second.memo, settings).notifications).toEqual([]);
    const cleared = decideNotifications(after, before, second.memo, settings);
    expect(cleared.withdraw).toContain(second.notifications[0]!.id);
  });

  it('a failed check is one notification, not also a "repository problem"', () => {
    const settings = { notifyOnSuccess: false, lang: 'zh-CN' as const, now };
    const ok = appState({ plans: [plan('home')], repos: [repo()] });
    const first = decideNotifications(null, ok, emptyNotifyMemo(), settings);
    const bad = appState({
      plans: [plan('home')],
      repos: [repo({ health: 'error', lastError: 'Fatal: repository contains errors', lastCheckedAt: threeDaysAgo, lastCheckOk: false })],
    });
    const second = decideNotifications(ok, bad, first.memo, settings);
    expect(second.notifications.map((n) => [n.kind, n.title])).toEqual([['check-failed', '仓库检查失败']]);
    expect(second.notifications[0]!.body).toContain('repository contains errors');
  });
});

describe('/metrics', () => {
  it('exports when each plan was last proven restorable, whether it passed, and when each repository was checked', () => {
    const state = appState({
      plans: [plan('home', null, { lastVerified: passed }), plan('work', null, { lastVerified: failed, repoId: 'usb' }), plan('new')],
      repos: [repo({ lastCheckedAt: threeDaysAgo, lastCheckOk: true }), repo({ id: 'usb' })],
    });
    const text = metricsText(state, now);
    expect(text).toContain(`backstay_last_verified_timestamp_seconds{plan="home",repo="nas"} ${Date.parse(threeDaysAgo) / 1000}`);
    expect(text).toContain('backstay_last_verify_ok{plan="home",repo="nas"} 1');
    expect(text).toContain('backstay_last_verify_ok{plan="work",repo="usb"} 0');
    expect(text).not.toMatch(/backstay_last_verif\w+\{plan="new"/);
    expect(text).toContain(`backstay_repo_last_checked_timestamp_seconds{repo="nas"} ${Date.parse(threeDaysAgo) / 1000}`);
    expect(text).toContain('backstay_repo_last_check_ok{repo="nas"} 1');
    expect(text).not.toContain('backstay_repo_last_checked_timestamp_seconds{repo="usb"}');
    expect(text).toContain('backstay_status_reasons{kind="verify-failed",level="error"} 1');
  });
});

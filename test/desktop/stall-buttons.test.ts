// The stall notification's own buttons. Electron shows notification buttons on macOS and Windows (none on Linux), so
// this runs the app with process.platform emulated as macOS (BACKSTAY_STANDIN_PLATFORM=darwin; Node and the engine
// still run on Linux): a frozen backend gives a stall notification with Cancel and Keep waiting, and its Cancel ends
// the operation. Windows is not run whole here: with process.platform "win32" the engine takes its Windows paths too
// (execa starts restic through cmd.exe), so no backup could run; the notifier's Windows decision is unit-tested
// (main/hosts/electron/electron-notifier.test.ts) and is on the release checklist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRepositoryOverHttp, type RcloneServer } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { writeRandomFiles } from '../serve/serve-harness.js';
import { resticProcessesMentioning, startDesktopApp, type DesktopApp } from './harness.js';
import { liveOpIdInWindow, makeUserHome, opsOf, planItemLabel } from './fixtures.js';

const STALL_AFTER_SECONDS = 2;

describe('the stall notification on macOS (a platform with notification buttons)', () => {
  let ws: Workspace;
  let rclone: RcloneServer;
  let user: Awaited<ReturnType<typeof makeUserHome>>;
  let app: DesktopApp | null = null;

  beforeAll(async () => {
    ws = await createWorkspace({ init: false, files: 0 });
    await writeRandomFiles(ws.sourceDir, 8, 16 * 1024 * 1024);
    rclone = await serveRepositoryOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'photos', repo: 'http', paths: [ws.sourceDir] }],
      settings: { stallAfterSeconds: STALL_AFTER_SECONDS, cancelGraceSeconds: 1, uiUpdateHz: 10 },
    });
    user = await makeUserHome();
    app = await startDesktopApp({ userHome: user.home, dataDir: ws.dataDir, env: { BACKSTAY_STANDIN_PLATFORM: 'darwin' } });
    await app.windowLoaded();
    await app.call('waitForSelector', { selector: '[data-testid="plan-row-photos"]', timeoutMs: 20_000 });
  });

  afterAll(async () => {
    rclone?.thaw();
    await app?.kill();
    await rclone?.stop();
    await ws?.cleanup();
    await user?.cleanup();
  });

  it('offers Cancel and Keep waiting; Keep waiting restarts the stall clock, Cancel ends the operation and no restic is left', async () => {
    await app!.call('clickTray', { path: ['photos - ', 'Back up now'] });
    const opId = await liveOpIdInWindow(app!, 30_000);
    await expect
      .poll(() => app!.call('evaluate', { fn: `() => document.querySelector('[data-testid="op-progress-${opId}"] progress')?.value ?? 0` }), { timeout: 30_000 })
      .toBeGreaterThan(0);
    rclone.freeze();
    const stall = await app!.waitFor('the stall notification', (s) => s.notifications.find((n) => n.title === 'Backup stalled'), 15_000);
    expect(stall.actions).toEqual(['Cancel', 'Keep waiting']);
    // macOS tray icons are template images.
    expect((await app!.tray()).icon).toMatch(/tray-stalled-16Template\.png$/);

    // Keep waiting: no longer stalled, and (the backend still frozen) stalled again once the threshold has passed
    // anew, with a new notification; never "moving again", since nothing moved.
    await app!.call('notificationAction', { index: stall.index, action: 1 });
    const keptAt = Date.now();
    await app!.waitFor('the stall to clear', (s) => !/stalled/.test(planItemLabel(s.trays.at(-1)!, 'photos') ?? ''), 5_000);
    const again = await app!.waitFor('a new stall notification', (s) => s.notifications.find((n) => n.title === 'Backup stalled' && n.index > stall.index), 15_000);
    expect(Date.now() - keptAt).toBeGreaterThanOrEqual(STALL_AFTER_SECONDS * 1000 - 300);
    expect(again.actions).toEqual(['Cancel', 'Keep waiting']);
    expect((await app!.notifications()).map((n) => n.title)).not.toContain('Backup is moving again');

    await app!.call('notificationAction', { index: again.index, action: 0 });
    await app!.waitFor('the operation to end', (s) => /cancelled/.test(planItemLabel(s.trays.at(-1)!, 'photos') ?? ''), 20_000);
    expect((await opsOf(ws.dataDir)).find((o) => o.id === opId)?.status).toBe('cancelled');
    expect(resticProcessesMentioning(ws.sourceDir)).toEqual([]);
    const s = await app!.snapshot();
    expect(s.pageProblems).toEqual([]);
    expect(s.standinErrors).toEqual([]);
  });
});

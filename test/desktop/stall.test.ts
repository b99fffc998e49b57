// A backup to an HTTP backend (rclone serve restic) that freezes (SIGSTOP), through the desktop path: the stall
// notification (with Cancel and Keep waiting where the OS shows buttons, and in the tray everywhere), a click on it
// opening the window at the operation, suspend/resume and the tray's Keep waiting restarting the stall clock (still
// stuck after a new threshold: told again), and Cancel ending it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRepositoryOverHttp, type RcloneServer } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { writeRandomFiles } from '../serve/serve-harness.js';
import { menuPaths, resticProcessesMentioning, startDesktopApp, type DesktopApp } from './harness.js';
import { liveOpIdInWindow, makeUserHome, opsOf, planItemLabel } from './fixtures.js';

const STALL_AFTER_SECONDS = 2;
const CANCEL_GRACE_SECONDS = 1;

let ws: Workspace;
let rclone: RcloneServer;
let user: Awaited<ReturnType<typeof makeUserHome>>;
let app: DesktopApp | null = null;
let opId = 0;

beforeAll(async () => {
  ws = await createWorkspace({ init: false, files: 0 });
  await writeRandomFiles(ws.sourceDir, 12, 16 * 1024 * 1024);
  rclone = await serveRepositoryOverHttp(ws);
  await ws.writeConfig({
    repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
    plans: [{ id: 'photos', repo: 'http', paths: [ws.sourceDir] }],
    settings: { stallAfterSeconds: STALL_AFTER_SECONDS, cancelGraceSeconds: CANCEL_GRACE_SECONDS, uiUpdateHz: 10 },
  });
  user = await makeUserHome();
  app = await startDesktopApp({ userHome: user.home, dataDir: ws.dataDir });
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

const stalledInTray = (s: { trays: { menu: { label: string }[] | null }[] }) => /stalled/.test(planItemLabel(s.trays.at(-1)!, 'photos') ?? '');

describe('a stalled backup in the desktop app', () => {
  it('notifies the stall; the tray offers Cancel and Keep waiting', async () => {
    await app!.call('clickTray', { path: ['photos - ', 'Back up now'] });
    opId = await liveOpIdInWindow(app!, 30_000);
    // Real bytes first, so that the freeze interrupts an upload rather than the start.
    await expect
      .poll(() => app!.call('evaluate', { fn: `() => document.querySelector('[data-testid="op-progress-${opId}"] progress')?.value ?? 0` }), { timeout: 30_000 })
      .toBeGreaterThan(0);
    rclone.freeze();
    const stall = await app!.waitFor('the stall notification', (s) => s.notifications.find((n) => n.title === 'Backup stalled'), (STALL_AFTER_SECONDS + 10) * 1000);
    expect(stall.urgency).toBe('critical');
    expect(stall.body).toMatch(/^photos: /);
    // Electron shows notification buttons on macOS and Windows only; on Linux the same two actions are in the tray.
    expect(stall.actions).toEqual(process.platform === 'linux' ? [] : ['Cancel', 'Keep waiting']);
    const tray = await app!.tray();
    expect(tray.icon).toMatch(/tray-stalled-22\.png$/);
    const item = planItemLabel(tray, 'photos')!;
    expect(menuPaths(tray.menu)).toEqual(expect.arrayContaining([`${item} > Cancel`, `${item} > Keep waiting`]));
    await app!.call('waitForSelector', { selector: `[data-testid="op-progress-${opId}"][data-status="stalled"]`, timeoutMs: 5_000 });
  });

  it('a click on the stall notification opens the window at that operation', async () => {
    await app!.call('windowAction', { action: 'hide' });
    const stall = (await app!.notifications()).find((n) => n.title === 'Backup stalled' && n.closedAt === null)!;
    await app!.call('clickNotification', { index: stall.index });
    await app!.waitFor('the window to show', (s) => s.windows.find((w) => w.visible && w.focused));
    await app!.call('waitForSelector', { selector: `[data-testid="op-detail-${opId}"]`, timeoutMs: 10_000 });
  });

  it('suspend and resume (powerMonitor) restart the stall clock: not stalled on waking, stalled again after the threshold', async () => {
    await app!.waitFor('the stall', stalledInTray);
    const stallsBefore = (await app!.notifications()).filter((n) => n.title === 'Backup stalled').length;
    await app!.call('power', { event: 'suspend' });
    await app!.call('power', { event: 'resume' });
    const resumedAt = Date.now();
    await app!.waitFor('the stall to be cleared by the wake', (s) => !stalledInTray(s), 5_000);
    await app!.waitFor('the stall again', stalledInTray, (STALL_AFTER_SECONDS + 8) * 1000);
    expect(Date.now() - resumedAt).toBeGreaterThanOrEqual(STALL_AFTER_SECONDS * 1000 - 300);
    // The wake did not make the app claim that the backup moved again; still stuck after a new threshold, it says so
    // again (one notification on screen: the new one replaced the old).
    const notifications = await app!.notifications();
    expect(notifications.map((n) => n.title)).not.toContain('Backup is moving again');
    await app!.waitFor('the stall notified again', (s) => s.notifications.filter((n) => n.title === 'Backup stalled').length > stallsBefore, 5_000);
    expect((await app!.notifications()).filter((n) => n.title === 'Backup stalled' && n.closedAt === null)).toHaveLength(1);
  });

  it('Keep waiting from the tray (no notification buttons on Linux): the stall clears, and is told again after the threshold', async () => {
    await app!.waitFor('the stall', stalledInTray);
    const stallsBefore = (await app!.notifications()).filter((n) => n.title === 'Backup stalled').length;
    await app!.call('clickTray', { path: ['photos - ', 'Keep waiting'] });
    const keptAt = Date.now();
    await app!.waitFor('the stall to clear', (s) => !stalledInTray(s), 5_000);
    await app!.waitFor('the stall notified again', (s) => s.notifications.filter((n) => n.title === 'Backup stalled').length > stallsBefore, (STALL_AFTER_SECONDS + 8) * 1000);
    expect(Date.now() - keptAt).toBeGreaterThanOrEqual(STALL_AFTER_SECONDS * 1000 - 300);
    expect((await app!.notifications()).map((n) => n.title)).not.toContain('Backup is moving again');
  });

  it('Cancel ends the stalled operation within the escalation bound, and no restic is left', async () => {
    const started = Date.now();
    await app!.call('clickTray', { path: ['photos - ', 'Cancel'] });
    await app!.waitFor('the operation to end', (s) => /cancelled/.test(planItemLabel(s.trays.at(-1)!, 'photos') ?? ''), (CANCEL_GRACE_SECONDS + 15) * 1000);
    expect(Date.now() - started).toBeLessThan((CANCEL_GRACE_SECONDS + 15) * 1000);
    expect((await opsOf(ws.dataDir)).find((o) => o.id === opId)?.status).toBe('cancelled');
    expect(resticProcessesMentioning(ws.sourceDir)).toEqual([]);
    const s = await app!.snapshot();
    expect(s.pageProblems).toEqual([]);
    expect(s.standinErrors).toEqual([]);
  });
});

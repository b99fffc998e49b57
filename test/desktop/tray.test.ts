// The tray and the window of the real desktop app over a real restic repository: "Back up now" from the tray
// starts the plan and the window shows its progress, "Cancel" from the tray ends it, "Pause schedules" pauses and
// the tray says so, closing the window keeps backups running, results notify as the settings say, and Quit with
// a running backup asks first and then cancels it cleanly, leaving no restic behind.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { uploadLimitFlags, writeRandomFiles } from '../serve/serve-harness.js';
import { menuPaths, resticProcessesMentioning, startDesktopApp, type DesktopApp } from './harness.js';
import { liveOpIdInWindow, makeUserHome, opsOf, planItemLabel } from './fixtures.js';

let ws: Workspace;
let user: Awaited<ReturnType<typeof makeUserHome>>;
let app: DesktopApp | null = null;

async function writeConfig(settings: Record<string, unknown>): Promise<void> {
  await ws.writeConfig({
    // 8 MiB at 2 MiB/s: a few seconds of visible progress.
    repos: [
      { id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, flags: uploadLimitFlags(2048) },
      { id: 'wrongpw', uri: ws.repoPath, password: { file: path.join(ws.root, 'wrong-password') } },
    ],
    plans: [
      { id: 'home', repo: 'local', paths: [ws.sourceDir] },
      // A source path that does not exist: restic saves a snapshot and reports it (a warning).
      { id: 'partial', repo: 'local', paths: [path.join(ws.root, 'docs'), path.join(ws.root, 'does-not-exist')] },
      { id: 'broken', repo: 'wrongpw', paths: [path.join(ws.root, 'docs')] },
    ],
    settings: { uiUpdateHz: 4, cancelGraceSeconds: 2, ...settings },
  });
}

beforeAll(async () => {
  ws = await createWorkspace({ files: 0 });
  await writeRandomFiles(ws.sourceDir, 8, 1024 * 1024);
  await mkdir(path.join(ws.root, 'docs'));
  await writeRandomFiles(path.join(ws.root, 'docs'), 2, 4096, 'doc');
  await writeFile(path.join(ws.root, 'wrong-password'), 'not-the-password\n');
  await writeConfig({ notifyOnSuccess: true });
  user = await makeUserHome();
  app = await startDesktopApp({ userHome: user.home, dataDir: ws.dataDir });
  await app.windowLoaded();
  await app.call('waitForSelector', { selector: '[data-testid="plan-row-home"]', timeoutMs: 20_000 });
});

afterAll(async () => {
  await app?.kill();
  await ws?.cleanup();
  await user?.cleanup();
});

const trayLabel = async (planId: string) => planItemLabel(await app!.tray(), planId);

describe('the tray of the desktop app', () => {
  it('"Back up now" starts the plan, the window shows its progress, and "Cancel" from the tray ends it', async () => {
    expect(menuPaths((await app!.tray()).menu)).toContain('home - never backed up > Back up now');
    await app!.call('clickTray', { path: ['home - ', 'Back up now'] });
    const opId = await liveOpIdInWindow(app!, 20_000);
    await app!.call('waitForSelector', { selector: `[data-testid="op-progress-${opId}"][data-status="running"]`, timeoutMs: 20_000 });
    const running = await app!.waitFor('the tray to show the running backup', (s) => {
      const t = s.trays.at(-1)!;
      return t.tooltip.includes('Backing up home') && /running/.test(planItemLabel(t, 'home') ?? '') ? t : null;
    });
    expect(running.icon).toMatch(/tray-running-22\.png$/);
    expect(menuPaths(running.menu)).toContain(`${planItemLabel(running, 'home')} > Cancel`);

    await app!.call('clickTray', { path: ['home - ', 'Cancel'] });
    await app!.waitFor('the tray to show the backup cancelled', (s) => /cancelled/.test(planItemLabel(s.trays.at(-1)!, 'home') ?? ''), 20_000);
    await app!.call('waitForSelector', { selector: '[data-testid="plan-status-home"][data-status="cancelled"]', timeoutMs: 10_000 });
    const op = (await opsOf(ws.dataDir)).find((o) => o.id === opId);
    expect(op?.status).toBe('cancelled');
    expect(op?.trigger).toBe('tray');
    expect(resticProcessesMentioning(ws.sourceDir)).toEqual([]);
  });

  it('"Pause schedules" pauses, and the tray says so until "Resume schedules"', async () => {
    await app!.call('clickTray', { path: ['Pause schedules', 'For 1 hour'] });
    const paused = await app!.waitFor('the tray to say schedules are paused', (s) => {
      const t = s.trays.at(-1)!;
      return t.tooltip.includes('schedules paused until') ? t : null;
    });
    expect(menuPaths(paused.menu)).toContain('Pause schedules > Resume schedules');
    await app!.call('clickTray', { path: ['Pause schedules', 'Resume schedules'] });
    const resumed = await app!.waitFor('the tray to stop saying paused', (s) => (!s.trays.at(-1)!.tooltip.includes('paused') ? s.trays.at(-1)! : null));
    expect(menuPaths(resumed.menu)).toContain('Pause schedules > For 1 hour');
  });

  it('closing the window keeps the backup running in the tray; finished, failed and warning results notify as the settings say', async () => {
    await app!.call('clickTray', { path: ['home - ', 'Back up now'] });
    await app!.waitFor('the backup to run', (s) => /running/.test(planItemLabel(s.trays.at(-1)!, 'home') ?? ''));
    await app!.call('windowAction', { action: 'close' });
    const hidden = await app!.window();
    expect(hidden).toMatchObject({ visible: false, destroyed: false });
    // Said once: the app is still there.
    await app!.waitFor('the tray hint', (s) => s.notifications.find((n) => n.body === 'Backstay keeps running in the tray.'));
    const finished = await app!.waitFor('the success notification', (s) => s.notifications.find((n) => n.title === 'Backup finished'), 30_000);
    expect(finished.body).toMatch(/^home: /);
    expect((await opsOf(ws.dataDir))[0]).toMatchObject({ planId: 'home', status: 'success' });
    expect((await app!.window()).visible).toBe(false);

    await app!.call('clickTray', { path: ['broken - ', 'Back up now'] });
    const failed = await app!.waitFor('the failure notification', (s) => s.notifications.find((n) => n.title === 'Backup failed'), 30_000);
    expect(failed.body).toMatch(/^broken: /);
    expect(failed.urgency).toBe('critical');
    await app!.call('clickTray', { path: ['partial - ', 'Back up now'] });
    const warned = await app!.waitFor('the warning notification', (s) => s.notifications.find((n) => n.title === 'Backup finished with warnings'), 30_000);
    expect(warned.body).toMatch(/^partial: /);

    // notifyOnSuccess off: a success says nothing (the host reloads config.json when it changes).
    await writeConfig({ notifyOnSuccess: false });
    await app!.call('windowAction', { action: 'show' });
    await expect
      .poll(() => app!.call('evaluate', { fn: '() => window.backstay.invoke("state.get", {}).then((s) => s.settings.notifyOnSuccess ?? false)' }), { timeout: 20_000 })
      .toBe(false);
    const before = (await app!.notifications()).filter((n) => n.title === 'Backup finished').length;
    await app!.call('clickTray', { path: ['home - ', 'Back up now'] });
    await expect.poll(async () => (await opsOf(ws.dataDir)).filter((o) => o.planId === 'home' && o.status === 'success').length, { timeout: 30_000 }).toBe(2);
    // The shell applies a snapshot at most twice a second: once the tray shows the result, any notification would have been decided.
    await app!.waitFor('the tray to show home ok', (s) => /^home - ok/.test(planItemLabel(s.trays.at(-1)!, 'home') ?? ''));
    expect((await app!.notifications()).filter((n) => n.title === 'Backup finished').length).toBe(before);
    expect((await app!.snapshot()).pageProblems).toEqual([]);
  });

  it('Quit with a running backup asks first; "Keep running" keeps it, "Cancel and quit" cancels it cleanly and exits', async () => {
    await app!.call('clickTray', { path: ['home - ', 'Back up now'] });
    await app!.waitFor('the backup to run', (s) => /running/.test(planItemLabel(s.trays.at(-1)!, 'home') ?? ''));
    await app!.call('clickTray', { path: ['Quit Backstay'] });
    const asked = await app!.waitFor('the quit question', (s) => s.dialogs.find((d) => d.kind === 'messageBox' && !d.answered));
    expect(asked).toMatchObject({ title: 'Quit Backstay?', message: '1 operation is running.', buttons: ['Keep running', 'Cancel and quit'], cancelId: 0 });
    await app!.call('answerDialog', { index: asked.index, response: 0 });
    // Still running, still backing up.
    await app!.waitFor('the window to be shown for the question', (s) => s.windows.find((w) => w.visible && !w.destroyed));
    expect(app!.child.exitCode).toBeNull();
    expect(/running/.test((await trayLabel('home')) ?? '')).toBe(true);

    await app!.call('clickTray', { path: ['Quit Backstay'] });
    const again = await app!.waitFor('the quit question again', (s) => s.dialogs.find((d) => d.kind === 'messageBox' && !d.answered));
    const quitAt = Date.now();
    await app!.call('answerDialog', { index: again.index, response: 1 });
    const exit = await Promise.race([app!.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - quitAt).toBeLessThan(20_000);
    const last = (await opsOf(ws.dataDir))[0]!;
    expect(last).toMatchObject({ planId: 'home', status: 'cancelled' });
    expect(resticProcessesMentioning(ws.sourceDir)).toEqual([]);
    app = null;
  });
});

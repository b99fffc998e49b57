// A scheduled run postponed by its conditions, seen through the real desktop app: a daily plan that needs a drive
// ("requireMount", a folder that is not a mount point) comes due, is postponed rather than run, and the tray shows
// the clock badge icon with "home postponed since ...: drive not connected", the window's header says postponed and
// the plan row has the grey clock badge. "Back up now" from the tray runs it anyway, and once it has run the
// postponement is settled: the tray goes back to the plain icon. The app's clocks are the clock stand-in, so the
// slot, the wake hold and the 30 s re-check of the conditions are the product's own and the test takes seconds.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState, Operation } from '../../main/common/index.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { startDesktopApp, type DesktopApp } from './harness.js';
import { makeUserHome, opsOf } from './fixtures.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
/** The scheduler's and the conditions' own figures (defaults): what the waits are bounded by. */
const WAKE_HOLD_MS = 60 * SECOND;
const TICK_MS = 15 * SECOND;
const RECHECK_MS = 30 * SECOND;
const STEP_MS = 5 * SECOND;

let ws: Workspace;
let user: Awaited<ReturnType<typeof makeUserHome>>;
let app: DesktopApp | null = null;
// A daily slot twelve hours away from now: no slot comes round in real time while the test runs.
const slotHour = (new Date().getHours() + 12) % 24;

beforeAll(async () => {
  ws = await createWorkspace({ files: 2 });
  const drive = path.join(ws.root, 'usb'); // there, but not a mount point: "drive not connected"
  await mkdir(drive);
  await ws.writeConfig({
    plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], schedule: { cron: `0 ${slotHour} * * *` }, conditions: { requireMount: drive } }],
  });
  user = await makeUserHome();
  app = await startDesktopApp({ userHome: user.home, dataDir: ws.dataDir, clock: true });
  await app.windowLoaded();
  await app.call('waitForSelector', { selector: '[data-testid="plan-row-home"]', timeoutMs: 20_000 });
});

afterAll(async () => {
  await app?.kill();
  await ws?.cleanup();
  await user?.cleanup();
});

const appState = async (): Promise<AppState> =>
  (await app!.call('evaluate', { fn: "() => window.backstay.invoke('state.get', {})" })) as AppState;
const backups = async (): Promise<Operation[]> => (await opsOf(ws.dataDir)).filter((op) => op.kind === 'backup');
const passTime = (ms: number) => app!.call('clockAdvance', { ms, stepMs: STEP_MS });
const trayIcon = async () => path.basename((await app!.tray()).icon ?? '');
const inWindow = async (selector: string) =>
  (await app!.call('evaluate', {
    fn: `() => { const el = document.querySelector(${JSON.stringify(selector)}); return el ? { text: el.textContent.replace(/\\s+/g, ' ').trim(), status: el.getAttribute('data-status') } : null; }`,
  })) as { text: string; status: string | null } | null;

describe('a postponed scheduled run in the desktop app', () => {
  it('shows the clock badge in the tray and the window; Back up now runs it and the tray goes back to plain', async () => {
    expect(await trayIcon()).toBe('tray-idle-22.png');

    // Let the daily slot come due: asleep until an hour after it, then the wake hold and a few ticks.
    const { now: beforeSleep } = await app!.call('clockJump', { ms: 0 });
    const slot = Date.parse((await appState()).plans.find((p) => p.id === 'home')!.nextRunAt!);
    await app!.call('power', { event: 'suspend' });
    await app!.call('clockJump', { ms: slot + HOUR - beforeSleep });
    await app!.call('power', { event: 'resume' });
    await passTime(WAKE_HOLD_MS + 2 * TICK_MS + STEP_MS);

    const home = (await appState()).plans.find((p) => p.id === 'home')!;
    expect(home.postponed?.reason).toBe('drive-missing');
    expect(await backups()).toEqual([]); // postponed, not run and not failed

    await app!.waitFor('the tray to show the clock badge', (s) => s.trays.at(-1)!.icon?.endsWith('tray-postponed-22.png') ?? false);
    const tray = await app!.tray();
    expect(tray.tooltip).toMatch(/^Backstay\nhome postponed since .+: drive not connected$/);
    expect(tray.menu?.find((i) => i.label.startsWith('home - '))?.label).toMatch(/^home - never backed up, postponed /);

    await app!.call('waitForSelector', { selector: '[data-testid="plan-postponed-home"]', timeoutMs: 10_000 });
    expect(await inWindow('[data-testid="overall-status"]')).toMatchObject({ status: 'postponed' });
    expect((await inWindow('[data-testid="overall-reason"]'))?.text).toMatch(/^home postponed since .+: drive not connected$/);
    expect(await inWindow('[data-testid="plan-postponed-home"] .badge')).toEqual({ text: 'Postponed', status: 'postponed' });
    expect((await inWindow('[data-testid="plan-postponed-home"]'))?.text).toMatch(/^Postponed drive not connected, since .+\. It waits for the drive to be connected\. Back up now runs it anyway\.$/);

    // "Back up now" does not wait for the drive; once it has run, the next look at the conditions settles it.
    await app!.call('clickTray', { path: ['home - ', 'Back up now'] });
    await expect.poll(async () => (await backups())[0]?.status, { timeout: 30_000, interval: 250 }).toBe('success');
    expect((await backups())[0]).toMatchObject({ trigger: 'tray' });
    await passTime(RECHECK_MS + STEP_MS);
    await app!.waitFor('the tray to show the plain icon again', (s) => s.trays.at(-1)!.icon?.endsWith('tray-idle-22.png') ?? false);
    expect((await appState()).plans.find((p) => p.id === 'home')!.postponed ?? null).toBeNull();
    expect(await inWindow('[data-testid="plan-postponed-home"]')).toBeNull();

    const s = await app!.snapshot();
    expect(s.pageProblems).toEqual([]);
    expect(s.standinErrors).toEqual([]);
  });
});

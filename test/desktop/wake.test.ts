// Suspend and resume through the desktop path: a plan scheduled once a day, the machine "sleeps" across three of
// its slots (powerMonitor `suspend`, the wall clock jumps three days on, `resume`), and after the wake hold exactly one
// scheduled backup runs, not one per missed slot, and saves a snapshot. The app's clocks are the clock stand-in
// (standin/clock.ts): over the suspend only the wall clock moves, as on a real machine; afterwards the test lets
// time pass quickly (wall clock and the app's timers together, in steps shorter than the scheduler's tick), so the
// 60 s wake hold and the 15 s tick are the product's own, unchanged, and the test takes seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState, Operation } from '../../main/common/index.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { writeRandomFiles } from '../serve/serve-harness.js';
import { resticProcessesMentioning, startDesktopApp, type DesktopApp } from './harness.js';
import { makeUserHome, opsOf } from './fixtures.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
/** The scheduler's own figures (main/core/schedule/scheduler.ts defaults): what the assertions are bounded by. */
const WAKE_HOLD_MS = 60 * SECOND;
const TICK_MS = 15 * SECOND;
/** Steps of passing time: well under the tick, so that each tick sees a tick's worth of time and no "sleep". */
const STEP_MS = 5 * SECOND;

let ws: Workspace;
let user: Awaited<ReturnType<typeof makeUserHome>>;
let app: DesktopApp | null = null;
// A daily slot twelve hours away from now: no slot comes round in real time while the test runs.
const slotHour = (new Date().getHours() + 12) % 24;

beforeAll(async () => {
  ws = await createWorkspace({ files: 0 });
  await writeRandomFiles(ws.sourceDir, 4, 256 * 1024);
  await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], schedule: { cron: `0 ${slotHour} * * *` } }] });
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

/** The engine's state as the window gets it (the real preload's bridge, the real IPC). */
const appState = async (): Promise<AppState> =>
  (await app!.call('evaluate', { fn: "() => window.backstay.invoke('state.get', {})" })) as AppState;
const nextRunOfHome = async (): Promise<number> => Date.parse((await appState()).plans.find((p) => p.id === 'home')!.nextRunAt!);
const backups = async (): Promise<Operation[]> => (await opsOf(ws.dataDir)).filter((op) => op.kind === 'backup');
const passTime = (ms: number) => app!.call('clockAdvance', { ms, stepMs: STEP_MS });

describe('suspend and resume in the desktop app', () => {
  it('a daily plan that slept through three slots runs once after the wake hold, and saves a snapshot', async () => {
    const { now: beforeSleep } = await app!.call('clockJump', { ms: 0 });
    const firstSlot = await nextRunOfHome();
    expect(firstSlot - beforeSleep).toBeGreaterThan(11 * HOUR);
    expect(firstSlot - beforeSleep).toBeLessThanOrEqual(13 * HOUR);

    // Asleep from now until an hour after the third slot.
    await app!.call('power', { event: 'suspend' });
    const { now: wokeAt } = await app!.call('clockJump', { ms: firstSlot + 2 * DAY + HOUR - beforeSleep });
    await app!.call('power', { event: 'resume' });

    // The wake hold: nothing starts for a minute after the wake, whatever is overdue.
    await passTime(WAKE_HOLD_MS - STEP_MS);
    expect(await backups()).toEqual([]);

    // Then one run: the hold is counted from the wake or from the first tick that saw the gap (a tick later at most),
    // and the run starts at the first tick after it.
    await passTime(STEP_MS + 2 * TICK_MS);
    const [catchUp, ...more] = await backups();
    expect(more).toEqual([]);
    expect(catchUp).toMatchObject({ trigger: 'schedule', planId: 'home' });
    // Queued by the scheduler's tick (createdAt, on the app's clock): after the hold, within a tick of its end.
    const queuedAfterWakeMs = Date.parse(catchUp!.createdAt) - wokeAt;
    expect(queuedAfterWakeMs).toBeGreaterThanOrEqual(WAKE_HOLD_MS);
    expect(queuedAfterWakeMs).toBeLessThanOrEqual(WAKE_HOLD_MS + 2 * TICK_MS + STEP_MS);

    // It ends with a snapshot (restic runs in real time).
    await expect.poll(async () => (await backups())[0]?.status, { timeout: 30_000, interval: 250 }).toBe('success');
    const snapshots = JSON.parse((await ws.restic(['snapshots', '--json'])).stdout) as { id: string }[];
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.id.startsWith((await backups())[0]!.snapshotId!)).toBe(true);

    // A few more ticks: the missed slots do not come back one by one, and the next run is the next slot.
    const { now } = await passTime(4 * TICK_MS);
    expect((await backups()).map((op) => op.id)).toEqual([catchUp!.id]);
    const nextRun = await nextRunOfHome();
    expect(nextRun).toBeGreaterThan(now);
    expect(nextRun - now).toBeLessThan(DAY);
    expect(new Date(nextRun).getHours()).toBe(slotHour);

    expect(resticProcessesMentioning(ws.sourceDir)).toEqual([]);
    const s = await app!.snapshot();
    expect(s.pageProblems).toEqual([]);
    expect(s.standinErrors).toEqual([]);
  });

  it('with schedules paused from the tray, a sleep across two slots runs nothing, and "Resume schedules" does not catch up', async () => {
    const ran = (await backups()).map((op) => op.id);
    await app!.call('clickTray', { path: ['Pause schedules', 'Until I resume'] });
    await app!.waitFor('the tray to say schedules are paused', (s) => s.trays.at(-1)!.tooltip.includes('schedules paused'));

    const { now: beforeSleep } = await app!.call('clockJump', { ms: 0 });
    await app!.call('power', { event: 'suspend' });
    await app!.call('clockJump', { ms: 2 * DAY });
    await app!.call('power', { event: 'resume' });
    await passTime(WAKE_HOLD_MS + 2 * TICK_MS + STEP_MS);
    expect((await backups()).map((op) => op.id)).toEqual(ran);

    // What came due during the pause is dropped, not run in a burst on resume; the next slot is the next one ahead.
    await app!.call('clickTray', { path: ['Pause schedules', 'Resume schedules'] });
    await app!.waitFor('the tray to stop saying paused', (s) => !s.trays.at(-1)!.tooltip.includes('paused'));
    const { now } = await passTime(2 * TICK_MS);
    expect((await backups()).map((op) => op.id)).toEqual(ran);
    const nextRun = await nextRunOfHome();
    expect(nextRun).toBeGreaterThan(now);
    expect(nextRun - now).toBeLessThan(DAY);
    expect(nextRun - beforeSleep).toBeGreaterThan(2 * DAY - HOUR);
    expect((await app!.snapshot()).standinErrors).toEqual([]);
  });
});

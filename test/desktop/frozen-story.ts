// The story this product exists for, through the desktop path: a real restic backup started from the tray while
// the window's renderer is suspended (SIGSTOP) for the whole backup, or with no window at all (started --hidden),
// measured from outside the app. Used by test/desktop/frozen.test.ts (small) and bench/desktop-frozen.ts (>= 1 GiB).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { summaryOf } from '../../main/common/index.js';
import { resticProcessesMentioning, rssOf, startDesktopApp, type DesktopApp } from './harness.js';
import { opsOf, planItemLabel } from './fixtures.js';

export type WindowMode = 'suspended' | 'none';

export interface FrozenRun {
  mode: WindowMode;
  status: string;
  /** The operation's own start-to-end time, from the oplog. */
  wallSeconds: number;
  /** restic's own figure from its summary. */
  resticSeconds: number | null;
  rssBeforeMB: number;
  /** Peak resident-set growth of the app's main process during the backup (sampled every 100 ms from /proc). */
  rssPeakGrowthMB: number;
  /** Snapshots sent to the window during the backup, and the most that were on their way at once. */
  windowSends: number;
  maxPendingSends: number;
  /** Suspended window only: the page's 10 ms timer ticks and state deliveries while suspended (must be 0). */
  pageTicksWhileSuspended: number | null;
  pageDeliveriesWhileSuspended: number | null;
  /** Suspended window only: from SIGCONT until the page showed the plan's final status. */
  finalStateAfterThawMs: number | null;
  uiUpdateHz: number;
}

export interface FrozenRunOptions {
  mode: WindowMode;
  sourceDir: string;
  uiUpdateHz?: number;
  /** Bound on the backup (ms). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const MB = 1024 * 1024;
const round = (n: number) => Math.round(n * 100) / 100;
const PLAN = 'bench';

async function prepare(root: string, sourceDir: string, hz: number): Promise<{ dataDir: string; userHome: string; repo: string }> {
  const dataDir = path.join(root, 'data');
  const repo = path.join(root, 'repo');
  const passwordFile = path.join(root, 'password');
  const userHome = path.join(root, 'home');
  await mkdir(dataDir);
  await mkdir(userHome);
  await writeFile(passwordFile, randomBytes(16).toString('hex'), { mode: 0o600 });
  await execa('restic', ['init'], { env: { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD_FILE: passwordFile }, stdin: 'ignore' });
  const config = {
    version: 1,
    repos: [{ id: 'local', uri: repo, password: { file: passwordFile } }],
    plans: [{ id: PLAN, repo: 'local', paths: [sourceDir] }],
    settings: { uiUpdateHz: hz, stallAfterSeconds: 300 },
  };
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  return { dataDir, userHome, repo };
}

/** In the page, before it is suspended: a 10 ms timer that records its ticks, and the moment the final status shows. */
const INSTALL_PROBES = `() => {
  window.__probe = { ticks: [], finalAt: null };
  setInterval(() => { const t = window.__probe.ticks; t.push(Date.now()); if (t.length > 5000) t.shift(); }, 10);
  const selector = '[data-testid="plan-status-${PLAN}"][data-status="success"]';
  const check = () => { if (window.__probe.finalAt === null && document.querySelector(selector)) window.__probe.finalAt = Date.now(); };
  new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, attributes: true });
  return true;
}`;

export async function runFrozenBackup(opts: FrozenRunOptions): Promise<FrozenRun> {
  const hz = opts.uiUpdateHz ?? 4;
  const log = opts.log ?? (() => undefined);
  const root = await mkdtemp(path.join(os.tmpdir(), 'backstay-frozen-'));
  let app: DesktopApp | null = null;
  try {
    const { dataDir, userHome } = await prepare(root, opts.sourceDir, hz);
    app = await startDesktopApp({ userHome, dataDir, args: opts.mode === 'none' ? ['--hidden'] : [] });
    await app.waitFor('the tray to list the plan', (s) => planItemLabel(s.trays.at(-1) ?? { menu: null }, PLAN));
    let suspendedAt = 0;
    if (opts.mode === 'suspended') {
      await app.windowLoaded();
      await app.call('waitForSelector', { selector: `[data-testid="plan-row-${PLAN}"]`, timeoutMs: 20_000 });
      await app.call('evaluate', { fn: INSTALL_PROBES });
      await app.call('resetIpcStats', {});
      suspendedAt = (await app.call('suspendWindow', {})).at;
    } else {
      const s = await app.snapshot();
      if (s.windows.some((w) => !w.destroyed)) throw new Error('started --hidden, yet a window is open');
    }
    const sentBefore = opts.mode === 'suspended' ? (await app.window()).ipc.sent : 0;

    const rssBefore = rssOf(app.pid) ?? 0;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(app!.pid) ?? 0)), 100);
    let maxPending = 0;
    try {
      await app.call('clickTray', { path: [`${PLAN} - `, 'Back up now'] });
      const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
      // The tray re-renders at most twice a second: an end seen here is late by <= 0.5 s; the time reported
      // is the operation's own (oplog), not this loop's.
      for (;;) {
        if (Date.now() > deadline) throw new Error('the backup did not end in time');
        const s = await app.snapshot();
        const win = s.windows.find((w) => !w.destroyed);
        if (win) maxPending = Math.max(maxPending, win.ipc.maxPending);
        const label = planItemLabel(s.trays.at(-1) ?? { menu: null }, PLAN) ?? '';
        if (/ - (ok|failed|warning|cancelled|interrupted)/.test(label)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      clearInterval(sampler);
    }
    const op = (await opsOf(dataDir)).find((o) => o.planId === PLAN && o.kind === 'backup');
    if (!op?.startedAt || !op.endedAt) throw new Error(`no finished backup in the oplog: ${JSON.stringify(op)}`);
    const summary = summaryOf(op, 'backup') ?? {};

    let windowSends = 0;
    let ticks: number | null = null;
    let deliveries: number | null = null;
    let finalAfterThaw: number | null = null;
    if (opts.mode === 'suspended') {
      const before = await app.window();
      windowSends = before.ipc.sent - sentBefore;
      maxPending = Math.max(maxPending, before.ipc.maxPending);
      const thawedAt = (await app.call('thawWindow', {})).at;
      await app.call('waitForSelector', { selector: `[data-testid="plan-status-${PLAN}"][data-status="success"]`, timeoutMs: 10_000 });
      const probe = (await app.call('evaluate', { fn: '() => window.__probe' })) as { ticks: number[]; finalAt: number | null };
      const stats = await app.call('pageIpcStats', {});
      // 50 ms of slack at each end: the SIGSTOP and SIGCONT themselves are not instantaneous.
      const during = (t: number) => t > suspendedAt + 50 && t < thawedAt - 50;
      ticks = probe.ticks.filter(during).length;
      deliveries = stats.deliveredAt.filter(during).length;
      finalAfterThaw = probe.finalAt === null ? null : probe.finalAt - thawedAt;
      log(`thawed: final state after ${finalAfterThaw} ms; ${windowSends} snapshot(s) sent while suspended, max pending ${maxPending}`);
    }

    // Quit through the tray; nothing runs, so nothing is asked.
    await app.call('clickTray', { path: ['Quit Backstay'] });
    const exit = await Promise.race([app.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    if (!exit || exit.code !== 0) throw new Error(`the app did not quit cleanly: ${JSON.stringify(exit)}`);
    if (resticProcessesMentioning(opts.sourceDir).length > 0) throw new Error('restic is still running after quit');
    app = null;

    return {
      mode: opts.mode,
      status: op.status,
      wallSeconds: round((Date.parse(op.endedAt) - Date.parse(op.startedAt)) / 1000),
      resticSeconds: summary.totalDuration !== undefined ? round(summary.totalDuration) : null,
      rssBeforeMB: round(rssBefore / MB),
      rssPeakGrowthMB: round((rssPeak - rssBefore) / MB),
      windowSends,
      maxPendingSends: maxPending,
      pageTicksWhileSuspended: ticks,
      pageDeliveriesWhileSuspended: deliveries,
      finalStateAfterThawMs: finalAfterThaw,
      uiUpdateHz: hz,
    };
  } finally {
    await app?.kill();
    await rm(root, { recursive: true, force: true });
  }
}

// The desktop app run whole (real entry, real preload, real renderer in Chromium through the Electron stand-in):
// the first run with a data directory that does not exist yet, the second instance, what the page is given, and
// the trusted-sender checks against pages that are not the app's.
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesktopApp, type DesktopApp } from './harness.js';
import { appLog, makeUserHome } from './fixtures.js';

let user: Awaited<ReturnType<typeof makeUserHome>>;
let app: DesktopApp | null = null;
let dataDir: string;
let foreign: http.Server;
let foreignUrl: string;
const foreignRequests: string[] = [];
let problemsSeenOnPurpose = 0;

beforeAll(async () => {
  user = await makeUserHome();
  // Not created: a first run must cope with a data directory that is not there yet.
  dataDir = path.join(user.home, 'fresh', 'backstay-data');
  foreign = http.createServer((req, res) => {
    foreignRequests.push(req.url ?? '');
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>not the app</title><p>someone else</p>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as net.AddressInfo).port}/page`;
});

afterAll(async () => {
  await app?.kill();
  foreign?.close();
  await user?.cleanup();
});

describe('the desktop app on its first run', () => {
  it('starts with an empty data directory: the tray shows the setup state and the window opens on the app page', async () => {
    app = await startDesktopApp({ userHome: user.home, dataDir });
    const win = await app.waitFor('the window to load', (s) => s.windows.find((w) => w.loads > 0 && w.visible));
    expect(win.url).toMatch(/^app:\/\/backstay\/(#\/dashboard)?$/); // the router settles the empty address on its first route
    expect(win.pageUrl).toMatch(/^http:\/\/backstay\.app\.localhost:\d+\/(#\/dashboard)?$/);
    const tray = await app.waitFor('the tray in the setup state', (s) => s.trays.find((t) => t.tooltip.includes('Set up your first backup')));
    expect(tray.icon).toMatch(/tray-setup-22\.png$/);
    expect(tray.menu?.map((i) => i.label)).toEqual(expect.arrayContaining(['Open Backstay', 'Quit Backstay']));
    // The page got its first snapshot through the real preload and shows the empty state that teaches.
    await app.call('waitForSelector', { selector: 'text=Add a repository', timeoutMs: 15_000 });
    const s = await app.snapshot();
    expect(s.pageProblems).toEqual([]);
    expect(s.standinErrors).toEqual([]);
  });

  it('gives the page exactly window.backstay: functions only, frozen, no Electron or Node objects', async () => {
    const seen = (await app!.call('evaluate', {
      fn: `() => ({
        keys: Object.keys(window.backstay).sort(),
        types: Object.values(window.backstay).map((v) => typeof v),
        frozen: Object.isFrozen(window.backstay),
        leaked: ['require', 'process', 'module', 'ipcRenderer', 'electron', 'Buffer', 'global'].filter((k) => k in window),
        enumerableGlobals: Object.keys(window).filter((k) => !/^\\d+$/.test(k)),
      })`,
    })) as { keys: string[]; types: string[]; frozen: boolean; leaked: string[]; enumerableGlobals: string[] };
    expect(seen.keys).toEqual(['ackState', 'invoke', 'onNavigate', 'onState']);
    expect(new Set(seen.types)).toEqual(new Set(['function']));
    expect(seen.frozen).toBe(true);
    expect(seen.leaked).toEqual([]);
    // Of the non-standard globals only `backstay` is the app's; playwright's own controller is the stand-in's.
    expect(seen.enumerableGlobals.filter((k) => k === 'backstay' || k.startsWith('__electronStandin'))).toEqual(['backstay']);
    // A real call over the bridge: the engine answers.
    const state = (await app!.call('evaluate', { fn: '() => window.backstay.invoke("state.get", {}).then((s) => ({ plans: s.plans.length, level: s.status?.level }))' })) as {
      plans: number;
      level: string;
    };
    expect(state).toEqual({ plans: 0, level: 'setup' });
  });

  it('a second instance on the same data directory focuses the first window and exits', async () => {
    const before = await app!.window();
    await app!.call('windowAction', { action: 'minimize' });
    const second = await startDesktopApp({ userHome: user.home, dataDir });
    const exit = await Promise.race([second.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    if (!exit) await second.kill();
    expect(exit).toEqual({ code: 0, signal: null });
    const after = await app!.waitFor('the first window to be restored and focused', (s) => {
      const w = s.windows.find((x) => x.id === before.id);
      return w && w.focusCount > before.focusCount && !w.minimized && w.visible ? w : null;
    });
    expect(after.focused).toBe(true);
    expect(app!.child.exitCode).toBeNull();
  });

  it('refuses navigation away from the app and sends https links to the browser, not into a window', async () => {
    await app!.call('evaluate', { fn: `(url) => { setTimeout(() => { location.href = url; }); return true; }`, arg: foreignUrl });
    const navigation = await app!.waitFor('the app to decide on the navigation', (s) => s.navigations.find((n) => n.url === foreignUrl));
    expect(navigation.prevented).toBe(true);
    await app!.call('evaluate', { fn: `() => { window.open('https://restic.readthedocs.io/en/stable/'); return true; }` });
    await app!.waitFor('the link to open in the browser', (s) => s.openedExternal.includes('https://restic.readthedocs.io/en/stable/'));
    // The navigation was decided before any request left the page: the foreign server saw nothing.
    const win = await app!.window();
    expect(win.url).toMatch(/^app:\/\/backstay\/(#\/dashboard)?$/); // the router settles the empty address on its first route
    expect(foreignRequests).toEqual([]);
    const s = await app!.snapshot();
    expect(s.windows.filter((w) => !w.destroyed)).toHaveLength(1);
    expect(s.pageProblems).toEqual([]);
  });

  it('would see a CSP violation: an inline script in the app page is refused and reported (the watch is live)', async () => {
    const before = (await app!.snapshot()).pageProblems.length;
    await app!.call('evaluate', { fn: `() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.appendChild(s); return window.__inline ?? null; }` });
    const problems = await app!.waitFor('the CSP violation to be reported', (s) => (s.pageProblems.length > before ? s.pageProblems.slice(before) : null));
    expect(problems.join('\n')).toMatch(/Content Security Policy/);
    // Reload the app page: the problems above were provoked on purpose; later checks start from here.
    await app!.call('loadURL', { url: 'app://backstay/' });
    problemsSeenOnPurpose = (await app!.snapshot()).pageProblems.length;
  });

  it('refuses an IPC call from a page that is not the app (the preload runs there too, the sender check does not let it in)', async () => {
    await app!.call('loadURL', { url: foreignUrl });
    expect((await app!.window()).url).toBe(foreignUrl);
    const reply = (await app!.call('evaluate', {
      fn: '() => window.backstay.invoke("state.get", {}).then(() => ({ ok: true }), (e) => ({ ok: false, code: e.code, message: e.message }))',
    })) as { ok: boolean; code?: string };
    expect(reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const log = await appLog(dataDir);
    expect(log).toContain('IPC call from an untrusted frame refused');
    expect(log).toContain(foreignUrl);
    // Back on the app's own page, the same call is answered again.
    await app!.call('loadURL', { url: 'app://backstay/' });
    const back = (await app!.call('evaluate', { fn: '() => window.backstay.invoke("state.get", {}).then((s) => typeof s.version)' })) as string;
    expect(back).toBe('number');
    expect((await app!.snapshot()).pageProblems.slice(problemsSeenOnPurpose)).toEqual([]);
  });
});

// Runs the real desktop entry (dist/main/hosts/electron/main.js, or another entry such as one extracted from
// app.asar) in a child Node process whose `electron` is the Chromium-backed stand-in, and drives the stand-in
// over the child's IPC channel: tray clicks, notification clicks, dialog answers, window states, the page.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  ControlMethod,
  ControlMethods,
  ControlReply,
  MenuItemSnapshot,
  NotificationSnapshot,
  StandinEvent,
  StandinSnapshot,
  TraySnapshot,
  WindowSnapshot,
} from './standin/control-protocol.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DESKTOP_ENTRY = path.join(ROOT, 'dist/main/hosts/electron/main.js');
const REGISTER = path.join(ROOT, 'test/desktop/standin/register.ts');
const CLOCK = path.join(ROOT, 'test/desktop/standin/clock.ts');

export interface DesktopAppOptions {
  /** Passed as --data-dir (omit to use the default, app.getPath('userData') under XDG_CONFIG_HOME). */
  dataDir?: string;
  /** XDG_CONFIG_HOME and HOME of the stand-in "user". */
  userHome: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  entry?: string;
  /** The app's folder, when it is not the nearest package.json above the entry. */
  appPath?: string;
  /** Load the clock stand-in (standin/clock.ts) first: the test can then jump the wall clock and let time pass. */
  clock?: boolean;
}

export interface DesktopApp {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  call<M extends ControlMethod>(method: M, params?: ControlMethods[M]['params']): Promise<ControlMethods[M]['result']>;
  snapshot(): Promise<StandinSnapshot>;
  tray(): Promise<TraySnapshot>;
  window(): Promise<WindowSnapshot>;
  notifications(): Promise<NotificationSnapshot[]>;
  /** Resolves when a window's page has loaded (the app opens its window after the engine started). */
  windowLoaded(timeoutMs?: number): Promise<WindowSnapshot>;
  /** Resolves when `predicate` holds for a fresh snapshot; rejects after timeoutMs with the last snapshot's gist. */
  waitFor<T>(what: string, predicate: (s: StandinSnapshot) => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Ends the app the hard way (test cleanup): SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
}

/** `npm test` builds first; a lone `npm run test:desktop` must have dist/ built (`npm run build`). */
export function assertBuilt(): void {
  for (const file of [DESKTOP_ENTRY, path.join(ROOT, 'dist/preload/index.cjs'), path.join(ROOT, 'dist/renderer/index.html')]) {
    if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run build\` first (npm test does)`);
  }
}

export async function startDesktopApp(options: DesktopAppOptions): Promise<DesktopApp> {
  const entry = options.entry ?? DESKTOP_ENTRY;
  if (!options.entry) assertBuilt();
  const args = [...(options.dataDir ? ['--data-dir', options.dataDir] : []), ...(options.args ?? [])];
  const imports = [...(options.clock ? ['--import', CLOCK] : []), '--import', REGISTER];
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...imports, entry, ...args], {
    cwd: options.appPath ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      HOME: options.userHome,
      XDG_CONFIG_HOME: path.join(options.userHome, '.config'),
      XDG_CURRENT_DESKTOP: 'KDE', // a desktop with a tray
      BACKSTAY_DATA_DIR: undefined,
      ...(options.appPath ? { BACKSTAY_STANDIN_APP_PATH: options.appPath } : {}),
      ...options.env,
    },
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on('message', (raw: unknown) => {
    const message = raw as ControlReply | StandinEvent;
    if (message?.type !== 'standin-reply') return;
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error !== undefined) pending.reject(new Error(`stand-in: ${message.error}`));
    else pending.resolve(message.result);
  });
  void exited.then(({ code, signal }) => {
    for (const p of waiting.values()) p.reject(new Error(`the desktop app exited (${code ?? signal}) before answering`));
    waiting.clear();
  });

  const call = <M extends ControlMethod>(method: M, params?: ControlMethods[M]['params']): Promise<ControlMethods[M]['result']> =>
    new Promise((resolve, reject) => {
      if (!child.connected) {
        reject(new Error(`the desktop app is not running (${method})\n--- app output (tail) ---\n${out.slice(-3000)}`));
        return;
      }
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ type: 'standin-control', id, method, params: params ?? {} });
    });
  const snapshot = () => call('snapshot');
  const waitFor = async <T>(what: string, predicate: (s: StandinSnapshot) => T | undefined | null | false, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: StandinSnapshot | null = null;
    while (Date.now() < deadline) {
      last = await snapshot();
      const value = predicate(last);
      if (value) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    const tray = last?.trays.at(-1);
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for ${what}; tray: ${JSON.stringify(tray?.tooltip)}, ` +
        `notifications: ${JSON.stringify(last?.notifications.map((n) => n.title))}, windows: ${JSON.stringify(last?.windows.map((w) => ({ url: w.url, visible: w.visible })))}` +
        `\n--- app output (tail) ---\n${out.slice(-3000)}`,
    );
  };

  const app: DesktopApp = {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    call,
    snapshot,
    waitFor,
    tray: async () => {
      const s = await snapshot();
      const tray = s.trays.filter((t) => !t.destroyed).at(-1);
      if (!tray) throw new Error('no tray icon');
      return tray;
    },
    window: async () => {
      const s = await snapshot();
      const win = s.windows.filter((w) => !w.destroyed).at(-1);
      if (!win) throw new Error('no window');
      return win;
    },
    notifications: async () => (await snapshot()).notifications,
    windowLoaded: (timeoutMs = 30_000) => waitFor('the window to load', (s) => s.windows.find((w) => !w.destroyed && w.loads > 0), timeoutMs),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  // The stand-in says 'ready' once Chromium runs; a second instance exits before that.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the desktop app did not get ready in 60 s\n${out.slice(-3000)}`)), 60_000);
    const onMessage = (raw: unknown) => {
      if ((raw as StandinEvent)?.type === 'standin-event' && (raw as StandinEvent).name === 'ready') done();
    };
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    void exited.then(done);
  });
  return app;
}

/** Flattens a tray menu into "label > sublabel" paths (for messages and assertions). */
export function menuPaths(items: MenuItemSnapshot[] | null, prefix = ''): string[] {
  if (!items) return [];
  return items.flatMap((item) => {
    if (item.type === 'separator') return [];
    const here = prefix ? `${prefix} > ${item.label}` : item.label;
    return [here + (item.enabled ? '' : ' (disabled)'), ...menuPaths(item.submenu ?? null, here)];
  });
}

/** restic processes whose command line mentions `needle` (a workspace path), read from /proc. */
export function resticProcessesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (path.basename(cmdline[0] ?? '') === 'restic' && cmdline.some((arg) => arg.includes(needle))) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

/** Resident set size of a process in bytes, from /proc (null when it is gone). */
export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

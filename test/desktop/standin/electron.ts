// A stand-in for the `electron` module, backed by Debian's Chromium through playwright-core. It implements the part
// of Electron's main-process API that main/hosts/electron/ (and electron-log) use, with Electron's documented
// semantics, and throws "not supported by the stand-in: X" for anything else, so that a new use is noticed.
// register.ts resolves `electron` to this file in the desktop app's process; the product code does not know.
// What it models and what it does not: test/desktop/README.md.
//
// Runs under Node's own type stripping (no tsx in the app's process), so: erasable TypeScript only, `import type`
// for types, no imports of sibling .ts files at run time.
import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, readlinkSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Frame, type Page, type Route } from 'playwright-core';
import type {
  ControlMethods,
  ControlReply,
  ControlRequest,
  DialogSnapshot,
  IpcStats,
  MenuItemSnapshot,
  NotificationSnapshot,
  StandinEvent,
  StandinSnapshot,
  TraySnapshot,
  WindowSnapshot,
} from './control-protocol.js';
import type { ClockControl } from './clock.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.BACKSTAY_STANDIN_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const ELECTRON_VERSION = (() => {
  try {
    const pkg = path.join(HERE, '..', '..', '..', 'node_modules', 'electron', 'package.json');
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return '45.0.0';
  }
})();

// ---------------------------------------------------------------------------------------------------------------
// Strictness: any property the stand-in does not model throws, naming it.

const standinErrors: string[] = [];
const BENIGN = new Set(['then', 'toJSON', 'asymmetricMatch', 'nodeType', '$$typeof', 'inspect', '__esModule', 'default', 'constructor', 'prototype', 'length', 'name']);

function unsupported(what: string): never {
  const message = `not supported by the stand-in: ${what}`;
  standinErrors.push(message);
  throw new Error(message);
}

function strict<T extends object>(target: T, name: string): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      if (typeof key === 'symbol' || key in obj || BENIGN.has(key) || key.startsWith('_')) return Reflect.get(obj, key, receiver);
      return unsupported(`${name}.${key}`);
    },
  });
}

/** Electron's Event: an object with preventDefault(), and the details of the newer event shapes. */
function electronEvent<T extends object>(details: T = {} as T): T & { preventDefault(): void; readonly defaultPrevented: boolean } {
  let prevented = false;
  Object.defineProperty(details, 'preventDefault', { value: () => void (prevented = true), enumerable: false });
  Object.defineProperty(details, 'defaultPrevented', { get: () => prevented, enumerable: false });
  return details as T & { preventDefault(): void; readonly defaultPrevented: boolean };
}

function report(error: unknown, where: string): void {
  const text = `${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  standinErrors.push(text);
  process.stderr.write(`[electron stand-in] ${text}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// The browser: launched once, when the stand-in loads; the app is "ready" when it runs.

let browser: Browser | null = null;
let context: BrowserContext | null = null;
let browserCdp: CDPSession | null = null;
let appReady = false;
let exiting = false;

async function launchBrowser(): Promise<void> {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  browserCdp = await browser.newBrowserCDPSession();
  context = await browser.newContext({ viewport: { width: 1100, height: 720 }, locale: appLocale(), reducedMotion: 'reduce' });
  // Every request of every page passes here: navigations of app windows (will-navigate), popups (the window
  // open handler), and everything else unchanged.
  await context.route('**/*', (route) => onRoute(route).catch((error) => report(error, 'route')));
}

async function rendererPids(): Promise<number[]> {
  if (!browserCdp) return [];
  const info = (await browserCdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  return info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = null;
  if (!b) return;
  for (const win of allWindows) for (const pid of win._suspendedPids) tryKill(pid, 'SIGCONT');
  await Promise.race([b.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

// ---------------------------------------------------------------------------------------------------------------
// app

function appLocale(): string {
  const forced = process.env.BACKSTAY_STANDIN_LOCALE;
  if (forced) return forced;
  const lang = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  const m = /^([a-z]{2,3})(?:_([A-Z]{2}))?/.exec(lang);
  if (!m || m[1] === 'C') return 'en-US';
  return m[2] ? `${m[1]}-${m[2]}` : m[1]!;
}

/** The app's folder: the nearest package.json above the main script (as `electron .` or resources/app.asar). */
function findAppPath(): string {
  if (process.env.BACKSTAY_STANDIN_APP_PATH) return path.resolve(process.env.BACKSTAY_STANDIN_APP_PATH);
  let dir = path.dirname(path.resolve(process.argv[1] ?? '.'));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

const appPath = findAppPath();
const appPackage = (() => {
  try {
    return JSON.parse(readFileSync(path.join(appPath, 'package.json'), 'utf8')) as { name?: string; productName?: string; version?: string };
  } catch {
    return {};
  }
})();

const paths = new Map<string, string>();
{
  const home = os.homedir();
  const appData = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  paths.set('home', home);
  paths.set('appData', appData);
  paths.set('temp', os.tmpdir());
  paths.set('exe', process.execPath);
  paths.set('module', process.execPath);
  paths.set('desktop', path.join(home, 'Desktop'));
  paths.set('documents', path.join(home, 'Documents'));
  paths.set('downloads', path.join(home, 'Downloads'));
}

let appName = appPackage.productName ?? appPackage.name ?? 'Electron';
const pathOf = (name: string): string => {
  if (name === 'userData' || name === 'sessionData') return paths.get(name) ?? path.join(paths.get('appData')!, appName);
  if (name === 'logs') return paths.get('logs') ?? path.join(pathOf('userData'), 'logs');
  if (name === 'crashDumps') return paths.get('crashDumps') ?? path.join(pathOf('userData'), 'Crashpad');
  const known = paths.get(name);
  if (!known) throw new Error(`Failed to get '${name}' path`);
  return known;
};

class App extends EventEmitter {
  commandLine = strict(
    {
      appendSwitch: () => unsupported('app.commandLine.appendSwitch'),
      hasSwitch: () => false,
      getSwitchValue: () => '',
    },
    'app.commandLine',
  );

  get name(): string {
    return appName;
  }
  set name(value: string) {
    appName = value;
  }
  get isPackaged(): boolean {
    return /app\.asar$/.test(appPath);
  }
  getName(): string {
    return appName;
  }
  setName(name: string): void {
    appName = name;
  }
  getVersion(): string {
    return appPackage.version ?? ELECTRON_VERSION;
  }
  getAppPath(): string {
    return appPath;
  }
  getLocale(): string {
    return appLocale();
  }
  getSystemLocale(): string {
    return appLocale();
  }
  getPreferredSystemLanguages(): string[] {
    return [appLocale()];
  }
  getPath(name: string): string {
    return pathOf(name);
  }
  /** Documented: "If the path specifies a directory that does not exist, an Error is thrown." */
  setPath(name: string, value: string): void {
    if (!path.isAbsolute(value)) throw new Error(`Path must be absolute: ${value}`);
    if (!['home', 'appData', 'userData', 'sessionData', 'temp', 'exe', 'module', 'desktop', 'documents', 'downloads', 'logs', 'crashDumps'].includes(name)) {
      throw new Error(`Failed to set path`);
    }
    let isDir = false;
    try {
      isDir = statSync(value).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir && name !== 'exe' && name !== 'module') {
      throw new Error(`Failed to set path: the directory "${value}" does not exist (app.setPath throws for a missing directory)`);
    }
    paths.set(name, value);
  }
  setAppLogsPath(value?: string): void {
    paths.set('logs', value ?? path.join(pathOf('userData'), 'logs'));
  }
  isReady(): boolean {
    return appReady;
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  setAppUserModelId(_id: string): void {
    if (process.platform !== 'win32') unsupported('app.setAppUserModelId outside Windows');
  }
  setLoginItemSettings(settings: unknown): void {
    if (process.platform === 'linux') unsupported('app.setLoginItemSettings on Linux (Electron supports it on macOS and Windows)');
    loginItemSettings.push(settings);
  }
  getLoginItemSettings(): unknown {
    return loginItemSettings[loginItemSettings.length - 1] ?? { openAtLogin: false };
  }
  focus(): void {
    BrowserWindow.getAllWindows()[0]?.focus();
  }
  requestSingleInstanceLock(additionalData?: unknown): boolean {
    return singleton.request(additionalData ?? null);
  }
  hasSingleInstanceLock(): boolean {
    return singleton.held;
  }
  releaseSingleInstanceLock(): void {
    singleton.release();
  }
  /**
   * Documented order: 'before-quit' (preventable), then every window is asked to close (a window that prevents
   * its 'close' cancels the quit), then 'will-quit' (preventable), then 'quit', and the process ends.
   */
  quit(): void {
    if (exiting || quitInProgress) return;
    quitInProgress = true;
    try {
      const before = electronEvent();
      this.emit('before-quit', before);
      if (before.defaultPrevented) return;
      for (const win of BrowserWindow.getAllWindows()) {
        if (!win._requestClose()) return;
      }
      const will = electronEvent();
      this.emit('will-quit', will);
      if (will.defaultPrevented) return;
      this.emit('quit', electronEvent(), 0);
      terminate(0);
    } finally {
      quitInProgress = false;
    }
  }
  /** Exits at once: windows are destroyed without asking, no 'before-quit' or 'will-quit'. */
  exit(code = 0): void {
    terminate(code);
  }
  relaunch(): void {
    unsupported('app.relaunch');
  }
}

let quitInProgress = false;
const loginItemSettings: unknown[] = [];

function terminate(code: number): void {
  if (exiting) return;
  exiting = true;
  for (const win of BrowserWindow.getAllWindows()) win.destroy();
  singleton.release();
  sendEvent({ type: 'standin-event', name: 'exit', detail: { code } });
  void closeBrowser().finally(() => {
    server?.close();
    process.exit(code);
  });
}

export const app = strict(new App(), 'app');

let resolveReady!: () => void;
const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));

// Launch on the next turn, after the entry's synchronous start-up (single-instance lock, scheme registration).
setImmediate(() => {
  if (exiting) return;
  launchBrowser()
    .then(async () => {
      if (exiting) return;
      await startProtocolServer();
      appReady = true;
      app.emit('will-finish-launching');
      app.emit('ready', electronEvent(), {});
      resolveReady();
      sendEvent({ type: 'standin-event', name: 'ready' });
    })
    .catch((error: unknown) => {
      report(error, 'launching Chromium');
      terminate(70);
    });
});

// ---------------------------------------------------------------------------------------------------------------
// Single instance: Chromium's ProcessSingleton, per userData folder: a SingletonLock symlink naming
// "<hostname>-<pid>", and a socket the second instance tells its command line to before it gives up.

const singleton = {
  held: false,
  lockPath: '',
  socketPath: '',
  server: null as net.Server | null,
  request(additionalData: unknown): boolean {
    if (this.held) return true;
    const dir = pathOf('userData');
    mkdirSync(dir, { recursive: true });
    this.lockPath = path.join(dir, 'SingletonLock');
    this.socketPath = path.join(os.tmpdir(), `backstay-standin-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`);
    const me = `${os.hostname()}-${process.pid}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        symlinkSync(me, this.lockPath);
        this.held = true;
        this.listen();
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let owner = '';
      try {
        owner = readlinkSync(this.lockPath);
      } catch {
        continue;
      }
      const pid = Number(owner.slice(owner.lastIndexOf('-') + 1));
      const alive = owner.startsWith(`${os.hostname()}-`) && Number.isInteger(pid) && pid > 0 && isAlive(pid);
      if (!alive) {
        try {
          unlinkSync(this.lockPath);
        } catch {
          /* raced with someone else */
        }
        continue;
      }
      // Another instance holds it: hand it our command line (synchronously, as Chromium does) and give up.
      const message = JSON.stringify({ argv: process.argv, workingDirectory: process.cwd(), additionalData });
      const script =
        'const s=require("net").connect(process.argv[1]);s.on("connect",()=>s.end(process.argv[2]));' +
        's.on("data",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(2),5000);';
      spawnSync(process.execPath, ['-e', script, this.socketPath, message], { stdio: 'ignore', timeout: 10_000 });
      return false;
    }
    return false;
  },
  listen(): void {
    try {
      unlinkSync(this.socketPath);
    } catch {
      /* none */
    }
    this.server = net.createServer((socket) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('end', () => {
        socket.end('ACK');
        try {
          const { argv, workingDirectory, additionalData } = JSON.parse(text) as { argv: string[]; workingDirectory: string; additionalData: unknown };
          app.emit('second-instance', electronEvent(), argv, workingDirectory, additionalData);
        } catch (error) {
          report(error, 'second-instance');
        }
      });
      socket.on('error', () => undefined);
    });
    this.server.listen(this.socketPath);
    this.server.unref();
  },
  release(): void {
    if (!this.held) return;
    this.held = false;
    this.server?.close();
    for (const file of [this.lockPath, this.socketPath]) {
      try {
        unlinkSync(file);
      } catch {
        /* gone */
      }
    }
  },
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

process.on('exit', () => singleton.release());

// ---------------------------------------------------------------------------------------------------------------
// protocol: the app's scheme served on a loopback origin; URLs translated at every boundary the app can see.
// app://backstay/x  <->  http://backstay.app.localhost:PORT/x   (Chromium resolves *.localhost to loopback)

interface Privileges {
  standard?: boolean;
  secure?: boolean;
  supportFetchAPI?: boolean;
  stream?: boolean;
  corsEnabled?: boolean;
  bypassCSP?: boolean;
  allowServiceWorkers?: boolean;
  codeCache?: boolean;
}
type ProtocolHandler = (request: Request) => Response | Promise<Response>;

const privilegedSchemes = new Map<string, Privileges>();
const handlers = new Map<string, ProtocolHandler>();
let server: http.Server | null = null;
let serverPort = 0;

function startProtocolServer(): Promise<void> {
  server = http.createServer((req, res) => {
    void serveCustomScheme(req, res).catch((error) => {
      report(error, 'protocol handler');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(0, '127.0.0.1', () => {
      serverPort = (server!.address() as net.AddressInfo).port;
      resolve();
    });
  });
}

/** http://H.S.localhost:PORT/... for the app's scheme S and host H, or null for any other URL. */
export function toPageUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (!handlers.has(scheme)) return url;
  if (!parsed.host) unsupported(`a ${scheme}: URL without a host (only standard schemes are modelled)`);
  return `http://${parsed.host}.${scheme}.localhost:${serverPort}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** The app's own URL for a page URL on the stand-in's origin; any other URL unchanged. */
export function toAppUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'http:' || Number(parsed.port) !== serverPort || serverPort === 0) return url;
  const m = /^(.+)\.([a-z][a-z0-9+.-]*)\.localhost$/.exec(parsed.hostname);
  if (!m || !handlers.has(m[2]!)) return url;
  return `${m[2]}://${m[1]}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

async function serveCustomScheme(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const pageUrl = `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`;
  const appUrl = toAppUrl(pageUrl);
  const scheme = appUrl.slice(0, appUrl.indexOf(':'));
  const handler = handlers.get(scheme);
  if (!handler || appUrl === pageUrl) {
    res.writeHead(404).end();
    return;
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (['host', 'connection', 'keep-alive'].includes(key) || value === undefined) continue;
    headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = Readable.toWeb(req) as ReadableStream;
    init.duplex = 'half';
  }
  const response = await handler(new Request(appUrl, init));
  if (!(response instanceof Response)) throw new Error(`the handler for ${scheme}: returned something that is not a Response`);
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => (out[key] = value));
  res.writeHead(response.status, out);
  if (!response.body || method === 'HEAD') {
    res.end();
    return;
  }
  Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
}

export const protocol = strict(
  {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Privileges }[]) {
      if (appReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      for (const s of schemes) privilegedSchemes.set(s.scheme, s.privileges ?? {});
    },
    handle(scheme: string, handler: ProtocolHandler) {
      if (['http', 'https', 'file', 'ws', 'wss'].includes(scheme)) unsupported(`protocol.handle('${scheme}') (intercepting a built-in scheme)`);
      if (!privilegedSchemes.get(scheme)?.standard) unsupported(`protocol.handle('${scheme}') for a scheme not registered as standard`);
      if (handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
      handlers.set(scheme, handler);
    },
    unhandle(scheme: string) {
      handlers.delete(scheme);
    },
    isProtocolHandled(scheme: string) {
      return handlers.has(scheme);
    },
  },
  'protocol',
);

// ---------------------------------------------------------------------------------------------------------------
// ipcMain

type IpcListener = (event: unknown, ...args: unknown[]) => void;
type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;
const invokeHandlers = new Map<string, InvokeHandler>();

class IpcMain extends EventEmitter {
  handle(channel: string, handler: InvokeHandler): void {
    if (invokeHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, handler);
  }
  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      invokeHandlers.delete(channel);
      return handler(event, ...args);
    });
  }
  removeHandler(channel: string): void {
    invokeHandlers.delete(channel);
  }
}
export const ipcMain = strict(new IpcMain(), 'ipcMain');

// ---------------------------------------------------------------------------------------------------------------
// WebFrameMain, WebContents, BrowserWindow

const frameObjects = new WeakMap<Frame, WebFrameMain>();

class WebFrameMain {
  _frame: Frame;
  _contents: WebContents;
  constructor(frame: Frame, contents: WebContents) {
    this._frame = frame;
    this._contents = contents;
  }
  get url(): string {
    return toAppUrl(this._frame.url());
  }
  get name(): string {
    return this._frame.name();
  }
  get top(): WebFrameMain {
    return this._contents.mainFrame;
  }
  get parent(): WebFrameMain | null {
    const parent = this._frame.parentFrame();
    return parent ? frameOf(parent, this._contents) : null;
  }
  get frames(): WebFrameMain[] {
    return this._frame.childFrames().map((f) => frameOf(f, this._contents));
  }
  get processId(): number {
    return this._contents._pids[0] ?? 0;
  }
  get routingId(): number {
    return 1;
  }
  isDestroyed(): boolean {
    return this._frame.isDetached();
  }
}

function frameOf(frame: Frame, contents: WebContents): WebFrameMain {
  let object = frameObjects.get(frame);
  if (!object) {
    object = strict(new WebFrameMain(frame, contents), 'WebFrameMain');
    frameObjects.set(frame, object);
  }
  return object;
}

let nextId = 1;
const allContents: WebContents[] = [];
type OpenHandler = (details: { url: string; frameName: string; features: string; disposition: string; referrer: { url: string; policy: string } }) =>
  | { action: 'deny' }
  | { action: 'allow'; overrideBrowserWindowOptions?: unknown };

class WebContents extends EventEmitter {
  readonly id = nextId++;
  _page: Page | null = null;
  _window: BrowserWindow;
  _destroyed = false;
  _loading = false;
  _pids: number[] = [];
  _hook = `__electronStandin_${randomBytes(8).toString('hex')}`;
  _binding = `__electronStandinIpc_${randomBytes(8).toString('hex')}`;
  _openHandler: OpenHandler | null = null;
  _ipc: IpcStats = { sent: 0, delivered: 0, pending: 0, maxPending: 0, invokes: 0 };
  _expectedNavigation: string | null = null;
  _loads = 0;
  _pageReady: Promise<Page>;

  constructor(win: BrowserWindow, preload: string | undefined) {
    super();
    this._window = win;
    this._pageReady = this._createPage(preload);
    this._pageReady.catch((error) => report(error, 'creating the page'));
  }

  async _createPage(preload: string | undefined): Promise<Page> {
    if (!context) throw new Error('BrowserWindow created before app is ready');
    const before = new Set(await rendererPids());
    const page = await context.newPage();
    this._page = page;
    pagesToContents.set(page, this);
    await page.exposeBinding(this._binding, (source, message: { kind: 'invoke' | 'send'; channel: string; args: unknown[] }) =>
      this._fromRenderer(source.frame, message),
    );
    await page.addInitScript({ content: initScript(this, preload) });
    page.on('console', (msg) => {
      const level = ({ error: 'error', warning: 'warning', debug: 'debug' } as Record<string, 'error' | 'warning' | 'debug'>)[msg.type()] ?? 'info';
      if (level === 'error') pageProblems.push(`console error: ${msg.text()} (${toAppUrl(msg.location().url)})`);
      const details = electronEvent({ message: msg.text(), level, lineNumber: msg.location().lineNumber, sourceId: toAppUrl(msg.location().url), frame: this.mainFrame });
      this.emit('console-message', details, ['info', 'warning', 'error', 'debug'].indexOf(level), details.message, details.lineNumber, details.sourceId);
    });
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('crash', () => {
      pageProblems.push('the renderer crashed');
      this.emit('render-process-gone', electronEvent(), { reason: 'crashed', exitCode: 1 });
    });
    page.on('domcontentloaded', () => this.emit('dom-ready', electronEvent()));
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.emit('did-navigate', electronEvent(), this.getURL(), 200, 'OK');
    });
    page.on('load', () => {
      this._loading = false;
      this._loads++;
      this.emit('did-stop-loading', electronEvent());
      this.emit('did-finish-load', electronEvent());
      sendEvent({ type: 'standin-event', name: 'window-loaded', detail: { windowId: this._window.id, url: this.getURL() } });
    });
    page.on('popup', (popup) => void this._popup(popup));
    await page.mainFrame().waitForLoadState('domcontentloaded').catch(() => undefined);
    const after = await rendererPids();
    this._pids = after.filter((pid) => !before.has(pid));
    return page;
  }

  /** ipcRenderer.invoke / ipcRenderer.send from the page: the event the main process sees, as Electron builds it. */
  async _fromRenderer(frame: Frame, message: { kind: 'invoke' | 'send'; channel: string; args: unknown[] }): Promise<unknown> {
    const senderFrame = frameOf(frame, this);
    const args = structuredClone(message.args);
    const base = { sender: this._strict(), senderFrame, frameId: senderFrame.routingId, processId: senderFrame.processId, type: 'frame' as const };
    if (message.kind === 'send') {
      const event = electronEvent({ ...base, returnValue: undefined as unknown, ports: [], reply: (channel: string, ...a: unknown[]) => this.send(channel, ...a) });
      ipcMain.emit(message.channel, event, ...args);
      return null;
    }
    this._ipc.invokes++;
    const handler = invokeHandlers.get(message.channel);
    if (!handler) throw new Error(`Error invoking remote method '${message.channel}': Error: No handler registered for '${message.channel}'`);
    try {
      return structuredClone(await handler(electronEvent(base), ...args));
    } catch (error) {
      throw new Error(`Error invoking remote method '${message.channel}': ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }

  _strictSelf: WebContents | null = null;
  _strict(): WebContents {
    return this._strictSelf ?? this;
  }

  /** A popup (window.open, a target=_blank link): the app's window open handler decides. Only 'deny' is modelled. */
  async _popup(popup: Page): Promise<void> {
    let url = popup.url();
    // Its first navigation was held back in onRoute (before the popup had a frame); take the URL from there.
    for (let i = 0; i < 50 && (url === '' || url === 'about:blank') && popupRequests.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    if (url === '' || url === 'about:blank') url = popupRequests.shift() ?? 'about:blank';
    await this._decideOpen(url);
    await popup.close().catch(() => undefined);
  }

  async _decideOpen(url: string): Promise<void> {
    const details = { url: toAppUrl(url), frameName: '', features: '', disposition: 'foreground-tab', referrer: { url: this.getURL(), policy: 'strict-origin-when-cross-origin' } };
    const decision = this._openHandler ? this._openHandler(details) : { action: 'allow' as const };
    if (decision.action !== 'deny') report(new Error('not supported by the stand-in: a window the open handler allows (only deny is modelled)'), 'window open');
  }

  get mainFrame(): WebFrameMain {
    if (!this._page) unsupported('webContents.mainFrame before the page exists');
    return frameOf(this._page.mainFrame(), this);
  }
  getURL(): string {
    if (!this._page) return '';
    const url = this._page.url();
    return url === 'about:blank' ? '' : toAppUrl(url);
  }
  getTitle(): string {
    return this._window.getTitle();
  }
  isLoading(): boolean {
    return this._loading || !this._page;
  }
  isDestroyed(): boolean {
    return this._destroyed;
  }
  isCrashed(): boolean {
    return this._page?.isClosed() ?? false;
  }
  getOSProcessId(): number {
    return this._pids[0] ?? 0;
  }
  focus(): void {
    void this._page?.bringToFront().catch(() => undefined);
  }
  setWindowOpenHandler(handler: OpenHandler): void {
    this._openHandler = handler;
  }
  async loadURL(url: string): Promise<void> {
    if (this._destroyed) throw new Error('Object has been destroyed');
    const page = await this._pageReady;
    const target = toPageUrl(url);
    if (!/^https?:/.test(target)) unsupported(`webContents.loadURL('${url}') (only the app's scheme and http(s) are modelled)`);
    this._loading = true;
    this._expectedNavigation = target;
    this.emit('did-start-loading', electronEvent());
    try {
      const response = await page.goto(target, { waitUntil: 'load', timeout: 60_000 });
      if (response && response.status() >= 400) {
        this.emit('did-fail-load', electronEvent(), -6, `HTTP ${response.status()}`, url, true);
      }
    } catch (error) {
      this._loading = false;
      this.emit('did-fail-load', electronEvent(), -3, 'ERR_ABORTED', url, true);
      throw new Error(`ERR_ABORTED (-3) loading '${url}': ${(error as Error).message}`);
    } finally {
      this._expectedNavigation = null;
    }
  }
  reload(): void {
    void this._page?.reload().catch(() => undefined);
  }
  /** Electron serializes with the structured clone algorithm (functions throw) and delivers asynchronously. */
  send(channel: string, ...args: unknown[]): void {
    if (this._destroyed) throw new Error('Object has been destroyed');
    const copied = structuredClone(args);
    const page = this._page;
    this._ipc.sent++;
    if (!page) return; // no renderer yet: the message is lost, as in Electron
    this._ipc.pending++;
    this._ipc.maxPending = Math.max(this._ipc.maxPending, this._ipc.pending);
    void page
      .evaluate(([hook, ch, a]) => (globalThis as unknown as Record<string, { deliver(c: string, x: unknown[]): void }>)[hook]!.deliver(ch, a), [this._hook, channel, copied] as const)
      .then(
        () => this._ipc.delivered++,
        () => undefined, // the page navigated or closed meanwhile: lost, as in Electron
      )
      .finally(() => this._ipc.pending--);
  }
  executeJavaScript(): never {
    return unsupported('webContents.executeJavaScript');
  }
  openDevTools(): never {
    return unsupported('webContents.openDevTools');
  }
  _destroy(): void {
    if (this._destroyed) return;
    this._destroyed = true;
    const i = allContents.indexOf(this._strict());
    if (i >= 0) allContents.splice(i, 1);
    this.emit('destroyed', electronEvent());
    void this._pageReady.then((page) => page.close()).catch(() => undefined);
  }
}

const pagesToContents = new WeakMap<Page, WebContents>();

/** The init script: the renderer side of the stand-in, then the real preload, wrapped as Electron wraps it. */
function initScript(contents: WebContents, preload: string | undefined): string {
  const world = readFileSync(path.join(HERE, 'page-world.js'), 'utf8');
  const config = {
    binding: contents._binding,
    hook: contents._hook,
    platform: process.platform,
    arch: process.arch,
    versions: { electron: ELECTRON_VERSION, chrome: browser?.version() ?? '', node: process.versions.node },
  };
  const source = preload ? readFileSync(preload, 'utf8') : '';
  return [
    '(() => {',
    world,
    `const __env = installElectronStandin(${JSON.stringify(config)});`,
    'if (!__env) return;',
    'const module = { exports: {} };',
    `(function (require, module, exports, process, global) {\n${source}\n}).call(undefined, __env.require, module, module.exports, __env.process, globalThis);`,
    `})();\n//# sourceURL=electron-standin-preload.js`,
  ].join('\n');
}

/** First navigations of popups, held back before the popup page existed (the window open handler decides). */
const popupRequests: string[] = [];

async function onRoute(route: Route): Promise<void> {
  const request = route.request();
  let frame: Frame;
  try {
    frame = request.frame();
  } catch {
    // "issued before the frame is created": a popup's (window.open, target=_blank) first navigation.
    // Nothing leaves: it is answered here with an empty page, so that the popup commits and playwright reports it
    // to its opener (an aborted first navigation leaves it unreported), whose window open handler then decides.
    if (request.isNavigationRequest()) {
      popupRequests.push(request.url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '' });
    } else await route.continue();
    return;
  }
  let page: Page | null = null;
  try {
    page = frame.page();
  } catch {
    page = null;
  }
  const contents = page ? pagesToContents.get(page) : undefined;
  if (!request.isNavigationRequest() || !frame || frame.parentFrame()) {
    await route.continue();
    return;
  }
  if (!contents) {
    // A popup's first navigation: the opener's window open handler decides (deny is all that is modelled).
    const opener = page ? await page.opener().catch(() => null) : null;
    const openerContents = opener ? pagesToContents.get(opener) : undefined;
    if (openerContents) {
      await openerContents._decideOpen(request.url());
      await route.abort('aborted');
      await page?.close().catch(() => undefined);
      return;
    }
    await route.continue();
    return;
  }
  if (contents._expectedNavigation === request.url()) {
    contents._loading = true;
    await route.continue();
    return;
  }
  // A navigation the page started itself: 'will-navigate', which the app may prevent.
  const url = toAppUrl(request.url());
  const event = electronEvent({ url, isSameDocument: false, isMainFrame: true, frame: contents.mainFrame, initiator: contents.mainFrame });
  contents.emit('will-navigate', event, url, false, true, contents.getOSProcessId(), 1);
  navigations.push({ url, prevented: event.defaultPrevented });
  if (event.defaultPrevented) {
    await route.abort('aborted');
    return;
  }
  contents._loading = true;
  await route.continue();
}

const allWindows: BrowserWindow[] = [];
/** Navigations the pages started themselves ('will-navigate'), and whether the app prevented them. */
const navigations: { url: string; prevented: boolean }[] = [];
const pageProblems: string[] = [];

interface BrowserWindowOptions {
  width?: number;
  height?: number;
  show?: boolean;
  title?: string;
  backgroundColor?: string;
  webPreferences?: {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    nodeIntegrationInWorker?: boolean;
    webviewTag?: boolean;
    spellcheck?: boolean;
    backgroundThrottling?: boolean;
  };
  [key: string]: unknown;
}

export class BrowserWindow extends EventEmitter {
  readonly id: number;
  readonly webContents: WebContents;
  _visible: boolean;
  _minimized = false;
  _focused = false;
  _destroyed = false;
  _title: string;
  _backgroundColor: string;
  _focusCount = 0;
  _suspendedPids: number[] = [];
  _readyToShowSent = false;

  static getAllWindows(): BrowserWindow[] {
    return allWindows.filter((w) => !w._destroyed);
  }
  static getFocusedWindow(): BrowserWindow | null {
    return allWindows.find((w) => !w._destroyed && w._focused) ?? null;
  }
  static fromWebContents(contents: WebContents): BrowserWindow | null {
    return allWindows.find((w) => w.webContents === contents) ?? null;
  }
  static fromId(id: number): BrowserWindow | null {
    return allWindows.find((w) => w.id === id) ?? null;
  }

  constructor(options: BrowserWindowOptions = {}) {
    super();
    if (!appReady) throw new Error('Cannot create BrowserWindow before app is ready');
    const prefs = options.webPreferences ?? {};
    // The stand-in models only the locked-down window: isolated, sandboxed, no Node in the page.
    if (prefs.contextIsolation === false) unsupported('webPreferences.contextIsolation: false');
    if (prefs.nodeIntegration === true || prefs.nodeIntegrationInSubFrames === true || prefs.nodeIntegrationInWorker === true) unsupported('Node integration in the page');
    if (prefs.sandbox === false) unsupported('webPreferences.sandbox: false');
    if (prefs.webviewTag === true) unsupported('webPreferences.webviewTag: true');
    this._visible = options.show !== false;
    this._title = options.title ?? appName;
    this._backgroundColor = hexColor(options.backgroundColor ?? '#FFFFFF');
    const self = strict(this, 'BrowserWindow');
    const contents = new WebContents(self, prefs.preload);
    const strictContents = strict(contents, 'webContents');
    contents._strictSelf = strictContents;
    this.webContents = strictContents;
    this.id = contents.id;
    allWindows.push(self);
    allContents.push(strictContents);
    contents.on('did-finish-load', () => {
      if (!this._readyToShowSent) {
        this._readyToShowSent = true;
        this.emit('ready-to-show', electronEvent());
      }
    });
    app.emit('web-contents-created', electronEvent(), strictContents);
    app.emit('browser-window-created', electronEvent(), self);
    if (this._visible) this._focused = true;
    return self;
  }

  isDestroyed(): boolean {
    return this._destroyed;
  }
  isVisible(): boolean {
    return !this._destroyed && this._visible;
  }
  isMinimized(): boolean {
    return this._minimized;
  }
  isFocused(): boolean {
    return this._focused;
  }
  show(): void {
    this._alive('show');
    if (!this._visible) {
      this._visible = true;
      this.emit('show', electronEvent());
    }
    this.focus();
  }
  showInactive(): void {
    this._alive('showInactive');
    if (!this._visible) {
      this._visible = true;
      this.emit('show', electronEvent());
    }
  }
  hide(): void {
    this._alive('hide');
    if (this._visible) {
      this._visible = false;
      this._blur();
      this.emit('hide', electronEvent());
    }
  }
  minimize(): void {
    this._alive('minimize');
    if (!this._minimized) {
      this._minimized = true;
      this._blur();
      this.emit('minimize', electronEvent());
    }
  }
  restore(): void {
    this._alive('restore');
    if (this._minimized) {
      this._minimized = false;
      this.emit('restore', electronEvent());
    }
  }
  focus(): void {
    this._alive('focus');
    this._focusCount++;
    this.webContents.focus();
    if (!this._focused) {
      for (const other of allWindows) if (other !== this && other._focused) other._blur();
      this._focused = true;
      this.emit('focus', electronEvent());
    }
  }
  _blur(): void {
    if (this._focused) {
      this._focused = false;
      this.emit('blur', electronEvent());
    }
  }
  getTitle(): string {
    return this._title;
  }
  setTitle(title: string): void {
    this._title = title;
  }
  setBackgroundColor(color: string): void {
    this._backgroundColor = hexColor(color);
  }
  /** Documented: "the background color of the window in Hex (#RRGGBB) format". */
  getBackgroundColor(): string {
    return this._backgroundColor;
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  /** Like a click on the title bar's close button: 'close' (preventable), then 'closed'. */
  close(): void {
    if (this._destroyed) return;
    this._requestClose();
  }
  /** True when the window closed; false when a 'close' listener prevented it. */
  _requestClose(): boolean {
    if (this._destroyed) return true;
    const event = electronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.destroy();
    if (!quitInProgress && !exiting && BrowserWindow.getAllWindows().length === 0) {
      if (app.listenerCount('window-all-closed') > 0) app.emit('window-all-closed', electronEvent());
      else app.quit();
    }
    return true;
  }
  destroy(): void {
    if (this._destroyed) return;
    this._thawRenderer();
    this._destroyed = true;
    this._visible = false;
    this.emit('closed', electronEvent());
    (this.webContents as WebContents)._destroy();
  }
  _alive(what: string): void {
    if (this._destroyed) throw new TypeError(`Object has been destroyed (BrowserWindow.${what})`);
  }
  async _suspendRenderer(): Promise<number[]> {
    const contents = this.webContents as WebContents;
    await contents._pageReady;
    const pids = contents._pids.filter(isAlive);
    if (pids.length === 0) throw new Error('no renderer process found for the window');
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    this._suspendedPids = pids;
    return pids;
  }
  _thawRenderer(): number[] {
    const pids = this._suspendedPids;
    for (const pid of pids) tryKill(pid, 'SIGCONT');
    this._suspendedPids = [];
    return pids;
  }
  _snapshot(): WindowSnapshot {
    const contents = this.webContents as WebContents;
    return {
      id: this.id,
      destroyed: this._destroyed,
      visible: this.isVisible(),
      minimized: this._minimized,
      focused: this._focused,
      suspended: this._suspendedPids.length > 0,
      url: this._destroyed ? '' : contents.getURL(),
      pageUrl: contents._page?.url() ?? '',
      title: this._title,
      backgroundColor: this._backgroundColor,
      focusCount: this._focusCount,
      loads: contents._loads,
      rendererPids: contents._pids,
      ipc: { ...contents._ipc },
    };
  }
}

export const webContents = strict(
  {
    getAllWebContents: () => allContents.filter((c) => !c.isDestroyed()),
    fromId: (id: number) => allContents.find((c) => c.id === id) ?? null,
    getFocusedWebContents: () => BrowserWindow.getFocusedWindow()?.webContents ?? null,
  },
  'webContents',
);

// ---------------------------------------------------------------------------------------------------------------
// session: the default session's permission handlers are recorded; the stand-in's Chromium context grants no
// permission at all, which is what the app's handlers answer too.

const permissionHandlers: { request: unknown; check: unknown } = { request: null, check: null };
export const session = strict(
  {
    defaultSession: strict(
      {
        setPermissionRequestHandler(handler: unknown) {
          permissionHandlers.request = handler;
        },
        setPermissionCheckHandler(handler: unknown) {
          permissionHandlers.check = handler;
        },
        getPreloads: () => [] as string[],
      },
      'session.defaultSession',
    ),
    fromPartition: () => unsupported('session.fromPartition'),
  },
  'session',
);

// ---------------------------------------------------------------------------------------------------------------
// shell, dialog

const openedExternal: string[] = [];
export const shell = strict(
  {
    openExternal(url: string): Promise<void> {
      openedExternal.push(url);
      return Promise.resolve();
    },
  },
  'shell',
);

interface MessageBoxOptions {
  message: string;
  type?: string;
  buttons?: string[];
  defaultId?: number;
  cancelId?: number;
  title?: string;
  detail?: string;
  checkboxLabel?: string;
  checkboxChecked?: boolean;
}
const dialogs: (DialogSnapshot & { resolve?: (answer: { response: number; checkboxChecked: boolean }) => void })[] = [];

export const dialog = strict(
  {
    /** Open until the test answers it (control `answerDialog`), as a real one is open until someone clicks. */
    showMessageBox(first: BrowserWindow | MessageBoxOptions, second?: MessageBoxOptions): Promise<{ response: number; checkboxChecked: boolean }> {
      const parent = first instanceof BrowserWindow || (second !== undefined && first && typeof first === 'object' && 'webContents' in first) ? (first as BrowserWindow) : null;
      const options = (parent ? second : first) as MessageBoxOptions;
      if (!options || typeof options.message !== 'string') throw new TypeError('showMessageBox: options.message must be a string');
      return new Promise((resolve) => {
        dialogs.push({
          index: dialogs.length,
          kind: 'messageBox',
          parentWindowId: parent ? parent.id : null,
          title: options.title ?? '',
          message: options.message,
          detail: options.detail ?? '',
          buttons: options.buttons ?? ['OK'],
          defaultId: options.defaultId ?? null,
          cancelId: options.cancelId ?? null,
          checkboxLabel: options.checkboxLabel ?? null,
          answered: false,
          at: Date.now(),
          resolve,
        });
      });
    },
    showErrorBox(title: string, content: string): void {
      dialogs.push({
        index: dialogs.length,
        kind: 'errorBox',
        parentWindowId: null,
        title,
        message: content,
        detail: '',
        buttons: [],
        defaultId: null,
        cancelId: null,
        checkboxLabel: null,
        answered: true,
        at: Date.now(),
      });
      process.stderr.write(`[electron stand-in] error box: ${title}: ${content}\n`);
    },
  },
  'dialog',
);

// ---------------------------------------------------------------------------------------------------------------
// nativeImage, Menu, Tray

class NativeImage {
  _path: string | null;
  _size: { width: number; height: number };
  _template = false;
  constructor(file: string | null, size: { width: number; height: number }) {
    this._path = file;
    this._size = size;
  }
  isEmpty(): boolean {
    return this._size.width === 0;
  }
  getSize(): { width: number; height: number } {
    return { ...this._size };
  }
  setTemplateImage(option: boolean): void {
    this._template = option;
  }
  isTemplateImage(): boolean {
    return this._template;
  }
}

function pngSize(file: string): { width: number; height: number } | null {
  try {
    const fd = openSync(file, 'r');
    const header = Buffer.alloc(24);
    readSync(fd, header, 0, 24, 0);
    closeSync(fd);
    if (header.readUInt32BE(0) !== 0x89504e47) return null;
    return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
  } catch {
    return null;
  }
}

export const nativeImage = strict(
  {
    /** Documented: a missing or unreadable file gives an empty image (no error). */
    createFromPath(file: string) {
      const size = path.isAbsolute(file) ? pngSize(file) : null;
      return strict(new NativeImage(size ? file : null, size ?? { width: 0, height: 0 }), 'NativeImage');
    },
    createEmpty() {
      return strict(new NativeImage(null, { width: 0, height: 0 }), 'NativeImage');
    },
  },
  'nativeImage',
);

interface MenuItemOptions {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled?: boolean;
  visible?: boolean;
  checked?: boolean;
  click?: (item: MenuItem, window: BrowserWindow | undefined, event: unknown) => void;
  submenu?: MenuItemOptions[] | Menu;
  role?: string;
  id?: string;
  accelerator?: string;
  sublabel?: string;
  toolTip?: string;
}

export class MenuItem {
  label: string;
  type: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled: boolean;
  visible: boolean;
  checked: boolean;
  id: string | undefined;
  submenu: Menu | undefined;
  click: (event?: unknown, window?: BrowserWindow, contents?: WebContents) => void;
  constructor(options: MenuItemOptions) {
    if (options.role) unsupported(`menu item roles ('${options.role}')`);
    this.submenu = options.submenu ? (options.submenu instanceof Menu ? options.submenu : Menu.buildFromTemplate(options.submenu)) : undefined;
    this.type = options.type ?? (this.submenu ? 'submenu' : 'normal');
    this.label = options.label ?? '';
    this.enabled = options.enabled ?? true;
    this.visible = options.visible ?? true;
    this.checked = options.checked ?? false;
    this.id = options.id;
    const onClick = options.click;
    this.click = (event?: unknown) => onClick?.(this, BrowserWindow.getFocusedWindow() ?? undefined, event ?? { triggeredByAccelerator: false, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false });
  }
}

export class Menu extends EventEmitter {
  items: MenuItem[] = [];
  static buildFromTemplate(template: (MenuItemOptions | MenuItem)[]): Menu {
    if (!Array.isArray(template)) throw new TypeError('Invalid template for Menu: Menu template must be an array');
    const menu = new Menu();
    for (const item of template) menu.append(item instanceof MenuItem ? item : new MenuItem(item));
    return menu;
  }
  static setApplicationMenu(_menu: Menu | null): void {
    // No menu bar is modelled (headless); accepted and ignored.
  }
  append(item: MenuItem): void {
    this.items.push(item);
  }
  popup(): void {
    unsupported('Menu.popup');
  }
}

/** The label a Linux or Windows menu shows: `&` marks a mnemonic, `&&` is a literal ampersand. */
function shownLabel(label: string): string {
  return label.replace(/&&|&/g, (m) => (m === '&&' ? '&' : ''));
}

function menuSnapshot(menu: Menu): MenuItemSnapshot[] {
  return menu.items.map((item) => ({
    label: shownLabel(item.label),
    type: item.type,
    enabled: item.enabled,
    visible: item.visible,
    ...(item.submenu ? { submenu: menuSnapshot(item.submenu) } : {}),
  }));
}

const allTrays: Tray[] = [];

export class Tray extends EventEmitter {
  _id: number;
  _image: NativeImage;
  _tooltip = '';
  _title = '';
  _menu: Menu | null = null;
  _destroyed = false;
  _menuSets = 0;
  _iconHistory: string[] = [];
  constructor(image: NativeImage | string, _guid?: string) {
    super();
    if (!appReady) throw new Error('Tray can only be created after the app is ready');
    this._id = allTrays.length + 1;
    this._image = typeof image === 'string' ? (nativeImage.createFromPath(image) as unknown as NativeImage) : image;
    this._iconHistory.push(this._image._path ?? '(empty)');
    const self = strict(this, 'Tray');
    allTrays.push(self);
    return self;
  }
  setImage(image: NativeImage | string): void {
    this._alive();
    this._image = typeof image === 'string' ? (nativeImage.createFromPath(image) as unknown as NativeImage) : image;
    this._iconHistory.push(this._image._path ?? '(empty)');
  }
  setToolTip(text: string): void {
    this._alive();
    this._tooltip = text;
  }
  setTitle(title: string): void {
    this._alive();
    this._title = title;
  }
  setContextMenu(menu: Menu | null): void {
    this._alive();
    this._menu = menu;
    this._menuSets++;
  }
  destroy(): void {
    this._destroyed = true;
  }
  isDestroyed(): boolean {
    return this._destroyed;
  }
  _alive(): void {
    if (this._destroyed) throw new TypeError('Object has been destroyed (Tray)');
  }
  _snapshot(): TraySnapshot {
    return {
      id: this._id,
      destroyed: this._destroyed,
      icon: this._image._path,
      tooltip: this._tooltip,
      title: this._title,
      menu: this._menu ? menuSnapshot(this._menu) : null,
      menuSets: this._menuSets,
      iconHistory: this._iconHistory.slice(-50),
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Notification: recorded; a test clicks it or one of its buttons (where the platform has buttons).

interface NotificationOptions {
  title?: string;
  body?: string;
  icon?: string | NativeImage;
  silent?: boolean;
  urgency?: string;
  timeoutType?: string;
  actions?: { type: string; text?: string }[];
  [key: string]: unknown;
}
const allNotifications: Notification[] = [];

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  _options: NotificationOptions;
  _index: number;
  _shownAt: number | null = null;
  _closedAt: number | null = null;
  constructor(options: NotificationOptions = {}) {
    super();
    this._options = { ...options };
    this._index = allNotifications.length;
    const self = strict(this, 'Notification');
    allNotifications.push(self);
    return self;
  }
  get title(): string {
    return this._options.title ?? '';
  }
  get body(): string {
    return this._options.body ?? '';
  }
  /** Showing again replaces the one on screen with an identical one. */
  show(): void {
    this._shownAt = Date.now();
    this._closedAt = null;
    setImmediate(() => this.emit('show', electronEvent()));
  }
  close(): void {
    if (this._shownAt === null || this._closedAt !== null) return;
    this._closedAt = Date.now();
    this.emit('close', electronEvent({ reason: 'userCanceled' }));
  }
  _snapshot(): NotificationSnapshot {
    const icon = this._options.icon;
    return {
      index: this._index,
      title: this.title,
      body: this.body,
      icon: typeof icon === 'string' ? icon : (icon?._path ?? null),
      urgency: this._options.urgency ?? null,
      silent: this._options.silent === true,
      timeoutType: this._options.timeoutType ?? null,
      actions: (this._options.actions ?? []).map((a) => a.text ?? ''),
      shownAt: this._shownAt,
      closedAt: this._closedAt,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// nativeTheme: themeSource 'system' | 'light' | 'dark' decides shouldUseDarkColors; a change emits 'updated'.
// The stand-in's "OS" is light unless BACKSTAY_STANDIN_SYSTEM_DARK=1.

/** "#abc" or "#aabbcc" (the forms Backstay uses) as Electron reports them: "#AABBCC". */
function hexColor(color: string): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toUpperCase();
  if (/^#[0-9a-f]{6}$/i.test(color)) return color.toUpperCase();
  return unsupported(`a background colour other than #rgb or #rrggbb: ${color}`);
}

class NativeTheme extends EventEmitter {
  _source: 'system' | 'light' | 'dark' = 'system';
  get themeSource(): 'system' | 'light' | 'dark' {
    return this._source;
  }
  set themeSource(value: 'system' | 'light' | 'dark') {
    if (value !== 'system' && value !== 'light' && value !== 'dark') throw new TypeError(`Invalid themeSource: ${String(value)}`);
    const before = this.shouldUseDarkColors;
    this._source = value;
    if (this.shouldUseDarkColors !== before) this.emit('updated');
  }
  get shouldUseDarkColors(): boolean {
    return this._source === 'system' ? process.env.BACKSTAY_STANDIN_SYSTEM_DARK === '1' : this._source === 'dark';
  }
}
export const nativeTheme = strict(new NativeTheme(), 'nativeTheme');

// ---------------------------------------------------------------------------------------------------------------
// powerMonitor, powerSaveBlocker, safeStorage

export const powerMonitor = strict(new EventEmitter(), 'powerMonitor');

const blockers = new Set<number>();
let nextBlocker = 1;
export const powerSaveBlocker = strict(
  {
    start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number {
      if (type !== 'prevent-app-suspension' && type !== 'prevent-display-sleep') throw new TypeError(`Invalid power save blocker type: ${type}`);
      const id = nextBlocker++;
      blockers.add(id);
      return id;
    },
    stop(id: number): boolean {
      return blockers.delete(id);
    },
    isStarted(id: number): boolean {
      return blockers.has(id);
    },
  },
  'powerSaveBlocker',
);

// A reversible test encryption (AES-256-GCM under a key fixed per stand-in "user"), never a real keychain.
const safeStorageBackend = process.env.BACKSTAY_STANDIN_SAFE_STORAGE ?? 'gnome_libsecret';
let plainTextEncryption = false;
const storageKey = createHash('sha256').update(`backstay-standin-safe-storage:${os.userInfo().username}`).digest();
const encryptionAvailable = () => appReady && (safeStorageBackend !== 'basic_text' || plainTextEncryption) && safeStorageBackend !== 'unknown';

export const safeStorage = strict(
  {
    /** Linux: true once the app is ready and a secret store is available (basic_text only when allowed). */
    isEncryptionAvailable: () => encryptionAvailable(),
    isAsyncEncryptionAvailable: () => Promise.resolve(encryptionAvailable()),
    getSelectedStorageBackend(): string {
      if (process.platform !== 'linux') unsupported('safeStorage.getSelectedStorageBackend outside Linux');
      if (!appReady) throw new Error('safeStorage cannot be used before app is ready');
      return safeStorageBackend;
    },
    setUsePlainTextEncryption(use: boolean): void {
      plainTextEncryption = use;
    },
    encryptString(plain: string): Buffer {
      if (!encryptionAvailable()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', storageKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted: Buffer): string {
      if (!encryptionAvailable()) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
      if (!Buffer.isBuffer(encrypted)) throw new TypeError('Expected the first argument of decryptString() to be a buffer');
      try {
        if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('bad prefix');
        const decipher = createDecipheriv('aes-256-gcm', storageKey, encrypted.subarray(3, 15));
        decipher.setAuthTag(encrypted.subarray(15, 31));
        return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
    },
  },
  'safeStorage',
);

// ---------------------------------------------------------------------------------------------------------------
// The control channel: a test drives the stand-in over the child's IPC channel.

function sendEvent(event: StandinEvent): void {
  if (process.send && process.connected) process.send(event);
}

function pickWindow(windowId?: number): BrowserWindow {
  const win = windowId === undefined ? allWindows.filter((w) => !w._destroyed).at(-1) : allWindows.find((w) => w.id === windowId);
  if (!win || win._destroyed) throw new Error(windowId === undefined ? 'there is no open window' : `no window ${windowId}`);
  return win;
}

function pickTray(trayId?: number): Tray {
  const tray = trayId === undefined ? allTrays.filter((t) => !t._destroyed).at(-1) : allTrays.find((t) => t._id === trayId);
  if (!tray || tray._destroyed) throw new Error('there is no tray icon');
  return tray;
}

async function pageOf(windowId?: number): Promise<Page> {
  return (pickWindow(windowId).webContents as WebContents)._pageReady;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

type Handlers = { [M in keyof ControlMethods]: (params: ControlMethods[M]['params']) => Promise<ControlMethods[M]['result']> | ControlMethods[M]['result'] };

const control: Handlers = {
  snapshot: (): StandinSnapshot => ({
    ready: appReady,
    quitting: exiting,
    windows: allWindows.map((w) => w._snapshot()),
    trays: allTrays.map((t) => t._snapshot()),
    notifications: allNotifications.map((n) => n._snapshot()),
    dialogs: dialogs.map(({ resolve: _r, ...d }) => d),
    openedExternal: [...openedExternal],
    navigations: [...navigations],
    powerSaveBlockers: [...blockers],
    loginItemSettings: [...loginItemSettings],
    pageProblems: [...pageProblems],
    standinErrors: [...standinErrors],
    rssBytes: process.memoryUsage.rss(),
  }),
  clickTray: ({ path: labels, trayId }) => {
    const tray = pickTray(trayId);
    let menu = tray._menu;
    let item: MenuItem | undefined;
    for (const [depth, wanted] of labels.entries()) {
      if (!menu) throw new Error(`no menu at "${labels.slice(0, depth).join(' > ')}"`);
      item = menu.items.find((i) => i.visible && i.type !== 'separator' && (shownLabel(i.label) === wanted || shownLabel(i.label).startsWith(wanted)));
      if (!item) throw new Error(`no menu item "${wanted}" among: ${menu.items.map((i) => JSON.stringify(shownLabel(i.label))).join(', ')}`);
      if (!item.enabled) throw new Error(`menu item "${wanted}" is disabled`);
      menu = item.submenu ?? null;
    }
    if (!item) throw new Error('empty menu path');
    if (item.submenu) throw new Error(`"${labels.at(-1)}" opens a submenu; name one of its items`);
    item.click();
    return null;
  },
  clickTrayIcon: ({ trayId }) => {
    pickTray(trayId).emit('click', electronEvent(), { x: 0, y: 0, width: 22, height: 22 }, { x: 0, y: 0 });
    return null;
  },
  clickNotification: ({ index }) => {
    const n = allNotifications[index];
    if (!n || n._shownAt === null) throw new Error(`notification ${index} was never shown`);
    if (n._closedAt !== null) throw new Error(`notification ${index} is no longer on screen`);
    n._closedAt = Date.now();
    n.emit('click', electronEvent());
    return null;
  },
  notificationAction: ({ index, action }) => {
    const n = allNotifications[index];
    if (!n || n._shownAt === null || n._closedAt !== null) throw new Error(`notification ${index} is not on screen`);
    if (process.platform === 'linux') throw new Error('notification buttons are not shown on Linux (Electron has them on macOS and Windows)');
    const actions = n._options.actions ?? [];
    if (action < 0 || action >= actions.length) throw new Error(`notification ${index} has no button ${action} (it has ${actions.length})`);
    n._closedAt = Date.now();
    n.emit('action', electronEvent({ actionIndex: action, selectionIndex: -1 }), action, -1);
    return null;
  },
  dismissNotification: ({ index }) => {
    allNotifications[index]?.close();
    return null;
  },
  answerDialog: ({ index, response, checkboxChecked }) => {
    const d = dialogs[index];
    if (!d || d.kind !== 'messageBox') throw new Error(`no message box ${index}`);
    if (d.answered) throw new Error(`message box ${index} was already answered`);
    if (response < 0 || response >= d.buttons.length) throw new Error(`message box ${index} has no button ${response}`);
    d.answered = true;
    d.resolve?.({ response, checkboxChecked: checkboxChecked ?? false });
    return null;
  },
  windowAction: ({ action, windowId }) => {
    const win = pickWindow(windowId);
    if (action === 'close') win.close();
    else win[action]();
    return null;
  },
  suspendWindow: async ({ windowId }) => {
    const pids = await pickWindow(windowId)._suspendRenderer();
    return { pids, at: Date.now() };
  },
  thawWindow: ({ windowId }) => {
    const pids = pickWindow(windowId)._thawRenderer();
    return { pids, at: Date.now() };
  },
  evaluate: async ({ fn, arg, windowId, timeoutMs }) => {
    const page = await pageOf(windowId);
    return withTimeout(page.evaluate(`(${fn})(${JSON.stringify(arg ?? null)})`), timeoutMs ?? 10_000, 'evaluate in the page');
  },
  waitForSelector: async ({ selector, timeoutMs, windowId }) => {
    const page = await pageOf(windowId);
    const started = Date.now();
    await page.locator(selector).first().waitFor({ state: 'attached', timeout: timeoutMs });
    return { waitedMs: Date.now() - started };
  },
  click: async ({ selector, timeoutMs, windowId }) => {
    const page = await pageOf(windowId);
    await page.locator(selector).first().click({ timeout: timeoutMs ?? 10_000 });
    return null;
  },
  pageIpcStats: async ({ windowId }) => {
    const win = pickWindow(windowId);
    const page = await pageOf(windowId);
    const hook = (win.webContents as WebContents)._hook;
    return withTimeout(
      page.evaluate((name) => (globalThis as unknown as Record<string, { stats(): { delivered: number; deliveredAt: number[] } }>)[name]!.stats(), hook),
      10_000,
      'reading the page',
    );
  },
  loadURL: async ({ url, windowId }) => {
    await pickWindow(windowId).webContents.loadURL(url);
    return null;
  },
  power: ({ event }) => {
    if (event === 'shutdown') {
      powerMonitor.emit('shutdown', electronEvent());
    } else powerMonitor.emit(event, electronEvent());
    return null;
  },
  appEvent: ({ event }) => {
    app.emit(event, electronEvent(), BrowserWindow.getAllWindows().length > 0);
    return null;
  },
  resetIpcStats: ({ windowId }) => {
    const contents = pickWindow(windowId).webContents as WebContents;
    contents._ipc.maxPending = contents._ipc.pending;
    return null;
  },
  clockJump: ({ ms }) => ({ now: clockStandin().jump(ms) }),
  clockAdvance: async ({ ms, stepMs }) => ({ now: await clockStandin().advance(ms, stepMs ?? 1000) }),
};

/** The clock stand-in, when the harness loaded it (clock.ts; not imported here: no sibling .ts imports at run time). */
function clockStandin(): ClockControl {
  const clock = (globalThis as Record<symbol, unknown>)[Symbol.for('backstay.standin.clock')] as ClockControl | undefined;
  if (!clock) throw new Error('the clock stand-in is not loaded (start the app with the harness option `clock: true`)');
  return clock;
}

if (process.send) {
  process.on('message', (raw: unknown) => {
    const request = raw as ControlRequest;
    if (!request || request.type !== 'standin-control') return;
    const handler = control[request.method] as (params: unknown) => unknown;
    const reply = (body: Omit<ControlReply, 'type' | 'id'>) => {
      if (process.connected) process.send!({ type: 'standin-reply', id: request.id, ...body } satisfies ControlReply);
    };
    if (!handler) {
      reply({ error: `unknown control method ${String(request.method)}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(request.params ?? {}))
      .then(
        (result) => reply({ result: result ?? null }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The test went away: do not leave Chromium (or this process) behind.
  process.on('disconnect', () => terminate(1));
  process.channel?.unref();
}

export default {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MenuItem,
  nativeImage,
  nativeTheme,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  webContents,
};

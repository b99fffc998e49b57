// Smoke test of the desktop wiring (electron-app.ts) with a fake `electron` module and the REAL engine on a temp
// data dir: startup, window security settings, IPC sender checks, snapshots to the window, tray rendering, and the
// quit sequence ending in engine shutdown and app.exit(0). Electron's binary cannot run here; this is the next best.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const h = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const { vi: v } = await import('vitest');
  class FakeWebContents extends EventEmitter {
    sent: [string, unknown][] = [];
    mainFrame = { url: 'app://backstay/' };
    destroyed = false;
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    isDestroyed() {
      return this.destroyed;
    }
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = fn;
    }
  }
  const app = Object.assign(new EventEmitter(), {
    userData: '',
    setName: v.fn(),
    setAppUserModelId: v.fn(),
    setPath: v.fn((_n: string, p: string) => {
      app.userData = p;
    }),
    getPath: v.fn(() => app.userData),
    requestSingleInstanceLock: v.fn(() => true),
    quit: v.fn(),
    exit: v.fn(),
    whenReady: () => Promise.resolve(),
    getAppPath: () => process.cwd(),
    getVersion: () => '0.1.0',
    getLocale: () => 'en-US',
    isPackaged: false,
    setLoginItemSettings: v.fn(),
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents();
    visible = false;
    minimized = false;
    destroyed = false;
    url = '';
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
      queueMicrotask(() => this.emit('ready-to-show'));
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    isVisible() {
      return this.visible;
    }
    isMinimized() {
      return this.minimized;
    }
    isDestroyed() {
      return this.destroyed;
    }
    show() {
      this.visible = true;
      this.emit('show');
    }
    hide() {
      this.visible = false;
      this.emit('hide');
    }
    focus() {}
    restore() {
      this.minimized = false;
      this.emit('restore');
    }
  }
  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    menus: unknown[] = [];
    tooltip = '';
    destroyed = false;
    constructor(readonly image: unknown) {
      super();
      trays.push(this);
    }
    setImage() {}
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setContextMenu(m: unknown) {
      this.menus.push(m);
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  class FakeNotification extends EventEmitter {
    static isSupported = () => true;
    constructor(readonly options: unknown) {
      super();
    }
    show() {}
    close() {}
  }
  const ipcHandlers = new Map<string, (...a: unknown[]) => unknown>();
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (t: unknown) => t },
    nativeImage: { createFromPath: (p: string) => ({ p, setTemplateImage: v.fn() }) },
    Notification: FakeNotification,
    ipcMain: {
      handle: (ch: string, fn: (...a: unknown[]) => unknown) => ipcHandlers.set(`invoke:${ch}`, fn),
      on: (ch: string, fn: (...a: unknown[]) => unknown) => ipcHandlers.set(`on:${ch}`, fn),
    },
    protocol: { registerSchemesAsPrivileged: v.fn(), handle: v.fn() },
    session: { defaultSession: { setPermissionRequestHandler: v.fn(), setPermissionCheckHandler: v.fn() } },
    shell: { openExternal: v.fn(async () => {}) },
    dialog: { showMessageBox: v.fn(async () => ({ response: 0, checkboxChecked: false })), showErrorBox: v.fn() },
    powerMonitor: new EventEmitter(),
    // The theme setting drives themeSource; an EventEmitter stands for its 'updated' event.
    nativeTheme: Object.assign(new EventEmitter(), { themeSource: 'system', shouldUseDarkColors: false }),
    powerSaveBlocker: { start: v.fn(() => 1), stop: v.fn() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      setUsePlainTextEncryption: v.fn(),
      encryptString: (s: string) => Buffer.from(s).reverse(),
      decryptString: (b: Buffer) => Buffer.from(b).reverse().toString(),
    },
  };
  const log = {
    transports: { file: {} as Record<string, unknown>, console: {} as Record<string, unknown> },
    errorHandler: { startCatching: v.fn() },
    info: v.fn(),
    warn: v.fn(),
    error: v.fn(),
  };
  return { electron, log, windows, trays, ipcHandlers, app };
});

vi.mock('electron', () => ({ ...h.electron, default: h.electron }));
vi.mock('electron-log/main', () => ({ default: h.log }));

let dataDir: string;
const argv = process.argv;
const trayEnv = process.env.BACKSTAY_TRAY;
beforeAll(async () => {
  process.env.BACKSTAY_TRAY = '1'; // as on a desktop with a tray, whatever this machine's XDG_CURRENT_DESKTOP says
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'backstay-desktop-'));
  process.argv = [process.execPath, '.', '--data-dir', dataDir];
  const { runDesktopApp } = await import('./electron-app.js');
  runDesktopApp();
  await vi.waitFor(() => expect(h.windows).toHaveLength(1), { timeout: 15_000 });
});
afterAll(async () => {
  process.argv = argv;
  if (trayEnv === undefined) delete process.env.BACKSTAY_TRAY;
  else process.env.BACKSTAY_TRAY = trayEnv;
  await rm(dataDir, { recursive: true, force: true });
});

const event = (overrides: Record<string, unknown> = {}) => {
  const win = h.windows[0]!;
  return { sender: win.webContents, senderFrame: win.webContents.mainFrame, ...overrides };
};

describe('desktop app wiring', () => {
  it('uses the data dir, one instance, a locked-down window loading app://backstay/', () => {
    expect(h.app.setPath).toHaveBeenCalledWith('userData', dataDir);
    expect(h.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(h.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    const win = h.windows[0]!;
    expect(win.url).toBe('app://backstay/');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/dist[\\/]preload[\\/]index\.cjs$/);
    expect(h.log.transports.file.resolvePathFn).toBeTypeOf('function');
    expect((h.log.transports.file.resolvePathFn as () => string)()).toBe(path.join(dataDir, 'logs', 'main.log'));
    expect(h.log.info).toHaveBeenCalledWith('desktop app started', expect.objectContaining({ dataDir }));
  });

  it('denies navigation away, new windows, webviews and permissions', () => {
    const wc = h.windows[0]!.webContents;
    const nav = { preventDefault: vi.fn() };
    wc.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalled();
    const ok = { preventDefault: vi.fn() };
    wc.emit('will-navigate', ok, 'app://backstay/index.html');
    expect(ok.preventDefault).not.toHaveBeenCalled();
    expect(wc.windowOpenHandler!({ url: 'https://restic.net/' })).toEqual({ action: 'deny' });
    expect(h.electron.shell.openExternal).toHaveBeenCalledWith('https://restic.net/');
    const requestHandler = h.electron.session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (a: unknown, b: string, cb: (x: boolean) => void) => void;
    const cb = vi.fn();
    requestHandler({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('answers backstay:invoke from the app page, refuses other senders', async () => {
    const invoke = h.ipcHandlers.get('invoke:backstay:invoke')!;
    const reply = (await invoke(event(), { method: 'state.get', params: {} })) as { result: { host: string } };
    expect(reply.result.host).toBe('electron');
    const foreign = await invoke(event({ senderFrame: { url: 'https://evil.example/' } }), { method: 'state.get', params: {} });
    expect(foreign).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const otherContents = await invoke(event({ sender: {} }), { method: 'state.get', params: {} });
    expect(otherContents).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const unknownPlan = await invoke(event(), { method: 'plans.backup', params: { planId: 'nope' } });
    expect(unknownPlan).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('sends snapshots to the shown window, renders the tray', async () => {
    const win = h.windows[0]!;
    await vi.waitFor(() => expect(win.visible).toBe(true));
    await vi.waitFor(() => expect(win.webContents.sent.some(([ch]) => ch === 'backstay:state')).toBe(true), { timeout: 5000 });
    await vi.waitFor(() => expect(h.trays[0]?.menus.length).toBeGreaterThan(0), { timeout: 5000 });
    expect(h.trays[0]!.tooltip).toMatch(/^Backstay\n/);
  });

  it('closing the window hides it to the tray', () => {
    const win = h.windows[0]!;
    const close = { preventDefault: vi.fn() };
    win.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(win.visible).toBe(false);
  });

  it('a second launch shows the window again', () => {
    h.app.emit('second-instance');
    expect(h.windows[0]!.visible).toBe(true);
    expect(h.windows).toHaveLength(1);
  });

  it('quit (nothing running): no question, engine shut down, tray gone, exit 0', async () => {
    const quitEvent = { preventDefault: vi.fn() };
    h.app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(h.app.exit).toHaveBeenCalledWith(0), { timeout: 20_000 });
    expect(h.electron.dialog.showMessageBox).not.toHaveBeenCalled();
    expect(h.trays[0]!.destroyed).toBe(true);
  });
});

// The BrowserWindow, locked down: isolated, sandboxed, no Node, the app's own page only; and the WindowPort
// adapter the IPC transport uses.
import { app, BrowserWindow, nativeTheme, session, shell, type WebContents } from 'electron';
import type { WindowPort } from './ipc-transport.js';
import { APP_ORIGIN } from './ipc-router.js';

/** The page's --bg in each scheme (renderer/src/styles/tokens.css), so the window never flashes the other one. */
const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#16181c' } as const;

function windowBackground(): string {
  return nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}

/**
 * settings.theme -> Electron. themeSource decides prefers-color-scheme in the page and the native menus and
 * dialogs ("system" follows the OS); the window's own background is set to match, as the OS may show it before
 * the page has painted (on show, and while resizing).
 */
export function applyWindowTheme(theme: 'system' | 'light' | 'dark', win: BrowserWindow | null): void {
  if (nativeTheme.themeSource !== theme) nativeTheme.themeSource = theme;
  if (win && !win.isDestroyed()) win.setBackgroundColor(windowBackground());
}

/** When the OS switches between light and dark (theme "system"), the window's background follows. */
export function followSystemTheme(currentWindow: () => BrowserWindow | null): () => void {
  const update = () => {
    const win = currentWindow();
    if (win && !win.isDestroyed()) win.setBackgroundColor(windowBackground());
  };
  nativeTheme.on('updated', update);
  return () => nativeTheme.off('updated', update);
}

export function createMainWindow(opts: { preload: string; icon: string; show: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Backstay',
    icon: opts.icon,
    backgroundColor: windowBackground(),
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (opts.show) win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

/** Rules for every web contents the app ever creates: no navigation away, no new windows, no webviews. */
export function hardenWebContents(isTrusted: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrusted(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isTrusted(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the user's browser; nothing opens inside Backstay.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function windowPort(win: BrowserWindow): WindowPort {
  const on = (event: 'show' | 'hide' | 'minimize' | 'restore' | 'closed', cb: () => void) => {
    win.on(event as 'show', cb);
    return () => {
      if (!win.isDestroyed()) win.off(event as 'show', cb);
    };
  };
  return {
    isVisible: () => !win.isDestroyed() && win.isVisible(),
    isMinimized: () => !win.isDestroyed() && win.isMinimized(),
    isDestroyed: () => win.isDestroyed() || win.webContents.isDestroyed(),
    send: (channel, payload) => win.webContents.send(channel, payload),
    onShow: (cb) => on('show', cb),
    onHide: (cb) => on('hide', cb),
    onMinimize: (cb) => on('minimize', cb),
    onRestore: (cb) => on('restore', cb),
    onClosed: (cb) => on('closed', cb),
    onPageLoad: (cb) => {
      const contents = win.webContents;
      contents.on('did-finish-load', cb);
      return () => {
        if (!contents.isDestroyed()) contents.off('did-finish-load', cb);
      };
    },
  };
}

export function showAndFocus(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

// The desktop app: composes the engine with the window, tray, notifications, power events and login items.
// Only wiring lives here; every decision is in a pure module beside it.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, ipcMain, powerMonitor, powerSaveBlocker, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import type { AppState, NavigateTarget } from '../../common/index.js';
import { NAVIGATE_CHANNEL } from '../../common/ipc.js';
import type { Engine, Logger } from '../../core/engine-api.js';
import { startEngine } from '../../core/engine.js';
import { launchCommand, setLinuxAutostart } from './autostart-linux.js';
import { loadPrefs, savePrefs, type DesktopPrefs } from './desktop-prefs.js';
import { startDesktopShell, type DesktopShell } from './desktop-shell.js';
import { askFolders, askRunInBackground, askSavePath, confirmCancelAndQuit, showError } from './electron-dialogs.js';
import { downloadHostMethods } from './download-host-methods.js';
import { safeStorageCipher } from './electron-keychain.js';
import { setupElectronLog } from './electron-logger.js';
import { ElectronNotifier } from './electron-notifier.js';
import { registerAppScheme, serveAppScheme } from './electron-protocol.js';
import { ElectronTray } from './electron-tray.js';
import { applyWindowTheme, createMainWindow, followSystemTheme, hardenWebContents, showAndFocus, windowPort } from './electron-window.js';
import { folderDialogHostMethods, keychainHostMethods } from './host-methods.js';
import { pickLang, type Lang } from './i18n.js';
import { createIpcRouter, isTrustedRendererUrl } from './ipc-router.js';
import { ACK_CHANNEL, attachStateTransport, INVOKE_CHANNEL, type StateTransport } from './ipc-transport.js';
import { KeychainStore } from './keychain-store.js';
import { parseLaunchArgs, type LaunchArgs } from './launch-args.js';
import { decideOnClose, liveOperationCount, QuitController, startFailureExitCode, trayLikelyAvailable } from './lifecycle.js';
import { AwakeKeeper, onBatteryProbe, powerHooksOf, SleepTracker } from './power.js';
import { runTrayAction } from './tray-actions.js';
import { appIconFile, assetsDirFor } from './tray-icons.js';
import type { TrayAction } from './tray-model.js';

export function runDesktopApp(): void {
  // userData = <appData>/Backstay: the folder `backstay serve` and the CLI compute without Electron.
  app.setName('Backstay');
  if (process.platform === 'win32') app.setAppUserModelId('dev.backstay.app');
  const args = parseLaunchArgs(process.argv.slice(1), process.env);
  // A custom data dir is its own profile, so two data dirs can run side by side (and the lock is per profile).
  if (args.dataDir) {
    // app.setPath throws for a folder that does not exist (documented), and a first run's data dir may not yet.
    mkdirSync(args.dataDir, { recursive: true });
    app.setPath('userData', args.dataDir);
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  app.whenReady().then(
    () => startDesktop(args),
    (error: unknown) => fatal('Backstay could not start', error),
  );
}

function fatal(title: string, error: unknown, exitCode = 1): void {
  showError(title, error instanceof Error ? error.message : String(error));
  app.exit(exitCode);
}

async function startDesktop(args: LaunchArgs): Promise<void> {
  const dataDir = args.dataDir ?? app.getPath('userData');
  const appPath = app.getAppPath();
  const rendererDir = path.join(appPath, 'dist', 'renderer');
  const preload = path.join(appPath, 'dist', 'preload', 'index.cjs');
  const assetsDir = assetsDirFor(appPath);
  const appIcon = appIconFile(assetsDir);

  const { logger, flush } = setupElectronLog(path.join(dataDir, 'logs'), showError);
  let prefs: DesktopPrefs = loadPrefs(dataDir);
  const updatePrefs = (change: Partial<DesktopPrefs>) => {
    prefs = { ...prefs, ...change };
    try {
      savePrefs(dataDir, prefs);
    } catch (error) {
      logger.warn('could not save desktop preferences', { error: String(error) });
    }
  };
  const keychain = KeychainStore.inDataDir(dataDir, safeStorageCipher(() => prefs.allowInsecureKeychain), () => prefs.allowInsecureKeychain, logger);

  let engine: Engine;
  try {
    engine = await startEngine({ dataDir, host: 'electron', runSchedules: true, keychain, logger, onBatteryPower: onBatteryProbe(powerMonitor) });
  } catch (error) {
    logger.error('engine failed to start', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
    // The engine takes the data directory's host lock first: with a `serve` (or another profile) already there,
    // this says which pid holds it and exits 2.
    fatal('Backstay could not start', error, startFailureExitCode(error));
    return;
  }
  logger.info('desktop app started', { dataDir, version: app.getVersion(), electron: process.versions.electron });

  const isTrusted = (url: string | null | undefined) => isTrustedRendererUrl(url, rendererDir);
  hardenWebContents((url) => isTrusted(url));
  serveAppScheme(rendererDir);

  const lang = (state: AppState = engine.state()): Lang => pickLang(state.settings.language, app.getLocale());
  const trayAvailable = trayLikelyAvailable(process.platform, process.env);

  // ---- window ----
  let win: BrowserWindow | null = null;
  let transport: StateTransport | null = null;
  const fromOurWindow = (event: IpcMainEvent | IpcMainInvokeEvent) =>
    !!win && !win.isDestroyed() && event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame;

  const openWindow = (show = true): BrowserWindow => {
    if (win && !win.isDestroyed()) {
      if (show) showAndFocus(win);
      return win;
    }
    const created = createMainWindow({ preload, icon: appIcon, show });
    win = created;
    transport = attachStateTransport(engine.publisher, windowPort(created), { onError: (e) => logger.warn('state send failed', { error: String(e) }) });
    created.on('close', (event) => onWindowClose(event, created));
    created.on('closed', () => {
      transport?.dispose();
      transport = null;
      if (win === created) win = null;
    });
    return created;
  };

  /** Show the window and, for a notification or tray item about a plan or an operation, open it there. */
  const showTarget = (target?: NavigateTarget): void => {
    const shown = openWindow(true);
    if (!target || (target.opId === undefined && target.planId === undefined)) return;
    const send = () => {
      if (!shown.isDestroyed()) shown.webContents.send(NAVIGATE_CHANNEL, target);
    };
    if (shown.webContents.isLoading()) shown.webContents.once('did-finish-load', send);
    else send();
  };

  const onWindowClose = (event: Electron.Event, target: BrowserWindow) => {
    const decision = decideOnClose({ quitting: quit.quitting, trayAvailable, closeWithoutTray: prefs.closeWithoutTray });
    if (decision === 'close' && quit.quitting) return;
    event.preventDefault();
    if (decision === 'hide') {
      target.hide();
      if (trayAvailable && !prefs.trayHintShown) {
        updatePrefs({ trayHintShown: true });
        notifier.show({
          id: 'tray-hint',
          kind: 'tray-hint',
          title: 'Backstay',
          body: lang() === 'zh-CN' ? 'Backstay 仍在托盘中运行。' : 'Backstay keeps running in the tray.',
          urgency: 'low',
          actions: [],
          click: { action: 'open' },
        });
      }
    } else if (decision === 'close') {
      void quit.requestQuit();
    } else {
      void askRunInBackground(lang(), target).then(({ choice, remember }) => {
        if (remember) updatePrefs({ closeWithoutTray: choice });
        if (choice === 'background') target.hide();
        else void quit.requestQuit();
      });
    }
  };

  /** Where a save dialog starts: the user's Downloads folder, or home where the desktop has none. */
  const downloadsFolder = (): string => {
    try {
      return app.getPath('downloads');
    } catch {
      return app.getPath('home');
    }
  };
  // ---- IPC ----
  const router = createIpcRouter({
    rpc: engine.rpc,
    isTrustedSender: isTrusted,
    hostMethods: {
      ...keychainHostMethods(keychain, (allow) => updatePrefs({ allowInsecureKeychain: allow })),
      ...folderDialogHostMethods(() => askFolders(lang(), win && !win.isDestroyed() ? win : null, app.getPath('home'))),
      ...(engine.dumps
        ? downloadHostMethods({
            dumps: engine.dumps,
            askSavePath: (name) => askSavePath(name, lang(), win && !win.isDestroyed() ? win : null, downloadsFolder()),
            logger,
          })
        : {}),
    },
    logger,
  });
  ipcMain.handle(INVOKE_CHANNEL, (event, payload: unknown) =>
    router.handle(fromOurWindow(event) ? event.senderFrame?.url : null, payload),
  );
  ipcMain.on(ACK_CHANNEL, (event, version: unknown) => {
    if (fromOurWindow(event) && typeof version === 'number') transport?.ack(version);
  });

  // ---- tray, notifications, power, login item ----
  const act = (action: TrayAction) =>
    void runTrayAction(action, {
      rpc: engine.rpc,
      openWindow: (target) => showTarget(target),
      requestQuit: () => void quit.requestQuit(),
      reportError: (failed, error) => {
        logger.warn('tray action failed', { action: failed.action, error: error instanceof Error ? error.message : String(error) });
        notifier.show({
          id: `action-failed:${failed.action}`,
          kind: 'action-failed',
          title: 'Backstay',
          body: error instanceof Error ? error.message : String(error),
          urgency: 'normal',
          actions: [],
          click: { action: 'open' },
        });
      },
    });
  const notifier = new ElectronNotifier(act, appIcon, logger);
  let tray: ElectronTray | null = null;
  try {
    tray = new ElectronTray(assetsDir, act, () => openWindow(true));
  } catch (error) {
    logger.warn('no tray icon', { error: String(error) });
  }
  const awake = new AwakeKeeper(
    { start: () => powerSaveBlocker.start('prevent-app-suspension'), stop: (id) => powerSaveBlocker.stop(id) },
    logger,
  );
  const stopFollowingTheme = followSystemTheme(() => win);
  const shell: DesktopShell = startDesktopShell(
    engine.publisher,
    {
      ...(tray ? { renderTray: (model) => tray!.render(model) } : {}),
      showNotification: (n) => notifier.show(n),
      withdrawNotification: (id) => notifier.withdraw(id),
      awake,
      applyStartAtLogin: (enabled) => void applyStartAtLogin(enabled, logger),
      applyTheme: (theme) => applyWindowTheme(theme, win),
      lang,
      now: () => new Date(),
      logger,
    },
    { maxHz: 2 },
  );

  const sleep = new SleepTracker(powerHooksOf(engine), logger);
  powerMonitor.on('suspend', () => sleep.suspend(new Date()));
  powerMonitor.on('resume', () => sleep.resume(new Date()));

  // ---- quit ----
  const quit = new QuitController({
    liveOperations: () => liveOperationCount(engine.state()),
    confirmCancel: (count) => {
      if (win && !win.isDestroyed()) showAndFocus(win);
      return confirmCancelAndQuit(count, lang(), win && !win.isDestroyed() ? win : null);
    },
    stopUi: () => {
      shell.dispose();
      stopFollowingTheme();
      transport?.dispose();
      notifier.closeAll();
      tray?.destroy();
    },
    shutdownEngine: () => engine.shutdown(),
    releasePower: () => awake.release(),
    flushLog: flush,
    exit: (code) => app.exit(code),
    logger,
  });
  app.on('before-quit', (event) => {
    if (quit.quitting) return;
    event.preventDefault(); // Cmd+Q, the dock, an installer: go through the same careful quit
    void quit.requestQuit();
  });
  // The OS is logging out or shutting down: no one can answer a dialog; cancel cleanly and leave.
  powerMonitor.on('shutdown', () => void quit.requestQuit({ ask: false }));
  app.on('window-all-closed', () => {
    // Stay alive in the tray (or in the background, as the user chose).
  });
  app.on('second-instance', () => openWindow(true));
  app.on('activate', () => openWindow(true));

  // Started hidden at login: stay in the tray, unless there is no tray to open the window from.
  if (!args.hidden || (!trayAvailable && prefs.closeWithoutTray !== 'background')) openWindow(true);
}

async function applyStartAtLogin(enabled: boolean, logger: Logger): Promise<void> {
  try {
    if (process.platform === 'linux') {
      await setLinuxAutostart(
        { home: os.homedir(), xdgConfigHome: process.env.XDG_CONFIG_HOME },
        enabled,
        launchCommand({ execPath: process.execPath, appImage: process.env.APPIMAGE, isPackaged: app.isPackaged, appPath: app.getAppPath() }),
      );
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
    }
  } catch (error) {
    logger.warn('could not change start at login', { error: error instanceof Error ? error.message : String(error) });
  }
}

// What a test can ask the Electron stand-in inside the desktop app's process, over the child's IPC channel
// (Node's `process.send`). Shared as types by the stand-in (electron.ts) and the test harness (harness.ts).

export interface MenuItemSnapshot {
  /** The label as the menu shows it (mnemonic `&` removed, `&&` shown as `&`). */
  label: string;
  type: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled: boolean;
  visible: boolean;
  submenu?: MenuItemSnapshot[];
}

export interface TraySnapshot {
  id: number;
  destroyed: boolean;
  /** Path of the icon file (what nativeImage.createFromPath was given). */
  icon: string | null;
  tooltip: string;
  title: string;
  menu: MenuItemSnapshot[] | null;
  /** setContextMenu calls so far. */
  menuSets: number;
  iconHistory: string[];
}

export interface NotificationSnapshot {
  index: number;
  title: string;
  body: string;
  icon: string | null;
  urgency: string | null;
  silent: boolean;
  timeoutType: string | null;
  actions: string[];
  shownAt: number | null;
  closedAt: number | null;
}

export interface DialogSnapshot {
  index: number;
  kind: 'messageBox' | 'errorBox';
  parentWindowId: number | null;
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number | null;
  cancelId: number | null;
  checkboxLabel: string | null;
  answered: boolean;
  at: number;
}

export interface WindowSnapshot {
  id: number;
  destroyed: boolean;
  visible: boolean;
  minimized: boolean;
  focused: boolean;
  suspended: boolean;
  /** What webContents.getURL() returns (the app's own scheme). */
  url: string;
  /** The loopback URL the page really has. */
  pageUrl: string;
  title: string;
  /** win.getBackgroundColor(): "#RRGGBB". */
  backgroundColor: string;
  focusCount: number;
  loads: number;
  rendererPids: number[];
  ipc: IpcStats;
}

export interface IpcStats {
  /** webContents.send calls so far. */
  sent: number;
  /** Sends that reached the page. */
  delivered: number;
  /** Sends on their way into the page (sent, not yet run there): what queues toward a stuck renderer. */
  pending: number;
  maxPending: number;
  invokes: number;
}

export interface StandinSnapshot {
  ready: boolean;
  quitting: boolean;
  windows: WindowSnapshot[];
  trays: TraySnapshot[];
  notifications: NotificationSnapshot[];
  dialogs: DialogSnapshot[];
  openedExternal: string[];
  /** Navigations a page started itself ('will-navigate', URLs as the app sees them) and whether the app prevented them. */
  navigations: { url: string; prevented: boolean }[];
  powerSaveBlockers: number[];
  loginItemSettings: unknown[];
  /** Console errors, page errors, CSP violations and crashes seen in any window, in words. */
  pageProblems: string[];
  /** The stand-in's own complaints: an Electron call it does not model, a handler that threw. */
  standinErrors: string[];
  rssBytes: number;
}

export interface ControlMethods {
  snapshot: { params: Record<string, never>; result: StandinSnapshot };
  clickTray: { params: { path: string[]; trayId?: number }; result: null };
  clickTrayIcon: { params: { trayId?: number }; result: null };
  clickNotification: { params: { index: number }; result: null };
  notificationAction: { params: { index: number; action: number }; result: null };
  dismissNotification: { params: { index: number }; result: null };
  answerDialog: { params: { index: number; response: number; checkboxChecked?: boolean }; result: null };
  /** As the user or the window manager would: `close` is the title bar's X (a preventable 'close'). */
  windowAction: { params: { action: 'hide' | 'show' | 'minimize' | 'restore' | 'focus' | 'close'; windowId?: number }; result: null };
  /** SIGSTOP every renderer process of the window; `thaw` sends SIGCONT. */
  suspendWindow: { params: { windowId?: number }; result: { pids: number[]; at: number } };
  thawWindow: { params: { windowId?: number }; result: { pids: number[]; at: number } };
  /** Runs `fn` (a function's source) in the page's main world with `arg`. */
  evaluate: { params: { fn: string; arg?: unknown; windowId?: number; timeoutMs?: number }; result: unknown };
  waitForSelector: { params: { selector: string; timeoutMs: number; windowId?: number }; result: { waitedMs: number } };
  click: { params: { selector: string; timeoutMs?: number; windowId?: number }; result: null };
  /** The in-page transport's counters (deliveries into the page, with their times). */
  pageIpcStats: { params: { windowId?: number }; result: { delivered: number; deliveredAt: number[] } };
  /** webContents.loadURL, as main-process code would call it. */
  loadURL: { params: { url: string; windowId?: number }; result: null };
  power: { params: { event: 'suspend' | 'resume' | 'shutdown' | 'lock-screen' | 'unlock-screen' | 'on-ac' | 'on-battery' }; result: null };
  appEvent: { params: { event: 'activate' }; result: null };
  resetIpcStats: { params: { windowId?: number }; result: null };
  /** The clock stand-in (standin/clock.ts, harness option `clock`): the wall clock jumps ahead, as over a suspend. */
  clockJump: { params: { ms: number }; result: { now: number } };
  /** Time passes: wall clock and the app's timers move on by ms in steps of stepMs (default 1000). */
  clockAdvance: { params: { ms: number; stepMs?: number }; result: { now: number } };
}

export type ControlMethod = keyof ControlMethods;

export type ControlRequest = { type: 'standin-control'; id: number; method: ControlMethod; params: unknown };
export type ControlReply = { type: 'standin-reply'; id: number; result?: unknown; error?: string };
export type StandinEvent = { type: 'standin-event'; name: 'ready' | 'window-loaded' | 'exit'; detail?: unknown };

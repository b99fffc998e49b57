// Everything the desktop host does with state outside the window: tray, notifications, keep-awake and start at
// login, driven by one publisher subscription at a low rate. Pure over ports; electron-app.ts passes the real
// Tray, Notification and powerSaveBlocker adapters.
import type { AppState } from '../../common/index.js';
import type { Logger } from '../../core/engine-api.js';
import type { StatePublisher, Subscription } from '../../core/state/publisher-api.js';
import type { Lang } from './i18n.js';
import { decideNotifications, emptyNotifyMemo, type NotificationModel, type NotifyMemo } from './notify-model.js';
import type { AwakeKeeper } from './power.js';
import { trayModel, type TrayModel } from './tray-model.js';

export interface ShellPorts {
  renderTray?(model: TrayModel): void;
  showNotification(n: NotificationModel): void;
  withdrawNotification(id: string): void;
  awake?: Pick<AwakeKeeper, 'update' | 'release'>;
  /** Called when settings.startAtLogin changes (and once at start). */
  applyStartAtLogin?(enabled: boolean): void;
  /** Called when settings.theme changes (and once at start). */
  applyTheme?(theme: 'system' | 'light' | 'dark'): void;
  lang(state: AppState): Lang;
  now(): Date;
  logger?: Logger;
}

export interface ShellOptions {
  /** Tray rebuilds per second at most. */
  maxHz?: number;
  /** Ages in the tray ("2 h ago") change with time alone: re-render this often from the latest state. */
  refreshMs?: number;
}

export interface DesktopShell {
  /** Re-render the tray from the latest state (e.g. after the language changed). */
  refresh(): void;
  dispose(): void;
  readonly trayRenders: number;
}

export function startDesktopShell(publisher: StatePublisher, ports: ShellPorts, options: ShellOptions = {}): DesktopShell {
  let prev: AppState | null = null;
  let memo: NotifyMemo = emptyNotifyMemo();
  let lastTray = '';
  let trayRenders = 0;
  let startAtLogin: boolean | null = null;
  let theme: string | null = null;
  let disposed = false;

  const renderTray = (state: AppState) => {
    if (!ports.renderTray) return;
    const model = trayModel(state, ports.now(), ports.lang(state));
    const key = JSON.stringify(model);
    if (key === lastTray) return; // an unchanged menu is not rebuilt (menus flicker while open on some desktops)
    lastTray = key;
    trayRenders++;
    ports.renderTray(model);
  };

  const onState = (state: AppState) => {
    if (disposed) return;
    try {
      renderTray(state);
      const decision = decideNotifications(prev, state, memo, {
        notifyOnSuccess: state.settings.notifyOnSuccess === true,
        lang: ports.lang(state),
        now: ports.now(),
      });
      memo = decision.memo;
      prev = state;
      for (const id of decision.withdraw) ports.withdrawNotification(id);
      for (const n of decision.notifications) ports.showNotification(n);
      ports.awake?.update(state);
      const wantLogin = state.settings.startAtLogin === true;
      if (ports.applyStartAtLogin && wantLogin !== startAtLogin) {
        startAtLogin = wantLogin;
        ports.applyStartAtLogin(wantLogin);
      }
      const wantTheme = state.settings.theme ?? 'system';
      if (ports.applyTheme && wantTheme !== theme) {
        theme = wantTheme;
        ports.applyTheme(wantTheme);
      }
    } catch (error) {
      // A bug here must not kill the subscription silently: log it and keep going with the next state.
      ports.logger?.error('desktop shell failed to apply the state', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  };

  const subscription: Subscription = publisher.subscribe({ send: onState, maxHz: options.maxHz ?? 2, name: 'tray', immediate: true });
  const timer = setInterval(() => !disposed && renderTray(publisher.current()), options.refreshMs ?? 30_000);
  timer.unref?.();

  return {
    refresh() {
      if (disposed) return;
      lastTray = '';
      renderTray(publisher.current());
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      clearInterval(timer);
      subscription.dispose();
      ports.awake?.release();
    },
    get trayRenders() {
      return trayRenders;
    },
  };
}

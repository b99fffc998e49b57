import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../common/index.js';
import { StatePublisherImpl } from '../../core/state/publisher.js';
import { startDesktopShell, type ShellPorts } from './desktop-shell.js';
import type { NotificationModel } from './notify-model.js';
import type { TrayModel } from './tray-model.js';
import { pickLang } from './i18n.js';
import { appState, local, plan, running } from '../../core/state/testing/app-state.js';

afterEach(() => {
  vi.useRealTimers();
});

function setup(initial: AppState) {
  vi.useFakeTimers();
  const publisher = new StatePublisherImpl({ initial, defaultHz: () => 4 });
  const trays: TrayModel[] = [];
  const shown: NotificationModel[] = [];
  const withdrawn: string[] = [];
  const login: boolean[] = [];
  const awake = { update: vi.fn(), release: vi.fn() };
  const ports: ShellPorts = {
    renderTray: (m) => trays.push(m),
    showNotification: (n) => shown.push(n),
    withdrawNotification: (id) => withdrawn.push(id),
    awake,
    applyStartAtLogin: (e) => login.push(e),
    lang: () => 'en',
    now: () => local(16, 0),
  };
  const shell = startDesktopShell(publisher, ports, { maxHz: 2, refreshMs: 30_000 });
  return { publisher, shell, trays, shown, withdrawn, login, awake };
}

describe('startDesktopShell', () => {
  it('renders the tray at most maxHz, only when the model changed, and notifies from changes', () => {
    let state = appState({ version: 1, plans: [plan('Home', { opId: 1, status: 'success' })] });
    const { publisher, shell, trays, shown, login, awake } = setup(state);
    vi.advanceTimersByTime(0);
    expect(trays).toHaveLength(1);
    expect(login).toEqual([false]);
    // 100 progress updates in one second: at most 2 renders.
    for (let i = 1; i <= 100; i++) {
      state = { ...state, version: state.version + 1, running: [running(2, 'Home', { progress: { percent: i / 100 } })] };
      publisher.publish(state);
      vi.advanceTimersByTime(10);
    }
    expect(trays.length).toBeLessThanOrEqual(4);
    expect(trays.at(-1)!.icon).toBe('running');
    expect(awake.update).toHaveBeenCalled();
    // The run fails: one notification.
    state = { ...state, version: state.version + 1, running: [], plans: [plan('Home', { opId: 2, status: 'error', errorMessage: 'The repository is locked.' })] };
    publisher.publish(state);
    vi.advanceTimersByTime(1000);
    expect(shown.map((n) => n.title)).toEqual(['Backup failed']);
    // Same model again (a version bump with no visible change): no rebuild.
    const renders = shell.trayRenders;
    publisher.publish({ ...state, version: state.version + 1 });
    vi.advanceTimersByTime(1000);
    expect(shell.trayRenders).toBe(renders);
    shell.dispose();
    expect(publisher.subscriberCount).toBe(0);
    expect(awake.release).toHaveBeenCalled();
  });

  it('settings.language applies to the tray with the next state; "auto" follows the OS', () => {
    vi.useFakeTimers();
    const state = appState({ version: 1, plans: [plan('Home', { opId: 1, status: 'success' })], repos: [{ id: 'nas', uri: '/srv', passwordKind: 'file', envKeys: [], health: 'ok', lastError: null }] });
    const publisher = new StatePublisherImpl({ initial: state, defaultHz: () => 4 });
    const trays: TrayModel[] = [];
    startDesktopShell(publisher, {
      renderTray: (m) => trays.push(m),
      showNotification: () => undefined,
      withdrawNotification: () => undefined,
      lang: (s) => pickLang(s.settings.language, 'en-US'),
      now: () => local(16, 0),
    });
    vi.advanceTimersByTime(0);
    expect(trays.at(-1)!.statusLine).toBe('all backups ok');
    publisher.publish({ ...state, version: 2, settings: { ...state.settings, language: 'zh-CN' } });
    vi.advanceTimersByTime(600);
    expect(trays.at(-1)!.statusLine).toBe('所有备份正常');
    publisher.publish({ ...state, version: 3, settings: { ...state.settings, language: 'auto' } });
    vi.advanceTimersByTime(600);
    expect(trays.at(-1)!.statusLine).toBe('all backups ok');
  });

  it('applies start at login when the setting changes', () => {
    const state = appState({ version: 1 });
    const { publisher, login } = setup(state);
    vi.advanceTimersByTime(0);
    publisher.publish({ ...state, version: 2, settings: { ...state.settings, startAtLogin: true } });
    vi.advanceTimersByTime(1000);
    publisher.publish({ ...state, version: 3, settings: { ...state.settings, startAtLogin: true, uiUpdateHz: 2 } });
    vi.advanceTimersByTime(1000);
    expect(login).toEqual([false, true]);
  });

  it('a failing port is logged, not fatal: the next state is still handled', () => {
    vi.useFakeTimers();
    const state = appState({ version: 1 });
    const publisher = new StatePublisherImpl({ initial: state, defaultHz: () => 4 });
    const error = vi.fn();
    let fail = true;
    const renders: TrayModel[] = [];
    startDesktopShell(publisher, {
      renderTray: (m) => {
        if (fail) throw new Error('tray gone');
        renders.push(m);
      },
      showNotification: () => {},
      withdrawNotification: () => {},
      lang: () => 'en',
      now: () => local(16),
      logger: { info: vi.fn(), warn: vi.fn(), error },
    });
    vi.advanceTimersByTime(0);
    expect(error).toHaveBeenCalled();
    fail = false;
    publisher.publish({ ...state, version: 2, plans: [plan('A')] });
    vi.advanceTimersByTime(1000);
    expect(renders).toHaveLength(1);
  });
});

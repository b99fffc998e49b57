// settings.theme reaches the desktop window: the shell calls applyTheme once at start and again only when the
// setting changes (not on every progress update), and applyWindowTheme sets Electron's nativeTheme.themeSource
// and a window background that matches the page's.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../common/index.js';
import { StatePublisherImpl } from '../../core/state/publisher.js';
import { startDesktopShell } from './desktop-shell.js';
import { appState, local } from '../../core/state/testing/app-state.js';

const electron = vi.hoisted(() => {
  const listeners: (() => void)[] = [];
  const theme = { themeSource: 'system' as 'system' | 'light' | 'dark', systemDark: false };
  return {
    listeners,
    theme,
    nativeTheme: {
      get themeSource() {
        return theme.themeSource;
      },
      set themeSource(v: 'system' | 'light' | 'dark') {
        theme.themeSource = v;
      },
      get shouldUseDarkColors() {
        return theme.themeSource === 'system' ? theme.systemDark : theme.themeSource === 'dark';
      },
      on: (_e: string, cb: () => void) => listeners.push(cb),
      off: () => undefined,
    },
  };
});
vi.mock('electron', () => ({ app: {}, BrowserWindow: class {}, session: {}, shell: {}, nativeTheme: electron.nativeTheme }));
const { applyWindowTheme, followSystemTheme } = await import('./electron-window.js');

afterEach(() => {
  vi.useRealTimers();
  electron.theme.themeSource = 'system';
  electron.theme.systemDark = false;
});

function fakeWindow() {
  const colors: string[] = [];
  return { colors, win: { isDestroyed: () => false, setBackgroundColor: (c: string) => colors.push(c) } as unknown as Parameters<typeof applyWindowTheme>[1] };
}

describe('the desktop window follows settings.theme', () => {
  it('the shell applies the theme at start and on each change of the setting only', () => {
    vi.useFakeTimers();
    const base = appState({ version: 1 });
    const publisher = new StatePublisherImpl({ initial: base, defaultHz: () => 4 });
    const applied: string[] = [];
    const shell = startDesktopShell(publisher, { showNotification: () => undefined, withdrawNotification: () => undefined, applyTheme: (t) => applied.push(t), lang: () => 'en', now: () => local(16, 0) });
    vi.advanceTimersByTime(0);
    const withTheme = (version: number, theme?: 'light' | 'dark' | 'system'): AppState => ({ ...base, version, settings: { ...base.settings, ...(theme ? { theme } : {}) } });
    for (const [version, theme] of [[2, 'dark'], [3, 'dark'], [4, 'light'], [5, 'system']] as const) {
      publisher.publish(withTheme(version, theme));
      vi.advanceTimersByTime(1000);
    }
    expect(applied).toEqual(['system', 'dark', 'light', 'system']);
    shell.dispose();
  });

  it.each([
    { theme: 'light', systemDark: true, background: '#f6f7f9' },
    { theme: 'dark', systemDark: false, background: '#16181c' },
    { theme: 'system', systemDark: true, background: '#16181c' },
    { theme: 'system', systemDark: false, background: '#f6f7f9' },
  ] as const)('theme $theme (OS dark: $systemDark): themeSource $theme, background $background', ({ theme, systemDark, background }) => {
    electron.theme.systemDark = systemDark;
    const { colors, win } = fakeWindow();
    applyWindowTheme(theme, win);
    expect(electron.theme.themeSource).toBe(theme);
    expect(colors).toEqual([background]);
  });

  it('with theme system, the background follows the OS switching to dark', () => {
    const { colors, win } = fakeWindow();
    followSystemTheme(() => win);
    applyWindowTheme('system', win);
    electron.theme.systemDark = true;
    for (const cb of electron.listeners) cb();
    expect(colors).toEqual(['#f6f7f9', '#16181c']);
  });
});

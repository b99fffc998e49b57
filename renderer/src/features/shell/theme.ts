// settings.theme -> the page: data-theme on <html> pins tokens.css's colour scheme; "system" removes it so the
// OS (prefers-color-scheme) decides. The last choice is cached so a reload does not flash the other scheme
// before the first state snapshot arrives.
import type { Settings } from '../../../../main/common/index.js';

export type ThemeSetting = NonNullable<Settings['theme']>;
export const THEME_SETTINGS: readonly ThemeSetting[] = ['system', 'light', 'dark'];
const CACHE_KEY = 'backstay.theme';

export function isThemeSetting(value: unknown): value is ThemeSetting {
  return typeof value === 'string' && (THEME_SETTINGS as readonly string[]).includes(value);
}

export function applyTheme(theme: ThemeSetting, root: HTMLElement = document.documentElement, storage: Storage | null = safeStorage()): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    storage?.setItem(CACHE_KEY, theme);
  } catch {
    /* a full or forbidden storage only costs the cache */
  }
}

export function cachedTheme(storage: Storage | null = safeStorage()): ThemeSetting {
  try {
    const value = storage?.getItem(CACHE_KEY);
    return isThemeSetting(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

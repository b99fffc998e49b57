import { useEffect, useLayoutEffect } from 'react';
import { selectSettings, useApp } from '../../store/index.js';
import { applyTheme, cachedTheme, isThemeSetting } from './theme.js';

/**
 * Keeps the page's colours equal to settings.theme whenever a snapshot brings a new value, whichever window or
 * host changed it; until the first snapshot, the cached choice (so a reload does not flash).
 */
export function ThemeFromSettings() {
  const setting = useApp((s) => selectSettings(s)?.theme);
  const hasSettings = useApp((s) => selectSettings(s) !== null);
  useLayoutEffect(() => applyTheme(cachedTheme()), []);
  useEffect(() => {
    if (hasSettings) applyTheme(isThemeSetting(setting) ? setting : 'system');
  }, [hasSettings, setting]);
  return null;
}

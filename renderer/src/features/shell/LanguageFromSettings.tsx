import { useEffect } from 'react';
import { resolveLanguage, systemLanguage } from '../../i18n/index.js';
import { selectSettings, useApp } from '../../store/index.js';

/**
 * Keeps the window's language equal to settings.language (config.json) whenever a snapshot brings a new value,
 * whichever window or host changed it. The store's setLanguage also refreshes the localStorage cache.
 */
export function LanguageFromSettings() {
  const setting = useApp((s) => selectSettings(s)?.language);
  const hasSettings = useApp((s) => selectSettings(s) !== null);
  const setLanguage = useApp((s) => s.setLanguage);
  useEffect(() => {
    if (!hasSettings) return; // no snapshot yet: the cached language stays until the host says otherwise
    const wanted = resolveLanguage(setting ?? 'auto', systemLanguage());
    setLanguage(wanted);
  }, [hasSettings, setting, setLanguage]);
  return null;
}

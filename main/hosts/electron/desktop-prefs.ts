// Choices only the desktop app asks about, kept beside config.json in <dataDir>/desktop.json (config.json is the
// engine's and stays the automation contract).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DesktopPrefs {
  /** Where no tray exists: what closing the window does. 'ask' until the user ticks "remember". */
  closeWithoutTray: 'ask' | 'background' | 'quit';
  /** Linux: store keychain passwords even though only the basic_text backend exists. */
  allowInsecureKeychain: boolean;
  /** The one-time hint "Backstay keeps running in the tray" was shown. */
  trayHintShown: boolean;
}

export const DEFAULT_PREFS: DesktopPrefs = { closeWithoutTray: 'ask', allowInsecureKeychain: false, trayHintShown: false };
export const PREFS_FILE = 'desktop.json';

export function loadPrefs(dataDir: string): DesktopPrefs {
  try {
    const raw = JSON.parse(readFileSync(path.join(dataDir, PREFS_FILE), 'utf8')) as Partial<DesktopPrefs>;
    return {
      closeWithoutTray: raw.closeWithoutTray === 'background' || raw.closeWithoutTray === 'quit' ? raw.closeWithoutTray : 'ask',
      allowInsecureKeychain: raw.allowInsecureKeychain === true,
      trayHintShown: raw.trayHintShown === true,
    };
  } catch {
    return { ...DEFAULT_PREFS };
  }
}

export function savePrefs(dataDir: string, prefs: DesktopPrefs): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, PREFS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(prefs, null, 2) + '\n');
  renameSync(tmp, file);
}

import { createStore, type StoreApi } from 'zustand/vanilla';
import { detectLanguage, isLanguage, type Language } from '../i18n/index.js';
import {
  createCancelSlice,
  createConnectionSlice,
  createOpsSlice,
  createPrefsSlice,
  createStateSlice,
  LANGUAGE_KEY,
  type PrefsStorage,
} from './slices.js';
import type { AppStoreState } from './types.js';

export type AppStore = StoreApi<AppStoreState>;

export interface AppStoreOptions {
  /** Where the language choice persists (localStorage in the page); null keeps it in memory. */
  storage?: PrefsStorage | null;
  /** The OS or browser language (navigator.language), used when the user has not chosen. */
  systemLanguage?: string;
}

export function initialLanguage(storage: PrefsStorage | null, systemLanguage: string | undefined): Language {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(LANGUAGE_KEY) ?? null;
  } catch {
    saved = null;
  }
  return saved && isLanguage(saved) ? saved : detectLanguage(systemLanguage);
}

export function createAppStore(options: AppStoreOptions = {}): AppStore {
  const storage = options.storage ?? null;
  const language = initialLanguage(storage, options.systemLanguage);
  return createStore<AppStoreState>()((...a) => ({
    ...createStateSlice(...a),
    ...createConnectionSlice(...a),
    ...createOpsSlice(...a),
    ...createPrefsSlice(storage, language)(...a),
    ...createCancelSlice(...a),
  }));
}

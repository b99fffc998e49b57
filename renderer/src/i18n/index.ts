// Two languages and about 250 strings: a typed object per language and a 10-line lookup do the job. A library
// (i18next, FormatJS) would add weight and runtime setup for features we do not use (plural rules, lazy bundles,
// ICU parsing), while the `Messages` type already makes a missing Chinese string a compile error.
import { useCallback } from 'react';
import { en, type MessageKey, type Messages } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey } from './en.js';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

const dictionaries: Record<Language, Messages> = { en, 'zh-CN': zhCN };

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** navigator.language -> one of ours: any Chinese goes to Simplified Chinese, everything else to English. */
export function detectLanguage(systemLanguage: string | undefined): Language {
  return systemLanguage?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * What settings.language (config.json) holds: a language, or `auto` to follow the system. The setting is the truth;
 * the page keeps the resolved language in localStorage only as a cache, so the first paint before the first
 * snapshot is already in the right language.
 */
export const LANGUAGE_SETTINGS = ['auto', ...LANGUAGES] as const;
export type LanguageSetting = (typeof LANGUAGE_SETTINGS)[number];

export function isLanguageSetting(value: unknown): value is LanguageSetting {
  return typeof value === 'string' && (LANGUAGE_SETTINGS as readonly string[]).includes(value);
}

/** The language to show for a setting: the one it names, else the system's (any unknown value counts as auto). */
export function resolveLanguage(setting: unknown, systemLanguage: string | undefined): Language {
  return typeof setting === 'string' && isLanguage(setting) ? setting : detectLanguage(systemLanguage);
}

/** The browser's (Electron: the OS's) language, where there is one. */
export function systemLanguage(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translate(language: Language, key: MessageKey, vars?: Vars): string {
  const template: string = dictionaries[language][key] ?? en[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A translate function bound to a language, stable while the language is. */
export function useTranslate(language: Language): Translate {
  return useCallback((key: MessageKey, vars?: Vars) => translate(language, key, vars), [language]);
}

import { useTranslate, type Translate } from '../i18n/index.js';
import { selectLanguage, useApp } from '../store/index.js';

/** The translate function for the language the user chose (or the system's). */
export function useT(): Translate {
  return useTranslate(useApp(selectLanguage));
}

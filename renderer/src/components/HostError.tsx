import { errorText, isKnownErrorCode } from '../i18n/error-messages.js';
import type { Language } from '../i18n/index.js';
import { selectLanguage, useApp } from '../store/index.js';
import { ErrorDetail } from './Feedback.js';

/**
 * The words for an error the host stored (an operation's error, a repository's last error, an app warning). The
 * host's text is English and specific (it names the path); in English it is shown as it is, in any other language
 * the window's own words for its code come first and the host's text is a detail behind "Details".
 */
export function hostErrorWords(language: Language, code: string | null | undefined, message: string | null | undefined): string {
  if (language === 'en' || !code || !isKnownErrorCode(code)) return message ?? (code ? errorText(language, code) : '');
  return errorText(language, code);
}

export function HostError({ code, message, className }: { code: string | null | undefined; message: string | null | undefined; className?: string }) {
  const language = useApp(selectLanguage);
  if (!message && !code) return null;
  const words = hostErrorWords(language, code, message);
  const translated = language !== 'en' && !!code && isKnownErrorCode(code);
  // A <div> styled as a paragraph: the detail is a <details>, which a <p> may not contain.
  return (
    <div className={['host-error', className].filter(Boolean).join(' ')}>
      {words}
      {translated && <ErrorDetail detail={message} />}
    </div>
  );
}

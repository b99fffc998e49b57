import type { ActionState } from './useAction.js';
import { ERROR_WORDS } from '../i18n/error-messages.js';
import { selectLanguage, useApp } from '../store/index.js';

/**
 * The host's own words for a failure (English, specific), as secondary text: visible in the English window,
 * behind "Details" in any other, so no English is left on a Chinese screen unless asked for.
 */
export function ErrorDetail({ detail }: { detail: string | null | undefined }) {
  const language = useApp(selectLanguage);
  if (!detail) return null;
  if (language === 'en') {
    return (
      <span className="feedback-detail" lang="en">
        {' '}
        {detail}
      </span>
    );
  }
  return (
    <details className="feedback-detail">
      <summary>{ERROR_WORDS[language].details}</summary>
      <span lang="en">{detail}</span>
    </details>
  );
}

/** The outcome of an action, next to the control that started it: the window's words first, the host's as detail. */
export function Feedback({ state }: { state: Pick<ActionState, 'error' | 'message'> & Partial<Pick<ActionState, 'errorDetail'>> }) {
  if (state.error) {
    return (
      <div className="feedback feedback-error" role="alert">
        <span>{state.error}</span>
        <ErrorDetail detail={state.errorDetail} />
      </div>
    );
  }
  if (state.message) return <p className="feedback" role="status">{state.message}</p>;
  return null;
}

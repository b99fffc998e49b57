import type { ActionState } from './useAction.js';

/** The outcome of an action, next to the control that started it. */
export function Feedback({ state }: { state: Pick<ActionState, 'error' | 'message'> }) {
  if (state.error) return <p className="feedback feedback-error" role="alert">{state.error}</p>;
  if (state.message) return <p className="feedback" role="status">{state.message}</p>;
  return null;
}

// Feeds the store from the client. A hidden page applies nothing: it keeps only the latest state (so memory
// stays O(1) however long it is hidden) and applies it when shown again.
import type { AppState, NavigateTarget } from '../../../main/common/index.js';
import type { BackstayClient } from '../client/index.js';
import type { AppStore } from './store.js';

export interface VisibilitySource {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', cb: () => void): void;
  removeEventListener(type: 'visibilitychange', cb: () => void): void;
}

/** `navigate`: where a notification or tray click goes (the page's router); without it, the store's view. */
export function connectStore(
  client: BackstayClient,
  store: AppStore,
  doc: VisibilitySource | null = null,
  navigate?: (target: NavigateTarget) => void,
): () => void {
  let pending: AppState | null = null;
  const onVisibility = (): void => {
    if (doc && !doc.hidden && pending) {
      const next = pending;
      pending = null;
      store.getState().applyState(next);
    }
  };
  doc?.addEventListener('visibilitychange', onVisibility);
  const stop = client.subscribeState({
    onState(state) {
      if (doc?.hidden) pending = state;
      else store.getState().applyState(state);
    },
    onStatus(status) {
      store.getState().setConnection(status);
    },
  });
  // A click on a desktop notification or tray item: show that operation (or the plan's page).
  const stopNavigate =
    client.subscribeNavigate?.((target) => {
      if (navigate) navigate(target);
      else if (target.opId !== undefined) store.getState().openOperation(target.opId);
      else if (target.planId !== undefined) store.getState().setView('plans');
    }) ?? (() => undefined);
  return () => {
    stop();
    stopNavigate();
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}

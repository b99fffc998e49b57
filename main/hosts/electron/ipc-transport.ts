// The state to the window over IPC, with flow control: nothing while the window is hidden or minimized, at most
// one unacknowledged state in flight, the latest whole state when it shows again. The publisher keeps at
// most one pending state per subscriber, so a renderer that never acknowledges costs O(1).
import type { AppState } from '../../common/index.js';
import type { StatePublisher, Subscription } from '../../core/state/publisher-api.js';

import { STATE_CHANNEL } from '../../common/ipc.js';

export { ACK_CHANNEL, INVOKE_CHANNEL, STATE_CHANNEL } from '../../common/ipc.js';

type Unsubscribe = () => void;

/** The part of a BrowserWindow the transport needs; electron-window.ts adapts the real one. */
export interface WindowPort {
  isVisible(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
  onShow(cb: () => void): Unsubscribe;
  onHide(cb: () => void): Unsubscribe;
  onMinimize(cb: () => void): Unsubscribe;
  onRestore(cb: () => void): Unsubscribe;
  /** The page (re)loaded: whatever was in flight is lost, start over with a fresh state. */
  onPageLoad?(cb: () => void): Unsubscribe;
  onClosed?(cb: () => void): Unsubscribe;
}

export interface StateTransport {
  /** The renderer applied state `version` (IPC `backstay:ack`). Stale or unexpected acks are ignored. */
  ack(version: number): void;
  dispose(): void;
  /** Version of the state sent and not yet acknowledged, or null. */
  readonly inFlight: number | null;
  readonly sentCount: number;
}

export interface StateTransportOptions {
  maxHz?: number;
  onError?: (error: unknown) => void;
}

export function attachStateTransport(
  publisher: StatePublisher,
  window: WindowPort,
  options: StateTransportOptions = {},
): StateTransport {
  let subscription: Subscription | null = null;
  let inFlight: number | null = null;
  let sentCount = 0;
  let disposed = false;
  // A delivery may come synchronously from inside subscribe(), before `subscription` is set: what it owes the
  // publisher then is settled right after subscribe() returns.
  let owedAck = false;
  let owedHide = false;
  // A state the publisher counted as delivered but we dropped (hidden at that instant): the publisher only
  // re-sends a *changed* version on show, so showing again starts a fresh subscription instead.
  let dropped = false;
  const unhooks: Unsubscribe[] = [];

  const showing = () => !window.isDestroyed() && window.isVisible() && !window.isMinimized();

  const send = (state: AppState) => {
    if (disposed) return;
    if (window.isDestroyed()) {
      dispose();
      return;
    }
    if (!showing()) {
      // A delivery that raced with hide/minimize: do not send, and do not leave the publisher waiting for an
      // ack that will never come. It delivers the latest again when the window is shown.
      dropped = true;
      if (subscription) {
        subscription.setVisible(false);
        subscription.ack();
      } else {
        owedHide = owedAck = true;
      }
      return;
    }
    try {
      window.send(STATE_CHANNEL, state);
      inFlight = state.version;
      sentCount++;
    } catch (error) {
      options.onError?.(error);
      if (subscription) subscription.ack(); // nothing is in flight after a failed send
      else owedAck = true;
    }
  };

  const subscribe = () => {
    subscription?.dispose();
    inFlight = null;
    subscription = null;
    owedAck = owedHide = false;
    dropped = false;
    const sub = publisher.subscribe({
      send,
      ackRequired: true,
      visible: showing(),
      immediate: true,
      name: 'window',
      ...(options.maxHz ? { maxHz: options.maxHz } : {}),
    });
    if (disposed) {
      sub.dispose();
      return;
    }
    subscription = sub;
    if (owedHide) sub.setVisible(showing());
    if (owedAck) sub.ack();
    owedAck = owedHide = false;
  };

  const updateVisibility = () => {
    if (disposed) return;
    const visible = showing();
    if (visible && dropped) subscribe();
    else subscription?.setVisible(visible);
  };

  const dispose = () => {
    if (disposed) return;
    disposed = true;
    subscription?.dispose();
    subscription = null;
    inFlight = null;
    for (const unhook of unhooks.splice(0)) unhook();
  };

  unhooks.push(window.onShow(updateVisibility), window.onHide(updateVisibility));
  unhooks.push(window.onMinimize(updateVisibility), window.onRestore(updateVisibility));
  if (window.onPageLoad) unhooks.push(window.onPageLoad(() => !disposed && subscribe()));
  if (window.onClosed) unhooks.push(window.onClosed(dispose));
  subscribe();

  return {
    ack(version: number) {
      if (disposed || inFlight === null || !Number.isFinite(version) || version < inFlight) return;
      inFlight = null;
      subscription?.ack();
    },
    dispose,
    get inFlight() {
      return inFlight;
    },
    get sentCount() {
      return sentCount;
    },
  };
}

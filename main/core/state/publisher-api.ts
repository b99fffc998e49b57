// The seam between the engine's state and every subscriber (Electron window, SSE client, tray, notifier, CLI).
// Implemented in publisher.ts. Latest value wins: each subscription holds at most one pending state.
import type { AppState } from '../../common/index.js';

export interface SubscriptionOptions {
  /**
   * Delivers one whole state. Called from a timer, never from the job path; must not throw (errors are
   * caught and the subscription is disposed) and should not block.
   */
  send(state: AppState): void;
  /** Most deliveries per second for this subscriber; default settings.uiUpdateHz. */
  maxHz?: number;
  /** When true, after each send nothing more is sent until ack() (flow control for IPC and SSE). */
  ackRequired?: boolean;
  /** Start visible (default true). A hidden subscriber is sent nothing; on becoming visible it gets the latest. */
  visible?: boolean;
  /** Deliver the current state at once on subscribe (default true). */
  immediate?: boolean;
  /** A name for logs and tests ("window", "sse#3", "tray"). */
  name?: string;
}

export interface Subscription {
  /** The last sent state was taken (applied, written to the socket); the next may be sent. */
  ack(): void;
  setVisible(visible: boolean): void;
  dispose(): void;
  /** 0 or 1: whether a newer state is waiting for this subscriber. */
  readonly pending: number;
  readonly sentCount: number;
}

export interface StatePublisher {
  subscribe(options: SubscriptionOptions): Subscription;
  /** The latest state (cheap: no copy). */
  current(): AppState;
  readonly subscriberCount: number;
}

// The state publisher: the only way state leaves the engine for a window, an SSE client, the tray or the CLI.
//
// publish() is on the job path (the state store calls it for every progress line restic prints), so it does
// nothing but remember the latest reference and flag each subscription; delivery happens later from one timer
// per subscription. "Latest value wins": a subscription never holds more than one pending state, and that
// state is simply "the publisher's current state, if its version differs from the last one delivered", so a
// subscriber that is hidden, unacknowledged or stuck costs O(1) memory for as long as it stays that way.
import type { AppState } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import type { StatePublisher, Subscription, SubscriptionOptions } from './publisher-api.js';

export interface PublisherClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface StatePublisherOptions {
  initial: AppState;
  /** Rate for subscriptions that set no maxHz; read at each delivery so a settings change applies at once. */
  defaultHz: () => number;
  clock?: PublisherClock;
  logger?: Logger;
}

const FALLBACK_HZ = 4;
const MAX_HZ = 60;

const systemClock: PublisherClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A usable rate: bad settings (0, negative, NaN) must not stop delivery nor turn it into a busy loop. */
function sanitizeHz(hz: number): number {
  if (!Number.isFinite(hz) || hz <= 0) return FALLBACK_HZ;
  return Math.min(hz, MAX_HZ);
}

export class StatePublisherImpl implements StatePublisher {
  private latest: AppState;
  private readonly subscriptions = new Set<SubscriptionImpl>();
  private nextId = 1;
  readonly clock: PublisherClock;
  readonly logger: Logger | undefined;
  readonly defaultHz: () => number;

  constructor(opts: StatePublisherOptions) {
    this.latest = opts.initial;
    this.defaultHz = opts.defaultHz;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger;
  }

  /** Called by the state store on every change. Never sends, never awaits, never throws. */
  publish(state: AppState): void {
    this.latest = state;
    for (const subscription of this.subscriptions) subscription.markDirty();
  }

  current(): AppState {
    return this.latest;
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  subscribe(options: SubscriptionOptions): Subscription {
    const name = options.name ?? `subscriber#${this.nextId++}`;
    const subscription = new SubscriptionImpl(this, options, name, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    if (options.immediate ?? true) subscription.markDirty(true);
    return subscription;
  }

  /** Disposes every subscription (host shutdown); later publishes are still accepted and go nowhere. */
  close(): void {
    for (const subscription of [...this.subscriptions]) subscription.dispose();
  }
}

class SubscriptionImpl implements Subscription {
  private visible: boolean;
  private awaitingAck = false;
  private disposed = false;
  private timer: unknown = null;
  /** Version of the last state handed to send(); NaN before the first, so any version differs. */
  private lastSentVersion = Number.NaN;
  /** Clock time of the last send; -Infinity so the first delivery is not rate limited. */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private sent = 0;

  constructor(
    private readonly publisher: StatePublisherImpl,
    private readonly options: SubscriptionOptions,
    readonly name: string,
    private readonly unregister: () => void,
  ) {
    this.visible = options.visible ?? true;
  }

  get pending(): number {
    if (this.disposed) return 0;
    return this.publisher.current().version === this.lastSentVersion ? 0 : 1;
  }

  get sentCount(): number {
    return this.sent;
  }

  /**
   * Something newer may be waiting: make sure one timer will deliver it when this subscriber may take it.
   * `force` delivers even an unchanged version (the immediate state on subscribe).
   */
  markDirty(force = false): void {
    if (this.disposed || this.timer !== null || !this.visible || this.awaitingAck) return;
    if (!force && this.pending === 0) return;
    const interval = 1000 / sanitizeHz(this.options.maxHz ?? this.publisher.defaultHz());
    const wait = Math.max(0, this.lastSentAt + interval - this.publisher.clock.now());
    try {
      const handle = this.publisher.clock.setTimeout(() => this.deliver(), wait);
      (handle as { unref?: () => void } | null)?.unref?.();
      this.timer = handle;
    } catch (error) {
      // A clock that cannot schedule must not break publish(); the next change tries again.
      this.publisher.logger?.error('publisher: could not schedule a delivery', { subscriber: this.name, error: String(error) });
    }
  }

  private deliver(): void {
    this.timer = null;
    if (this.disposed || !this.visible || this.awaitingAck) return;
    const state = this.publisher.current();
    this.lastSentVersion = state.version;
    this.lastSentAt = this.publisher.clock.now();
    this.awaitingAck = this.options.ackRequired ?? false;
    this.sent++;
    try {
      this.options.send(state);
    } catch (error) {
      this.publisher.logger?.warn('publisher: a subscriber failed to take the state; it is dropped', {
        subscriber: this.name,
        error: error instanceof Error ? error.message : String(error),
      });
      this.dispose();
      return;
    }
    // Without flow control, a change that arrived while we were sending is picked up here.
    this.markDirty();
  }

  ack(): void {
    if (!this.awaitingAck) return;
    this.awaitingAck = false;
    this.markDirty();
  }

  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (!visible) {
      this.cancelTimer();
      return;
    }
    // Whatever it missed while hidden, it now gets the latest whole state (if it changed).
    this.markDirty();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelTimer();
    this.unregister();
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.publisher.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

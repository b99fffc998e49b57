import { describe, expect, it } from 'vitest';
import type { AppState } from '../../common/index.js';
import type { StatePublisher, Subscription, SubscriptionOptions } from '../../core/state/publisher-api.js';
import { StatePublisherImpl, type PublisherClock } from '../../core/state/publisher.js';
import { attachStateTransport, STATE_CHANNEL, type WindowPort } from './ipc-transport.js';
import { appState } from '../../core/state/testing/app-state.js';

/** A clock the test advances by hand: deliveries happen exactly when the test says time passed. */
class ManualClock implements PublisherClock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  advance(ms: number) {
    this.t += ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
  }
  get pendingTimers() {
    return this.timers.length;
  }
}

type Event = 'show' | 'hide' | 'minimize' | 'restore' | 'load' | 'closed';
class FakeWindow implements WindowPort {
  visible = true;
  minimized = false;
  destroyed = false;
  sent: AppState[] = [];
  throwOnSend = false;
  private listeners = new Map<Event, Set<() => void>>();
  isVisible = () => this.visible;
  isMinimized = () => this.minimized;
  isDestroyed = () => this.destroyed;
  send(channel: string, payload: unknown) {
    if (this.destroyed) throw new Error('Object has been destroyed');
    if (this.throwOnSend) throw new Error('send failed');
    expect(channel).toBe(STATE_CHANNEL);
    this.sent.push(payload as AppState);
  }
  private on(e: Event, cb: () => void) {
    if (!this.listeners.has(e)) this.listeners.set(e, new Set());
    this.listeners.get(e)!.add(cb);
    return () => this.listeners.get(e)!.delete(cb);
  }
  onShow = (cb: () => void) => this.on('show', cb);
  onHide = (cb: () => void) => this.on('hide', cb);
  onMinimize = (cb: () => void) => this.on('minimize', cb);
  onRestore = (cb: () => void) => this.on('restore', cb);
  onPageLoad = (cb: () => void) => this.on('load', cb);
  onClosed = (cb: () => void) => this.on('closed', cb);
  emit(e: Event) {
    for (const cb of [...(this.listeners.get(e) ?? [])]) cb();
  }
  listenerCount() {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
  get versions() {
    return this.sent.map((s) => s.version);
  }
}

function setup(opts: { visible?: boolean; minimized?: boolean } = {}) {
  const clock = new ManualClock();
  let state = appState({ version: 1 });
  const publisher = new StatePublisherImpl({ initial: state, defaultHz: () => 4, clock });
  const win = new FakeWindow();
  win.visible = opts.visible ?? true;
  win.minimized = opts.minimized ?? false;
  const transport = attachStateTransport(publisher, win);
  const publish = () => {
    state = { ...state, version: state.version + 1 };
    publisher.publish(state);
  };
  return { clock, publisher, win, transport, publish };
}

describe('attachStateTransport (real publisher)', () => {
  it('sends the current state at once, then at most one unacknowledged state', () => {
    const { clock, win, transport, publish } = setup();
    clock.advance(0);
    expect(win.versions).toEqual([1]);
    expect(transport.inFlight).toBe(1);
    for (let i = 0; i < 50; i++) {
      publish();
      clock.advance(1000);
    }
    expect(win.versions).toEqual([1]); // nothing until the renderer acks
    transport.ack(1);
    clock.advance(1000);
    expect(win.versions).toEqual([1, 51]); // the latest whole state, not the 50 in between
  });

  it('ignores stale or bogus acks', () => {
    const { clock, win, transport, publish } = setup();
    clock.advance(0);
    transport.ack(1);
    publish();
    clock.advance(1000);
    expect(win.versions).toEqual([1, 2]);
    publish();
    transport.ack(1); // an old ack must not let the next one through
    transport.ack(Number.NaN);
    clock.advance(1000);
    expect(win.versions).toEqual([1, 2]);
    transport.ack(2);
    clock.advance(1000);
    expect(win.versions).toEqual([1, 2, 3]);
  });

  it('sends nothing while hidden or minimized; the latest when shown again', () => {
    const { clock, win, transport, publish } = setup();
    clock.advance(0);
    transport.ack(1);
    win.visible = false;
    win.emit('hide');
    for (let i = 0; i < 10; i++) publish();
    clock.advance(5000);
    expect(win.versions).toEqual([1]);
    win.visible = true;
    win.emit('show');
    clock.advance(1000);
    expect(win.versions).toEqual([1, 11]);
    transport.ack(11);
    win.minimized = true;
    win.emit('minimize');
    publish();
    clock.advance(5000);
    expect(win.versions).toEqual([1, 11]);
    win.minimized = false;
    win.emit('restore');
    clock.advance(1000);
    expect(win.versions).toEqual([1, 11, 12]);
  });

  it('a window created hidden gets nothing until shown', () => {
    const { clock, win } = setup({ visible: false });
    clock.advance(5000);
    expect(win.versions).toEqual([]);
    win.visible = true;
    win.emit('show');
    clock.advance(0);
    expect(win.versions).toEqual([1]);
  });

  it('a renderer that never acks costs O(1): no queue, no timers, the publisher holds one pending', () => {
    const { clock, win, publisher, publish } = setup();
    clock.advance(0);
    for (let i = 0; i < 10_000; i++) publish();
    clock.advance(60_000);
    expect(win.versions).toEqual([1]);
    expect(clock.pendingTimers).toBe(0);
    expect(publisher.subscriberCount).toBe(1);
  });

  it('a page reload starts over with a fresh state (the lost in-flight one is not waited for)', () => {
    const { clock, win, transport, publish } = setup();
    clock.advance(0);
    publish();
    win.emit('load');
    clock.advance(0);
    expect(win.versions).toEqual([1, 2]);
    expect(transport.inFlight).toBe(2);
  });

  it('a destroyed window is dropped and its listeners removed', () => {
    const { clock, win, publisher, transport, publish } = setup();
    clock.advance(0);
    transport.ack(1);
    win.destroyed = true;
    publish();
    clock.advance(1000);
    expect(publisher.subscriberCount).toBe(0);
    expect(win.listenerCount()).toBe(0);
  });

  it('closed disposes', () => {
    const { win, publisher } = setup();
    win.emit('closed');
    expect(publisher.subscriberCount).toBe(0);
    expect(win.listenerCount()).toBe(0);
  });

  it('a failed send leaves nothing in flight, so later states still flow', () => {
    const { clock, win, transport, publish } = setup();
    win.throwOnSend = true;
    clock.advance(0);
    expect(transport.inFlight).toBe(null);
    win.throwOnSend = false;
    publish();
    clock.advance(1000);
    expect(win.versions).toEqual([2]);
  });
});

/** A publisher that delivers synchronously (inside subscribe and setVisible): the transport must not rely on timers. */
class SyncPublisher implements StatePublisher {
  state: AppState = appState({ version: 1 });
  subs: { o: SubscriptionOptions; visible: boolean; awaiting: boolean; lastSent: number; disposed: boolean }[] = [];
  current() {
    return this.state;
  }
  get subscriberCount() {
    return this.subs.filter((s) => !s.disposed).length;
  }
  private deliver(s: SyncPublisher['subs'][number], force = false) {
    if (s.disposed || !s.visible || s.awaiting) return;
    if (!force && s.lastSent === this.state.version) return;
    s.lastSent = this.state.version;
    s.awaiting = !!s.o.ackRequired;
    s.o.send(this.state);
  }
  publish(v: number) {
    this.state = { ...this.state, version: v };
    for (const s of this.subs) this.deliver(s);
  }
  subscribe(o: SubscriptionOptions): Subscription {
    const s = { o, visible: o.visible ?? true, awaiting: false, lastSent: NaN, disposed: false };
    this.subs.push(s);
    this.deliver(s, true);
    return {
      ack: () => {
        s.awaiting = false;
        this.deliver(s);
      },
      setVisible: (v: boolean) => {
        s.visible = v;
        this.deliver(s);
      },
      dispose: () => {
        s.disposed = true;
      },
      pending: 0,
      sentCount: 0,
    };
  }
}

describe('attachStateTransport (synchronous publisher)', () => {
  it('a delivery racing with a hide is dropped, not left waiting for an ack; show sends the latest', () => {
    const pub = new SyncPublisher();
    const win = new FakeWindow();
    // Visible when subscribing, hidden by the time the state arrives (no event yet).
    let checks = 0;
    win.isVisible = () => checks++ === 0;
    const t = attachStateTransport(pub, win);
    expect(win.versions).toEqual([]);
    expect(t.inFlight).toBe(null);
    win.isVisible = () => true;
    win.emit('show');
    expect(win.versions).toEqual([1]);
    t.ack(1);
    pub.publish(2);
    expect(win.versions).toEqual([1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import type { AppState } from '../../common/index.js';
import { StatePublisherImpl, type PublisherClock } from './publisher.js';
import { appState, running } from './testing/app-state.js';

function stateAt(version: number, bytesDone = 0): AppState {
  return appState({ version, host: 'serve', running: [running(1, 'home', { progress: { bytesDone, totalBytes: 1e12 } })] });
}

/** A manual clock: timers run only when the test advances time. */
class FakeClock implements PublisherClock {
  private time = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get timerCount(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
    }
    this.time = end;
  }
}

function setup(hz = 4) {
  const clock = new FakeClock();
  const warnings: string[] = [];
  const logger = { info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  const publisher = new StatePublisherImpl({ initial: stateAt(1), defaultHz: () => hz, clock, logger });
  return { clock, publisher, warnings };
}

describe('StatePublisherImpl', () => {
  it('delivers the current state right after subscribing, from a timer, not synchronously', () => {
    const { clock, publisher } = setup();
    const got: number[] = [];
    publisher.subscribe({ send: (s) => got.push(s.version) });
    expect(got).toEqual([]);
    clock.advance(0);
    expect(got).toEqual([1]);
  });

  it('never calls send from publish()', () => {
    const { publisher } = setup();
    const got: number[] = [];
    publisher.subscribe({ send: (s) => got.push(s.version), immediate: false });
    for (let v = 2; v < 100; v++) publisher.publish(stateAt(v));
    expect(got).toEqual([]);
  });

  it('respects maxHz and delivers only the latest value, only when the version changed', () => {
    const { clock, publisher } = setup(4);
    const got: number[] = [];
    publisher.subscribe({ send: (s) => got.push(s.version) });
    clock.advance(0); // immediate: v1 at t=0
    let version = 1;
    // 1000 publishes per second for 2 s.
    for (let t = 1; t <= 2000; t++) {
      publisher.publish(stateAt(++version));
      clock.advance(1);
    }
    // t=0 plus one each 250 ms: 250, 500, ..., 2000 -> 9 deliveries at most.
    expect(got.length).toBeLessThanOrEqual(9);
    expect(got.length).toBeGreaterThanOrEqual(8);
    // Latest wins: each delivery is the version current at its time, strictly increasing.
    for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThan(got[i - 1]!);
    // Quiet: nothing changes, nothing is sent.
    clock.advance(1000);
    const after = got.length;
    clock.advance(5000);
    expect(got.length).toBe(after);
    expect(got.at(-1)).toBe(version);
  });

  it('per-subscription maxHz overrides the default and a bad rate falls back instead of spinning', () => {
    const { clock, publisher } = setup(4);
    const fast: number[] = [];
    const broken: number[] = [];
    publisher.subscribe({ send: (s) => fast.push(s.version), maxHz: 20, immediate: false });
    publisher.subscribe({ send: (s) => broken.push(s.version), maxHz: 0, immediate: false });
    let version = 1;
    for (let t = 0; t < 1000; t += 10) {
      publisher.publish(stateAt(++version));
      clock.advance(10);
    }
    expect(fast.length).toBeGreaterThanOrEqual(19);
    expect(fast.length).toBeLessThanOrEqual(21);
    expect(broken.length).toBeGreaterThanOrEqual(3);
    expect(broken.length).toBeLessThanOrEqual(5);
  });

  it('with ackRequired sends nothing more until ack(), then the latest', () => {
    const { clock, publisher } = setup(10);
    const got: number[] = [];
    const sub = publisher.subscribe({ send: (s) => got.push(s.version), ackRequired: true });
    clock.advance(0);
    expect(got).toEqual([1]);
    for (let v = 2; v <= 50; v++) publisher.publish(stateAt(v));
    clock.advance(10_000);
    expect(got).toEqual([1]);
    expect(sub.pending).toBe(1);
    sub.ack();
    clock.advance(1000);
    expect(got).toEqual([1, 50]);
    expect(sub.pending).toBe(0);
  });

  it('a subscriber that acks from inside send keeps receiving at the rate limit', () => {
    const { clock, publisher } = setup(10);
    const got: number[] = [];
    const sub = publisher.subscribe({
      send: (s) => {
        got.push(s.version);
        sub.ack();
      },
      ackRequired: true,
    });
    let version = 1;
    for (let t = 0; t < 1000; t += 5) {
      publisher.publish(stateAt(++version));
      clock.advance(5);
    }
    expect(got.length).toBeGreaterThanOrEqual(10);
    expect(got.length).toBeLessThanOrEqual(11);
  });

  it('a hidden subscriber gets nothing, then the latest whole state when visible again', () => {
    const { clock, publisher } = setup(10);
    const got: AppState[] = [];
    const sub = publisher.subscribe({ send: (s) => got.push(s), visible: false });
    for (let v = 2; v <= 1000; v++) publisher.publish(stateAt(v, v * 10));
    clock.advance(60_000);
    expect(got).toEqual([]);
    expect(clock.timerCount).toBe(0);
    sub.setVisible(true);
    clock.advance(0);
    expect(got.map((s) => s.version)).toEqual([1000]);
    expect(got[0]!.running[0]!.progress!.bytesDone).toBe(10_000);
    // Hiding cancels a scheduled delivery.
    publisher.publish(stateAt(1001));
    sub.setVisible(false);
    clock.advance(1000);
    expect(got).toHaveLength(1);
  });

  it('a throwing subscriber is dropped and logged; others and publish are unaffected', () => {
    const { clock, publisher, warnings } = setup(10);
    const good: number[] = [];
    publisher.subscribe({ send: () => { throw new Error('socket gone'); }, name: 'bad' });
    publisher.subscribe({ send: (s) => good.push(s.version), name: 'good' });
    expect(publisher.subscriberCount).toBe(2);
    clock.advance(0);
    expect(publisher.subscriberCount).toBe(1);
    expect(warnings.some((w) => w.includes('dropped'))).toBe(true);
    expect(() => publisher.publish(stateAt(2))).not.toThrow();
    clock.advance(1000);
    expect(good).toEqual([1, 2]);
  });

  it('dispose stops delivery and unregisters; close() disposes everyone', () => {
    const { clock, publisher } = setup(10);
    const got: number[] = [];
    const sub = publisher.subscribe({ send: (s) => got.push(s.version) });
    sub.dispose();
    clock.advance(1000);
    expect(got).toEqual([]);
    expect(publisher.subscriberCount).toBe(0);
    expect(sub.pending).toBe(0);
    publisher.subscribe({ send: () => {} });
    publisher.subscribe({ send: () => {} });
    publisher.close();
    expect(publisher.subscriberCount).toBe(0);
    expect(clock.timerCount).toBe(0);
  });

  it('unrefs its timers so a subscriber never keeps the process alive', () => {
    const created: NodeJS.Timeout[] = [];
    const clock: PublisherClock = {
      now: () => performance.now(),
      setTimeout: (fn, ms) => {
        const t = setTimeout(fn, ms);
        created.push(t);
        return t;
      },
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    const publisher = new StatePublisherImpl({ initial: stateAt(1), defaultHz: () => 1, clock });
    publisher.subscribe({ send: () => {} });
    expect(created).toHaveLength(1);
    expect(created[0]!.hasRef()).toBe(false);
    publisher.close();
  });

  describe('a flood of 100,000 publishes with a stuck and a hidden subscriber', () => {
    const FLOOD = 100_000;
    const states = Array.from({ length: FLOOD }, (_, i) => stateAt(i + 2, i));

    function flood(publisher: StatePublisherImpl): number {
      const start = performance.now();
      for (const s of states) publisher.publish(s);
      return performance.now() - start;
    }

    it('costs the job path the same, keeps one pending each, delivers the latest on resume', () => {
      // Baseline: no subscribers. Warm up once so JIT state is comparable.
      const base = setup(4);
      flood(base.publisher);
      const baseline = Math.min(flood(base.publisher), flood(base.publisher));

      const { clock, publisher } = setup(4);
      const stuckGot: number[] = [];
      const hiddenGot: number[] = [];
      const stuck = publisher.subscribe({ send: (s) => stuckGot.push(s.version), ackRequired: true, name: 'stuck' });
      const hidden = publisher.subscribe({ send: (s) => hiddenGot.push(s.version), visible: false, name: 'hidden' });
      clock.advance(0); // the stuck one takes its first state and never acks
      expect(stuckGot).toEqual([1]);
      flood(publisher);
      const withStuck = Math.min(flood(publisher), flood(publisher));
      // Same order of magnitude: two flag checks per publish, nothing allocated, nothing queued.
      expect(withStuck).toBeLessThan(Math.max(baseline * 10, 20));

      clock.advance(60_000);
      expect(stuck.pending).toBe(1);
      expect(hidden.pending).toBe(1);
      expect(stuckGot).toEqual([1]);
      expect(hiddenGot).toEqual([]);
      expect(clock.timerCount).toBe(0); // no timer piles up for a subscriber that cannot take anything

      const last = states.at(-1)!.version;
      stuck.ack();
      hidden.setVisible(true);
      clock.advance(1000);
      expect(stuckGot).toEqual([1, last]);
      expect(hiddenGot).toEqual([last]);
      expect(stuck.pending).toBe(0);
      expect(hidden.pending).toBe(0);
    });
  });
});

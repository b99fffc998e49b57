import { describe, expect, it } from 'vitest';
import { MAX_TIMEOUT_MS, setLongTimeout } from './long-timeout.js';
import { manualClock } from './testing/manual-clock.js';

const DAY = 24 * 60 * 60 * 1000;

describe('setLongTimeout', () => {
  for (const ms of [0, 1, 1000, MAX_TIMEOUT_MS - 1, MAX_TIMEOUT_MS, MAX_TIMEOUT_MS + 1, 30 * DAY, 365 * DAY]) {
    it(`fires once at ${ms} ms and not before`, () => {
      const c = manualClock(1_000_000);
      let fired = 0;
      setLongTimeout(() => fired++, ms, c.clock);
      if (ms > 0) {
        c.advance(ms - 1);
        expect(fired).toBe(0);
      }
      c.advance(1);
      expect(fired).toBe(1);
      c.advance(10 * DAY);
      expect(fired).toBe(1);
      expect(Math.max(...c.requested)).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
    });
  }

  it('a plain setTimeout of 30 days fires at once (why this module exists)', () => {
    const c = manualClock();
    let fired = 0;
    c.clock.setTimeout(() => fired++, 30 * DAY);
    c.advance(2);
    expect(fired).toBe(1);
  });

  it('follows the wall clock when it jumps forward (sleep)', () => {
    const c = manualClock();
    let fired = 0;
    setLongTimeout(() => fired++, 3 * DAY, c.clock);
    c.jump(3 * DAY); // the machine slept through the deadline
    c.advance(DAY); // the next step notices
    expect(fired).toBe(1);
  });

  it('cancel stops it', () => {
    const c = manualClock();
    let fired = 0;
    const t = setLongTimeout(() => fired++, 40 * DAY, c.clock);
    c.advance(10 * DAY);
    t.cancel();
    c.advance(40 * DAY);
    expect(fired).toBe(0);
    expect(c.pending()).toBe(0);
  });
});

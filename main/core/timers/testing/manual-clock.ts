// A clock for tests whose timers fire only when the test advances time, in deadline order, and that treats delays
// the way Node does: above 2^31-1 ms a timeout fires after 1 ms, and 0 means 1 ms. So code under test meets the
// real hazard of long waits with time under the test's control.
import { MAX_TIMEOUT_MS, type LongTimerClock } from '../long-timeout.js';

export function manualClock(start = 0) {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  /** Every delay asked of setTimeout, in order. */
  const requested: number[] = [];
  const clock: LongTimerClock = {
    now: () => now,
    setTimeout(fn, ms) {
      requested.push(ms);
      const id = nextId++;
      timers.set(id, { at: now + (ms > MAX_TIMEOUT_MS ? 1 : Math.max(1, ms)), fn });
      return id;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
  };
  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  function advance(ms: number) {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  }
  return {
    clock,
    advance,
    requested,
    /** The wall clock jumps (the machine slept) without any timer firing. */
    jump: (ms: number) => void (now += ms),
    pending: () => timers.size,
  };
}

// Timers for waits of any length. Node (and browsers) fire a setTimeout whose delay exceeds 2^31-1 ms (24.8 days)
// after 1 ms, so a 30-day setting would fire at once. A long wait is kept as a wall-clock deadline and re-armed
// in steps no longer than MAX_STEP_MS until the deadline has passed.

/** The longest delay a single setTimeout holds (2^31-1 ms); longer ones fire after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Re-arm at least this often, so that a wall clock that jumped (sleep, NTP) is noticed within a day. */
const MAX_STEP_MS = 24 * 60 * 60 * 1000;

export interface LongTimerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemLongTimerClock: LongTimerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface LongTimeout {
  cancel(): void;
  /** Wall-clock time (ms since epoch) at which it fires. */
  readonly deadline: number;
}

/** Calls `fn` once, `ms` milliseconds from now by the wall clock, however large `ms` is. */
export function setLongTimeout(fn: () => void, ms: number, clock: LongTimerClock = systemLongTimerClock): LongTimeout {
  const delay = Number.isFinite(ms) ? Math.max(0, ms) : Number.MAX_SAFE_INTEGER;
  const deadline = clock.now() + delay;
  let handle: unknown = null;
  let cancelled = false;
  const arm = () => {
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      handle = null;
      fn();
      return;
    }
    handle = clock.setTimeout(arm, Math.min(remaining, MAX_STEP_MS, MAX_TIMEOUT_MS));
  };
  // The first step goes through the clock too: like setTimeout, `fn` never runs before this call has returned
  // (a caller may still be storing the handle), even for a wait of 0.
  handle = clock.setTimeout(arm, Math.min(delay, MAX_STEP_MS, MAX_TIMEOUT_MS));
  return {
    deadline,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
    },
  };
}

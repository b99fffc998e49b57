// A stand-in for the machine's clocks in the desktop app's process, loaded with `node --import` before anything else
// (harness option `clock: true`), like the `electron` stand-in a boundary the product code does not know about. A
// test drives it over the stand-in's control channel (control-protocol.ts `clockJump`, `clockAdvance`):
// - jump(ms): the wall clock (`Date`, `Date.now`) moves on by ms and nothing else does. This is what a suspend does
//   to a process: the wall clock keeps counting while the machine sleeps, the monotonic clock that Node's timers
//   run on does not (CLOCK_MONOTONIC on Linux, mach_absolute_time on macOS), so after a wake the timers carry on
//   where they were and the next wall-clock reading is far ahead.
// - advance(ms, stepMs): time passes, quickly. Wall clock and the app's timers move on together in steps of stepMs;
//   every timer that comes due in a step fires in it, in due order, before the next step (an interval once per
//   step at most, as Node fires an interval once after a blocked event loop and counts the next period from then).
//   With steps shorter than the app's own periods this is time passing, only faster: a 15 s tick still sees 15 s.
// What it does not shift: `performance.now()` (the app uses it only to throttle updates), timers of the test
// instruments (playwright-core and the stand-ins, which keep real time so that their own timeouts stay honest), the
// clocks of other processes (Chromium, restic).
//
// Runs under Node's own type stripping: erasable TypeScript only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const STANDIN_DIR = path.dirname(fileURLToPath(import.meta.url)) + path.sep;
const INSTRUMENTS = [STANDIN_DIR, `${path.sep}node_modules${path.sep}playwright-core${path.sep}`];
/** Real time given to the timers that came due in a step (and to what they start) before the next step. */
const SETTLE_MS = 25;
const TIMEOUT_MAX = 2 ** 31 - 1;

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const native = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
};

let wallOffsetMs = 0;
let monotonicOffsetMs = 0;
const wallNow = () => realNow() + wallOffsetMs;
const monotonicNow = () => performance.now() + monotonicOffsetMs;

// ---- the wall clock ---------------------------------------------------------------------------------------

const shiftedNow = () => wallNow();
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args: unknown[], newTarget) => Reflect.construct(target, args.length === 0 ? [wallNow()] : args, newTarget) as object,
  // Date() called without `new` returns the current time as a string.
  apply: () => new RealDate(wallNow()).toString(),
  get: (target, key, receiver) => (key === 'now' ? shiftedNow : Reflect.get(target, key, receiver)),
});

// ---- the app's timers -------------------------------------------------------------------------------------

const pending = new Set<AppTimer>();
const byId = new Map<number, AppTimer>();
let nextId = 1;

/** A Node Timeout look-alike whose due time is on the app's (advanceable) monotonic clock. */
class AppTimer {
  readonly id = nextId++;
  private handle: ReturnType<typeof setTimeout> | null = null;
  private refed = true;
  dueAt: number;
  private readonly callback: (...args: unknown[]) => void;
  private readonly args: unknown[];
  private readonly delayMs: number;
  private readonly repeat: boolean;

  constructor(callback: (...args: unknown[]) => void, args: unknown[], delay: unknown, repeat: boolean) {
    this.callback = callback;
    this.args = args;
    // Node's own coercion: anything outside 1..2^31-1 (or not a number) is 1 ms.
    const ms = Number(delay);
    this.delayMs = ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
    this.repeat = repeat;
    this.dueAt = monotonicNow() + this.delayMs;
    pending.add(this);
    byId.set(this.id, this);
    this.arm();
  }

  arm(): void {
    if (this.handle !== null) native.clearTimeout(this.handle);
    this.handle = native.setTimeout(() => this.fire(), Math.max(0, this.dueAt - monotonicNow()));
    if (!this.refed) this.handle.unref();
  }

  private fire(): void {
    this.handle = null;
    if (this.repeat) {
      this.dueAt = monotonicNow() + this.delayMs;
      this.arm();
    } else {
      this.forget();
    }
    this.callback(...this.args);
  }

  cancel(): void {
    if (this.handle !== null) native.clearTimeout(this.handle);
    this.handle = null;
    this.forget();
  }

  private forget(): void {
    pending.delete(this);
    byId.delete(this.id);
  }

  ref(): this {
    this.refed = true;
    this.handle?.ref();
    return this;
  }

  unref(): this {
    this.refed = false;
    this.handle?.unref();
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  refresh(): this {
    this.dueAt = monotonicNow() + this.delayMs;
    pending.add(this);
    byId.set(this.id, this);
    this.arm();
    return this;
  }

  close(): this {
    this.cancel();
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }

  [Symbol.dispose](): void {
    this.cancel();
  }
}

/** Whether the code that asked for a timer is a test instrument (which keeps real time), from its stack frame. */
function askedByInstrument(wrapper: (...args: never[]) => unknown): boolean {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, wrapper);
  Error.stackTraceLimit = limit;
  const caller = holder.stack?.split('\n')[1] ?? '';
  return INSTRUMENTS.some((dir) => caller.includes(dir));
}

function setTimeoutShifted(callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]): unknown {
  if (askedByInstrument(setTimeoutShifted)) return native.setTimeout(callback, delay, ...args);
  return new AppTimer(callback, args, delay, false);
}

function setIntervalShifted(callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]): unknown {
  if (askedByInstrument(setIntervalShifted)) return native.setInterval(callback, delay, ...args);
  return new AppTimer(callback, args, delay, true);
}

/** clearTimeout and clearInterval are interchangeable in Node, and take a timer's primitive id too. */
function clearShifted(timer: unknown): void {
  if (timer instanceof AppTimer) timer.cancel();
  else if (typeof timer === 'number' && byId.has(timer)) byId.get(timer)!.cancel();
  else native.clearTimeout(timer as Parameters<typeof clearTimeout>[0]);
}

// util.promisify(setTimeout) keeps working (on real time: only the global functions are shifted).
Object.defineProperty(setTimeoutShifted, promisify.custom, { value: (native.setTimeout as unknown as Record<symbol, unknown>)[promisify.custom] });
Object.defineProperty(setIntervalShifted, promisify.custom, { value: (native.setInterval as unknown as Record<symbol, unknown>)[promisify.custom] });
Object.assign(globalThis, {
  setTimeout: setTimeoutShifted,
  setInterval: setIntervalShifted,
  clearTimeout: clearShifted,
  clearInterval: clearShifted,
});

// ---- what the control channel offers ----------------------------------------------------------------------

export interface ClockControl {
  /** The wall clock moves on by ms, the timers do not (a suspend). Returns the app's wall-clock time. */
  jump(ms: number): number;
  /** Time passes: wall clock and the app's timers move on by ms, in steps of stepMs. Returns the wall-clock time. */
  advance(ms: number, stepMs: number): Promise<number>;
  now(): number;
}

const control: ClockControl = {
  jump(ms) {
    if (!(ms >= 0)) throw new Error(`the clock only jumps forward (got ${ms} ms)`);
    wallOffsetMs += ms;
    return wallNow();
  },
  async advance(ms, stepMs) {
    if (!(ms >= 0) || !(stepMs > 0)) throw new Error(`advance needs ms >= 0 and stepMs > 0 (got ${ms}, ${stepMs})`);
    for (let left = ms; left > 0; ) {
      const step = Math.min(stepMs, left);
      left -= step;
      wallOffsetMs += step;
      monotonicOffsetMs += step;
      for (const timer of [...pending].sort((a, b) => a.dueAt - b.dueAt)) timer.arm();
      await new Promise((resolve) => native.setTimeout(resolve, SETTLE_MS));
    }
    return wallNow();
  },
  now: wallNow,
};

(globalThis as Record<symbol, unknown>)[Symbol.for('backstay.standin.clock')] = control;

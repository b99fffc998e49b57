// Keeps the latest progress of each live operation in memory and writes it to the oplog at a bounded rate, from a
// timer. The caller (the supervisor, on restic's output path) only ever touches memory: a slow, locked, full or
// read-only database can never slow the parsing of restic's output or stop restic (DESIGN.md invariant 3).
import { BackstayError } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import type { OpStore, OperationPatch } from './store.js';

export interface TimerApi {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface ProgressWriterOptions {
  /** Least time between two writes of one operation (default 1000 ms). */
  intervalMs?: number;
  /** Every failed write, with the operation it was for. Never called synchronously from report(). */
  onError?: (err: unknown, opId: number) => void;
  /** The first successful write after a run of failures. */
  onRecover?: (failedWrites: number) => void;
  logger?: Logger;
  /** For tests: timers (default: unref'd setTimeout, so a pending write never keeps the process alive). */
  timers?: TimerApi;
  /** For tests: a monotonic clock in ms (default performance.now). */
  now?: () => number;
}

interface OpWriteState {
  /** Fields reported since the last successful write; later reports win. */
  patch: OperationPatch | null;
  lastWriteAt: number;
  timer: unknown;
  /** release() was called: stop tracking once what is pending has been written. */
  releasing: boolean;
}

const defaultTimers: TimerApi = {
  set(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

export class ProgressWriter {
  private readonly store: OpStore;
  private readonly intervalMs: number;
  private readonly opts: ProgressWriterOptions;
  private readonly timers: TimerApi;
  private readonly now: () => number;
  private readonly ops = new Map<number, OpWriteState>();
  private disposed = false;
  private burstFailures = 0;

  /** The most recent failed write's error (kept after recovery, for diagnostics). */
  lastError: unknown = null;
  /** Failed writes since this writer was made. */
  failedWrites = 0;
  /** Successful writes since this writer was made. */
  writes = 0;

  constructor(store: OpStore, opts: ProgressWriterOptions = {}) {
    this.store = store;
    this.opts = opts;
    this.intervalMs = Math.max(0, opts.intervalMs ?? 1000);
    this.timers = opts.timers ?? defaultTimers;
    this.now = opts.now ?? (() => performance.now());
  }

  /** True while writes are failing (between a failed write and the next successful one). */
  get failing(): boolean {
    return this.burstFailures > 0;
  }

  /** Operations with fields not yet written. */
  get pendingCount(): number {
    let count = 0;
    for (const state of this.ops.values()) if (state.patch) count++;
    return count;
  }

  /** Remembers the fields; they reach the store within intervalMs. Only touches memory. */
  report(opId: number, patch: OperationPatch): void {
    if (this.disposed) return;
    let state = this.ops.get(opId);
    if (!state) {
      state = { patch: null, lastWriteAt: -Infinity, timer: null, releasing: false };
      this.ops.set(opId, state);
    }
    state.patch = mergePatch(state.patch, patch);
    this.schedule(opId, state);
  }

  /**
   * Writes what is pending now, synchronously (for status changes, which must not wait for the timer).
   * Returns false if a write failed; the fields stay pending and are retried on the timer.
   */
  flush(opId?: number): boolean {
    let ok = true;
    const ids = opId === undefined ? [...this.ops.keys()] : [opId];
    for (const id of ids) {
      const state = this.ops.get(id);
      if (!state) continue;
      this.cancelTimer(state);
      if (!this.write(id, state)) ok = false;
    }
    return ok;
  }

  /** Writes what is pending, then stops tracking the operation (once the write has succeeded, if it fails now). */
  release(opId: number): void {
    const state = this.ops.get(opId);
    if (!state) return;
    state.releasing = true;
    this.flush(opId);
  }

  /** Stops tracking the operation and drops anything not yet written. */
  forget(opId: number): void {
    const state = this.ops.get(opId);
    if (!state) return;
    this.cancelTimer(state);
    this.ops.delete(opId);
  }

  /** Writes what is pending (best effort), cancels every timer; later reports are ignored. */
  dispose(): void {
    if (this.disposed) return;
    this.flush();
    for (const state of this.ops.values()) this.cancelTimer(state);
    this.ops.clear();
    this.disposed = true;
  }

  private schedule(opId: number, state: OpWriteState): void {
    if (state.timer !== null || !state.patch || this.disposed) return;
    const delay = Math.max(0, state.lastWriteAt + this.intervalMs - this.now());
    state.timer = this.timers.set(() => {
      state.timer = null;
      this.write(opId, state);
    }, delay);
  }

  private cancelTimer(state: OpWriteState): void {
    if (state.timer === null) return;
    this.timers.clear(state.timer);
    state.timer = null;
  }

  /** One write of the pending fields. Never throws. */
  private write(opId: number, state: OpWriteState): boolean {
    if (this.ops.get(opId) !== state) return true; // forgotten meanwhile
    const patch = state.patch;
    if (!patch) {
      if (state.releasing) this.ops.delete(opId);
      return true;
    }
    state.patch = null;
    // Counted from the attempt, so a failing store is retried at the same bounded rate, not in a tight loop.
    state.lastWriteAt = this.now();
    try {
      this.store.update(opId, patch);
    } catch (err) {
      this.recordFailure(err, opId);
      if (err instanceof BackstayError && err.code === 'UNKNOWN_OPERATION') {
        this.ops.delete(opId); // the row is gone: retrying cannot succeed
      } else {
        state.patch = mergePatch(patch, state.patch ?? {});
        this.schedule(opId, state);
      }
      return false;
    }
    this.recordSuccess();
    if (state.releasing) this.ops.delete(opId);
    return true;
  }

  private recordFailure(err: unknown, opId: number): void {
    this.failedWrites++;
    this.lastError = err;
    if (this.burstFailures++ === 0) {
      // Once per burst: a read-only disk would otherwise log every second for every running operation.
      this.opts.logger?.warn('oplog progress write failed; keeping progress in memory and retrying', {
        opId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    try {
      this.opts.onError?.(err, opId);
    } catch {
      // A failing listener must not turn into a failing writer.
    }
  }

  private recordSuccess(): void {
    this.writes++;
    if (this.burstFailures === 0) return;
    const failed = this.burstFailures;
    this.burstFailures = 0;
    this.opts.logger?.info('oplog progress writes recovered', { failedWrites: failed });
    try {
      this.opts.onRecover?.(failed);
    } catch {
      // as above
    }
  }
}

function mergePatch(base: OperationPatch | null, next: OperationPatch): OperationPatch {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(next)) if (value !== undefined) merged[key] = value;
  return merged as OperationPatch;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BackstayError } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import { createMemoryStore } from './memory-store.js';
import { ProgressWriter, type TimerApi } from './progress-writer.js';
import { openSqliteStore } from './sqlite-store.js';
import type { OpStore, OperationPatch } from './store.js';

/** Timers driven by hand: advance(ms) runs what falls due, in order. */
class ManualClock implements TimerApi {
  now = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }
  get pending(): number {
    return this.due.size;
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
}

/** A store whose update is recorded and can be made to fail or to be slow. */
function recordingStore(base: OpStore = createMemoryStore()) {
  const calls: { id: number; patch: OperationPatch }[] = [];
  let failWith: unknown = null;
  let delayMs = 0;
  const store: OpStore = Object.create(base) as OpStore;
  store.update = (id, patch) => {
    calls.push({ id, patch: { ...patch } });
    if (delayMs) {
      const until = performance.now() + delayMs;
      while (performance.now() < until) {
        // a write that holds the thread, like a busy SQLite lock
      }
    }
    if (failWith) throw failWith;
    return base.update(id, patch);
  };
  return {
    store,
    base,
    calls,
    fail: (err: unknown) => void (failWith = err),
    heal: () => void (failWith = null),
    slow: (ms: number) => void (delayMs = ms),
  };
}

function logger() {
  const lines: { level: string; message: string }[] = [];
  const log: Logger = {
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'error', message }),
  };
  return { log, lines };
}

function setup(opts: { intervalMs?: number } = {}) {
  const clock = new ManualClock();
  const rec = recordingStore();
  const op = rec.base.insert({ kind: 'backup', trigger: 'manual', planId: 'p', repoId: 'r', ownerPid: 1, ownerStartedAt: 'x' });
  const errors: unknown[] = [];
  const recovered: number[] = [];
  const { log, lines } = logger();
  const writer = new ProgressWriter(rec.store, {
    intervalMs: opts.intervalMs ?? 1000,
    timers: clock,
    now: () => clock.now,
    logger: log,
    onError: (err) => void errors.push(err),
    onRecover: (n) => void recovered.push(n),
  });
  return { clock, rec, op, writer, errors, recovered, lines };
}

describe('ProgressWriter', () => {
  it('never writes on the caller path; coalesces reports into at most one write per interval', () => {
    const { clock, rec, op, writer } = setup();
    writer.report(op.id, { progress: { percent: 0.1, bytesDone: 1 } });
    expect(rec.calls).toHaveLength(0);
    clock.advance(0);
    expect(rec.calls).toEqual([{ id: op.id, patch: { progress: { percent: 0.1, bytesDone: 1 } } }]);

    for (let i = 2; i <= 60; i++) writer.report(op.id, { progress: { percent: i / 100, bytesDone: i } });
    writer.report(op.id, { resticPid: 42 });
    expect(rec.calls).toHaveLength(1);
    clock.advance(999);
    expect(rec.calls).toHaveLength(1);
    clock.advance(1);
    expect(rec.calls).toHaveLength(2);
    expect(rec.calls[1]!.patch).toEqual({ progress: { percent: 0.6, bytesDone: 60 }, resticPid: 42 });
    expect(rec.base.get(op.id)).toMatchObject({ progress: { percent: 0.6, bytesDone: 60 }, resticPid: 42 });

    clock.advance(10_000);
    expect(rec.calls).toHaveLength(2); // nothing new reported, nothing written
    expect(clock.pending).toBe(0);
  });

  it('flush writes at once and cancels the pending timer', () => {
    const { clock, rec, op, writer } = setup();
    writer.report(op.id, { progress: { bytesDone: 5 } });
    writer.report(op.id, { status: 'stalled', stalledSince: 'then' });
    expect(writer.flush(op.id)).toBe(true);
    expect(rec.calls).toHaveLength(1);
    expect(rec.base.get(op.id)).toMatchObject({ status: 'stalled', stalledSince: 'then', progress: { bytesDone: 5 } });
    expect(clock.pending).toBe(0);
    expect(writer.flush(op.id)).toBe(true); // nothing pending: no write
    expect(rec.calls).toHaveLength(1);
  });

  it('keeps the ops apart: one write per op per interval', () => {
    const { clock, rec, op, writer } = setup();
    const other = rec.base.insert({ kind: 'check', trigger: 'manual', planId: null, repoId: 'r', ownerPid: 1, ownerStartedAt: 'x' });
    writer.report(op.id, { progress: { bytesDone: 1 } });
    writer.report(other.id, { progress: { bytesDone: 2 } });
    clock.advance(0);
    expect(rec.calls.map((c) => c.id).sort()).toEqual([op.id, other.id].sort());
  });

  it('survives a store that throws: never throws, logs once per burst, counts, reports, retries, recovers', () => {
    const { clock, rec, op, writer, errors, recovered, lines } = setup();
    const diskFull = new BackstayError('STORAGE_FAILED', 'The disk holding the operation log is full.');
    rec.fail(diskFull);

    expect(() => writer.report(op.id, { progress: { bytesDone: 1 }, resticPid: 7 })).not.toThrow();
    clock.advance(0);
    expect(writer.failing).toBe(true);
    expect(writer.lastError).toBe(diskFull);
    expect(errors).toEqual([diskFull]);

    writer.report(op.id, { progress: { bytesDone: 2 } });
    clock.advance(1000); // retry, still failing
    writer.report(op.id, { progress: { bytesDone: 2 } });
    expect(writer.flush(op.id)).toBe(false); // failed, did not throw, fields still pending
    expect(writer.pendingCount).toBe(1);
    clock.advance(3000);
    expect(writer.failedWrites).toBeGreaterThanOrEqual(4);
    expect(errors.length).toBe(writer.failedWrites);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    // Retries stay at the bounded rate, not a tight loop.
    expect(rec.calls.length).toBeLessThanOrEqual(writer.failedWrites + 1);

    rec.heal();
    writer.report(op.id, { progress: { bytesDone: 3 } });
    clock.advance(1000);
    expect(writer.failing).toBe(false);
    expect(recovered).toEqual([writer.failedWrites]);
    expect(lines.filter((l) => l.level === 'info')).toHaveLength(1);
    // Nothing reported during the failures was lost: older unwritten fields land with the newest values.
    expect(rec.base.get(op.id)).toMatchObject({ progress: { bytesDone: 3 }, resticPid: 7 });

    rec.fail(diskFull);
    writer.report(op.id, { progress: { bytesDone: 4 } });
    clock.advance(1000);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(2); // a new burst logs again
  });

  it('stops retrying when the operation no longer exists', () => {
    const { clock, rec, writer } = setup();
    writer.report(999, { progress: { bytesDone: 1 } });
    clock.advance(0);
    expect(writer.failedWrites).toBe(1);
    expect((writer.lastError as BackstayError).code).toBe('UNKNOWN_OPERATION');
    clock.advance(10_000);
    expect(rec.calls).toHaveLength(1);
    expect(writer.pendingCount).toBe(0);
  });

  it('does not slow the caller when the store is slow', () => {
    const { clock, rec, op, writer } = setup({ intervalMs: 100 });
    rec.slow(50);
    const began = performance.now();
    for (let i = 0; i < 10_000; i++) writer.report(op.id, { progress: { bytesDone: i } });
    const callerMs = performance.now() - began;
    expect(rec.calls).toHaveLength(0);
    expect(callerMs).toBeLessThan(50); // 10,000 reports cost less than a single slow write
    clock.advance(0);
    expect(rec.calls).toHaveLength(1);
    expect(rec.base.get(op.id)!.progress).toEqual({ bytesDone: 9999 });
  });

  it('release writes what is pending, keeps retrying if that fails, then forgets the op', () => {
    const { clock, rec, op, writer } = setup();
    rec.fail(new Error('SQLITE_BUSY'));
    writer.report(op.id, { status: 'success', endedAt: 'end' });
    writer.release(op.id);
    expect(rec.calls).toHaveLength(1);
    expect(writer.pendingCount).toBe(1);
    rec.heal();
    clock.advance(1000);
    expect(rec.base.get(op.id)).toMatchObject({ status: 'success', endedAt: 'end' });
    expect(writer.pendingCount).toBe(0);
    writer.report(op.id, { progress: { bytesDone: 1 } }); // a report after release starts afresh
    clock.advance(1000);
    expect(rec.calls).toHaveLength(3);
  });

  it('forget drops what is pending; dispose flushes and then ignores reports', () => {
    const { clock, rec, op, writer } = setup();
    writer.report(op.id, { progress: { bytesDone: 1 } });
    writer.forget(op.id);
    clock.advance(5000);
    expect(rec.calls).toHaveLength(0);

    writer.report(op.id, { progress: { bytesDone: 2 } });
    writer.dispose();
    expect(rec.calls).toHaveLength(1);
    expect(clock.pending).toBe(0);
    writer.report(op.id, { progress: { bytesDone: 3 } });
    clock.advance(5000);
    expect(rec.calls).toHaveLength(1);
  });

  it('a throwing onError listener does not break the writer', () => {
    const clock = new ManualClock();
    const rec = recordingStore();
    rec.fail(new Error('read-only'));
    const writer = new ProgressWriter(rec.store, {
      timers: clock,
      now: () => clock.now,
      onError: () => {
        throw new Error('listener bug');
      },
    });
    writer.report(1, { progress: {} });
    expect(() => clock.advance(0)).not.toThrow();
    expect(writer.failedWrites).toBe(1);
  });

  it('writes to a real SQLite store from real, unref-ed timers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backstay-writer-'));
    const store = openSqliteStore(join(dir, 'oplog.sqlite'));
    try {
      const op = store.insert({ kind: 'backup', trigger: 'manual', planId: 'p', repoId: 'r', ownerPid: 1, ownerStartedAt: 'x' });
      const writer = new ProgressWriter(store, { intervalMs: 20 });
      writer.report(op.id, { status: 'running', progress: { percent: 0.5 } });
      await vi.waitFor(() => expect(store.get(op.id)!.progress).toEqual({ percent: 0.5 }), { timeout: 2000, interval: 5 });
      writer.dispose();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

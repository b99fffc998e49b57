// An OpStore held in memory, for tests and for callers that must not touch disk. It follows the same contract
// suite as the SQLite store; values go in and out as copies so callers cannot change stored rows by accident.
import { isLiveStatus } from '../../common/index.js';
import type { OpKind, OpLogLine, OpStatus, Operation } from '../../common/index.js';
import {
  assertLogStream,
  clampListLimit,
  clampLogLimit,
  clampLogText,
  nowIso,
  seqEvictedBy,
  storeClosed,
  unknownOperation,
} from './store-rules.js';
import type { ListQuery, NewOperation, OpStore, OperationPatch } from './store.js';

interface OpLogState {
  lines: Map<number, OpLogLine>; // by seq, in insertion (= seq) order
  lastSeq: number;
}

export function createMemoryStore(): OpStore {
  return new MemoryOpStore();
}

class MemoryOpStore implements OpStore {
  /** By id; ids start at 1 and only increase, so newest first is a reverse walk. */
  private readonly ops = new Map<number, Operation>();
  private nextId = 1;
  private readonly logs = new Map<number, OpLogState>();
  private readonly meta = new Map<string, string>();
  private open = true;

  insert(op: NewOperation): Operation {
    this.assertOpen();
    const createdAt = op.createdAt ?? nowIso();
    const status = op.status ?? 'queued';
    const stored: Operation = {
      id: this.nextId++,
      kind: op.kind,
      trigger: op.trigger,
      planId: op.planId,
      repoId: op.repoId,
      status,
      createdAt,
      startedAt: status === 'running' ? createdAt : null,
      endedAt: null,
      snapshotId: null,
      error: null,
      progress: null,
      summary: null,
      stalledSince: null,
      stall: null,
      itemErrors: [],
      retryOf: op.retryOf ?? null,
      ownerPid: op.ownerPid,
      ownerStartedAt: op.ownerStartedAt,
      resticPid: null,
      params: copy(op.params ?? null),
    };
    this.ops.set(stored.id, stored);
    return copy(stored);
  }

  update(id: number, patch: OperationPatch): Operation {
    this.assertOpen();
    const current = this.ops.get(id);
    if (!current) throw unknownOperation(id);
    const next: Operation = { ...current };
    for (const key of Object.keys(patch) as (keyof OperationPatch)[]) {
      const value = patch[key];
      if (value === undefined || !PATCHABLE.has(key)) continue;
      (next as unknown as Record<string, unknown>)[key] = copy(value);
    }
    this.ops.set(id, next);
    return copy(next);
  }

  get(id: number): Operation | null {
    this.assertOpen();
    const op = this.ops.get(id);
    return op ? copy(op) : null;
  }

  list(query: ListQuery = {}): Operation[] {
    this.assertOpen();
    const limit = clampListLimit(query.limit);
    const result: Operation[] = [];
    const start = query.beforeId === undefined ? this.nextId - 1 : Math.min(this.nextId, Math.ceil(query.beforeId)) - 1;
    for (let id = start; id >= 1 && result.length < limit; id--) {
      const op = this.ops.get(id);
      if (!op) continue;
      if (query.planId !== undefined && op.planId !== query.planId) continue;
      if (query.repoId !== undefined && op.repoId !== query.repoId) continue;
      if (query.kind !== undefined && op.kind !== query.kind) continue;
      if (query.status !== undefined && op.status !== query.status) continue;
      result.push(copy(op));
    }
    return result;
  }

  listLive(): Operation[] {
    this.assertOpen();
    return [...this.ops.values()].filter((op) => isLiveStatus(op.status)).map(copy);
  }

  lastByPlan(kind: OpKind): Map<string, Operation> {
    return this.lastByPlanMatching(kind, () => true);
  }

  lastByPlanWithStatus(kind: OpKind, statuses: OpStatus[]): Map<string, Operation> {
    const wanted = new Set(statuses);
    return this.lastByPlanMatching(kind, (op) => wanted.has(op.status));
  }

  appendLog(opId: number, stream: OpLogLine['stream'], text: string, time: string = nowIso()): void {
    assertLogStream(stream);
    this.assertOpen();
    if (!this.ops.has(opId)) throw unknownOperation(opId);
    let log = this.logs.get(opId);
    if (!log) {
      log = { lines: new Map(), lastSeq: 0 };
      this.logs.set(opId, log);
    }
    const seq = ++log.lastSeq;
    log.lines.set(seq, { opId, seq, time, stream, text: clampLogText(text) });
    const evicted = seqEvictedBy(seq);
    if (evicted !== null) log.lines.delete(evicted);
  }

  readLog(opId: number, afterSeq = 0, limit?: number): OpLogLine[] {
    this.assertOpen();
    const max = clampLogLimit(limit);
    const result: OpLogLine[] = [];
    const log = this.logs.get(opId);
    if (!log) return result;
    for (const line of log.lines.values()) {
      if (result.length >= max) break;
      if (line.seq > afterSeq) result.push({ ...line });
    }
    return result;
  }

  getMeta(key: string): string | null {
    this.assertOpen();
    return this.meta.get(key) ?? null;
  }

  setMeta(key: string, value: string | null): void {
    this.assertOpen();
    if (value === null) this.meta.delete(key);
    else this.meta.set(key, value);
  }

  close(): void {
    this.open = false;
  }

  private lastByPlanMatching(kind: OpKind, matches: (op: Operation) => boolean): Map<string, Operation> {
    this.assertOpen();
    const result = new Map<string, Operation>();
    for (let id = this.nextId - 1; id >= 1; id--) {
      const op = this.ops.get(id);
      if (!op || op.kind !== kind || op.planId === null || result.has(op.planId) || !matches(op)) continue;
      result.set(op.planId, copy(op));
    }
    return result;
  }

  private assertOpen(): void {
    if (!this.open) throw storeClosed();
  }
}

const PATCHABLE = new Set<keyof OperationPatch>([
  'status',
  'startedAt',
  'endedAt',
  'snapshotId',
  'error',
  'progress',
  'summary',
  'stalledSince',
  'stall',
  'itemErrors',
  'resticPid',
  'params',
]);

/** A JSON round trip, as the SQLite store does for its JSON columns: same values out, whatever the store. */
function copy<T>(value: T): T {
  return value === null || typeof value !== 'object' ? value : (JSON.parse(JSON.stringify(value)) as T);
}

// The real operation log: one SQLite file per data directory, shared by every Backstay process on it (the desktop
// app or `serve`, a one-shot `backstay backup`, a `backstay ops` reading live rows). WAL lets readers see committed
// rows while another process writes; busy_timeout makes the rare write-write overlap wait instead of failing.
import Database from 'better-sqlite3';
import { BackstayError, LIVE_STATUSES } from '../../common/index.js';
import type { OpKind, OpLogLine, OpStatus, Operation } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import { runMigrations } from './migrations.js';
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

export interface SqliteStoreOptions {
  logger?: Logger;
  /** How long a write waits for another process's write to finish before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

interface OperationRow {
  id: number;
  kind: string;
  trigger: string;
  plan_id: string | null;
  repo_id: string;
  status: string;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  snapshot_id: string | null;
  error: string | null;
  progress: string | null;
  summary: string | null;
  stalled_since: string | null;
  stall: string | null;
  item_errors: string;
  retry_of: number | null;
  owner_pid: number | null;
  owner_started_at: string | null;
  restic_pid: number | null;
  params: string | null;
}

interface LogRow {
  op_id: number;
  seq: number;
  time: string;
  stream: OpLogLine['stream'];
  text: string;
}

/** Patch field -> column, and whether the value is stored as JSON text. */
const PATCH_COLUMNS: Record<keyof OperationPatch, { column: string; json: boolean }> = {
  status: { column: 'status', json: false },
  startedAt: { column: 'started_at', json: false },
  endedAt: { column: 'ended_at', json: false },
  snapshotId: { column: 'snapshot_id', json: false },
  error: { column: 'error', json: true },
  progress: { column: 'progress', json: true },
  summary: { column: 'summary', json: true },
  stalledSince: { column: 'stalled_since', json: false },
  stall: { column: 'stall', json: true },
  itemErrors: { column: 'item_errors', json: true },
  resticPid: { column: 'restic_pid', json: false },
  params: { column: 'params', json: true },
};

const LIVE_STATUS_SQL = LIVE_STATUSES.map((s) => `'${s}'`).join(', ');

/** The read queries whose speed matters with a long log; exported so a test can check their query plans. */
export const READ_QUERIES = {
  /** where: terms such as "plan_id = @planId", ANDed. Every filter column leads an index ending in id. */
  list: (where: string[]) =>
    `SELECT * FROM operations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`,
  // INDEXED BY: this runs at every open, and scanning a million rows here would blow the startup budget.
  listLive: `SELECT * FROM operations INDEXED BY operations_by_status
             WHERE status IN (${LIVE_STATUS_SQL}) ORDER BY id ASC`,
  /** Plans with at least one operation of a kind: a skip-scan of the (kind, plan_id) index, one seek per plan. */
  distinctPlans: `WITH RECURSIVE plans (plan_id) AS (
       SELECT (SELECT MIN(plan_id) FROM operations WHERE kind = @kind AND plan_id IS NOT NULL)
       UNION ALL
       SELECT (SELECT MIN(plan_id) FROM operations WHERE kind = @kind AND plan_id > plans.plan_id)
       FROM plans WHERE plans.plan_id IS NOT NULL
     )
     SELECT plan_id FROM plans WHERE plan_id IS NOT NULL`,
  lastIdByPlan: 'SELECT MAX(id) AS id FROM operations WHERE kind = ? AND plan_id = ?',
  // One seek per (plan, status): MAX over an IN list would not use SQLite's min/max shortcut.
  lastIdByPlanStatus: 'SELECT MAX(id) AS id FROM operations WHERE kind = ? AND plan_id = ? AND status = ?',
} as const;

export class SqliteOpStore implements OpStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly logger: Logger | undefined;
  private appendLogTx: Database.Transaction<(line: Omit<LogRow, 'seq'>) => void> | undefined;

  constructor(file: string, opts: SqliteStoreOptions = {}) {
    this.file = file;
    this.logger = opts.logger;
    this.db = new Database(file);
    try {
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL: a power cut may lose the last commits but never corrupts the file; progress rows are
      // rewritten every second anyway, and status changes are rare enough that the loss window is small.
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      const applied = runMigrations(this.db);
      if (applied.length) this.logger?.info('oplog schema migrated', { file, versions: applied });
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  insert(op: NewOperation): Operation {
    return this.guard(() => {
      const createdAt = op.createdAt ?? nowIso();
      const status = op.status ?? 'queued';
      const row = this.stmt(
        'insert',
        `INSERT INTO operations (kind, trigger, plan_id, repo_id, status, created_at, started_at, retry_of,
                                 owner_pid, owner_started_at, params)
         VALUES (@kind, @trigger, @planId, @repoId, @status, @createdAt, @startedAt, @retryOf,
                 @ownerPid, @ownerStartedAt, @params)
         RETURNING *`,
      ).get({
        kind: op.kind,
        trigger: op.trigger,
        planId: op.planId,
        repoId: op.repoId,
        status,
        createdAt,
        // An operation inserted already running started when it was created.
        startedAt: status === 'running' ? createdAt : null,
        retryOf: op.retryOf ?? null,
        ownerPid: op.ownerPid,
        ownerStartedAt: op.ownerStartedAt,
        params: toJson(op.params ?? null),
      }) as OperationRow;
      return rowToOperation(row);
    });
  }

  update(id: number, patch: OperationPatch): Operation {
    return this.guard(() => {
      const fields = (Object.keys(patch) as (keyof OperationPatch)[])
        .filter((key) => patch[key] !== undefined && key in PATCH_COLUMNS)
        .sort();
      if (fields.length === 0) {
        const current = this.get(id);
        if (!current) throw unknownOperation(id);
        return current;
      }
      const values: Record<string, unknown> = { id };
      for (const field of fields) {
        const value = patch[field];
        values[field] = PATCH_COLUMNS[field].json ? toJson(value) : value;
      }
      // One cached statement per set of patched fields; there are only a handful of shapes in practice.
      const row = this.stmt(
        `update:${fields.join(',')}`,
        `UPDATE operations SET ${fields.map((f) => `${PATCH_COLUMNS[f].column} = @${f}`).join(', ')}
         WHERE id = @id RETURNING *`,
      ).get(values) as OperationRow | undefined;
      if (!row) throw unknownOperation(id);
      return rowToOperation(row);
    });
  }

  get(id: number): Operation | null {
    return this.guard(() => {
      const row = this.stmt('get', 'SELECT * FROM operations WHERE id = ?').get(id) as OperationRow | undefined;
      return row ? rowToOperation(row) : null;
    });
  }

  list(query: ListQuery = {}): Operation[] {
    return this.guard(() => {
      const limit = clampListLimit(query.limit);
      if (limit === 0) return [];
      const where: string[] = [];
      const values: Record<string, unknown> = { limit };
      const filters: [keyof ListQuery, string][] = [
        ['planId', 'plan_id'],
        ['repoId', 'repo_id'],
        ['kind', 'kind'],
        ['status', 'status'],
      ];
      for (const [field, column] of filters) {
        if (query[field] === undefined) continue;
        where.push(`${column} = @${field}`);
        values[field] = query[field];
      }
      if (query.beforeId !== undefined) {
        where.push('id < @beforeId');
        values.beforeId = query.beforeId;
      }
      const rows = this.stmt(`list:${where.join(' AND ')}`, READ_QUERIES.list(where)).all(values) as OperationRow[];
      return rows.map(rowToOperation);
    });
  }

  listLive(): Operation[] {
    return this.guard(() => {
      const rows = this.stmt('listLive', READ_QUERIES.listLive).all() as OperationRow[];
      return rows.map(rowToOperation);
    });
  }

  lastByPlan(kind: OpKind): Map<string, Operation> {
    return this.guard(() => {
      const result = new Map<string, Operation>();
      const lastId = this.stmt('lastIdByPlan', READ_QUERIES.lastIdByPlan);
      for (const planId of this.distinctPlans(kind)) {
        const row = lastId.get(kind, planId) as { id: number | null };
        const op = row.id === null ? null : this.get(row.id);
        if (op) result.set(planId, op);
      }
      return result;
    });
  }

  lastByPlanWithStatus(kind: OpKind, statuses: OpStatus[]): Map<string, Operation> {
    return this.guard(() => {
      const result = new Map<string, Operation>();
      if (statuses.length === 0) return result;
      const unique = [...new Set(statuses)];
      const lastId = this.stmt('lastIdByPlanStatus', READ_QUERIES.lastIdByPlanStatus);
      for (const planId of this.distinctPlans(kind)) {
        let best: number | null = null;
        for (const status of unique) {
          const row = lastId.get(kind, planId, status) as { id: number | null };
          if (row.id !== null && (best === null || row.id > best)) best = row.id;
        }
        const op = best === null ? null : this.get(best);
        if (op) result.set(planId, op);
      }
      return result;
    });
  }

  appendLog(opId: number, stream: OpLogLine['stream'], text: string, time: string = nowIso()): void {
    assertLogStream(stream);
    this.guard(() => {
      this.appendLogTx ??= this.db.transaction((line: Omit<LogRow, 'seq'>) => {
        // seq is computed in the INSERT itself so two processes appending to one op cannot pick the same number.
        const { seq } = this.stmt(
          'appendLog',
          `INSERT INTO op_log (op_id, seq, time, stream, text)
           SELECT @op_id, COALESCE(MAX(seq), 0) + 1, @time, @stream, @text FROM op_log WHERE op_id = @op_id
           RETURNING seq`,
        ).get(line) as { seq: number };
        const evicted = seqEvictedBy(seq);
        if (evicted !== null) {
          this.stmt('evictLog', 'DELETE FROM op_log WHERE op_id = ? AND seq = ?').run(line.op_id, evicted);
        }
      });
      try {
        this.appendLogTx.immediate({ op_id: opId, time, stream, text: clampLogText(text) });
      } catch (err) {
        if (isSqliteError(err) && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw unknownOperation(opId);
        throw err;
      }
    });
  }

  readLog(opId: number, afterSeq = 0, limit?: number): OpLogLine[] {
    return this.guard(() => {
      const max = clampLogLimit(limit);
      if (max === 0) return [];
      const rows = this.stmt(
        'readLog',
        'SELECT * FROM op_log WHERE op_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ).all(opId, afterSeq, max) as LogRow[];
      return rows.map((r) => ({ opId: r.op_id, seq: r.seq, time: r.time, stream: r.stream, text: r.text }));
    });
  }

  getMeta(key: string): string | null {
    return this.guard(() => {
      const row = this.stmt('getMeta', 'SELECT value FROM meta WHERE key = ?').get(key) as
        | { value: string }
        | undefined;
      return row ? row.value : null;
    });
  }

  setMeta(key: string, value: string | null): void {
    this.guard(() => {
      if (value === null) this.stmt('deleteMeta', 'DELETE FROM meta WHERE key = ?').run(key);
      else
        this.stmt(
          'setMeta',
          'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        ).run(key, value);
    });
  }

  /** Runs fn in one write transaction (batch inserts: one fsync instead of one per row). Not part of OpStore. */
  transaction<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (!this.db.open) return;
    this.statements.clear();
    this.appendLogTx = undefined;
    this.db.close();
  }

  private distinctPlans(kind: OpKind): string[] {
    const rows = this.stmt('distinctPlans', READ_QUERIES.distinctPlans).all({ kind }) as { plan_id: string }[];
    return rows.map((r) => r.plan_id);
  }

  private stmt(key: string, sql: string): Database.Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** Turns SQLite failures into STORAGE_FAILED with words a person can act on; the SQLite text goes in detail. */
  private guard<T>(fn: () => T): T {
    if (!this.db.open) throw storeClosed();
    try {
      return fn();
    } catch (err) {
      if (err instanceof BackstayError || !isSqliteError(err)) throw err;
      const damaged = err.code.startsWith('SQLITE_CORRUPT') || err.code.startsWith('SQLITE_NOTADB');
      const wrapped = new BackstayError(damaged ? 'OPLOG_CORRUPT' : 'STORAGE_FAILED', storageFailureWords(err.code, this.file), err.message);
      (wrapped as Error & { cause?: unknown }).cause = err;
      throw wrapped;
    }
  }
}

export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): SqliteOpStore {
  return new SqliteOpStore(file, opts);
}

function storageFailureWords(code: string, file: string): string {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return `The operation log (${file}) stayed locked by another Backstay process for too long.`;
  if (code.startsWith('SQLITE_FULL')) return `The disk holding the operation log (${file}) is full.`;
  if (code.startsWith('SQLITE_READONLY')) return `The operation log (${file}) cannot be written (read-only).`;
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
    return `The operation log (${file}) is damaged or is not a Backstay database.`;
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN'))
    return `Backstay could not read or write its operation log (${file}): the disk reported an error.`;
  return `Backstay could not read or write its operation log (${file}).`;
}

function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Database.SqliteError;
}

function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** A damaged JSON cell must not make the whole operation unreadable: it reads as unknown (null). */
function fromJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function rowToOperation(row: OperationRow): Operation {
  return {
    id: row.id,
    kind: row.kind as Operation['kind'],
    trigger: row.trigger as Operation['trigger'],
    planId: row.plan_id,
    repoId: row.repo_id,
    status: row.status as Operation['status'],
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    snapshotId: row.snapshot_id,
    error: fromJson(row.error),
    progress: fromJson(row.progress),
    summary: fromJson(row.summary),
    stalledSince: row.stalled_since,
    stall: fromJson(row.stall),
    itemErrors: fromJson(row.item_errors) ?? [],
    retryOf: row.retry_of,
    ownerPid: row.owner_pid,
    ownerStartedAt: row.owner_started_at,
    resticPid: row.restic_pid,
    params: fromJson(row.params),
  };
}

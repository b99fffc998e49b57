import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/index.js';
import { describeOpStoreContract } from './testing/contract.js';
import { LATEST_SCHEMA_VERSION, runMigrations, schemaVersion, type Migration } from './migrations.js';
import { openOplog, oplogPath } from './open-oplog.js';
import { READ_QUERIES, openSqliteStore } from './sqlite-store.js';
import type { NewOperation } from './store.js';

const OP: NewOperation = {
  kind: 'backup',
  trigger: 'manual',
  planId: 'home',
  repoId: 'nas',
  ownerPid: 1,
  ownerStartedAt: '2026-01-01T00:00:00.000Z',
};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'backstay-oplog-'));
}

describeOpStoreContract('sqlite', () => {
  const dir = tempDir();
  return { store: openSqliteStore(join(dir, 'oplog.sqlite')), dispose: () => rmSync(dir, { recursive: true, force: true }) };
});

describe('SQLite store specifics', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir, 'oplog.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens in WAL mode with foreign keys, NORMAL sync, a busy timeout and the latest schema', () => {
    openSqliteStore(file, { busyTimeoutMs: 1234 }).close();
    const db = new Database(file);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['operations', 'op_log', 'meta']));
    } finally {
      db.close();
    }
    // Per-connection pragmas: read them through a store's own connection.
    const store = openSqliteStore(file, { busyTimeoutMs: 1234 });
    const raw = (store as unknown as { db: Database.Database }).db;
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('synchronous', { simple: true })).toBe(1);
    expect(raw.pragma('busy_timeout', { simple: true })).toBe(1234);
    store.close();
  });

  it('keeps operations, logs and meta across reopen, and ids keep increasing', () => {
    const first = openSqliteStore(file);
    const a = first.insert(OP);
    first.update(a.id, { status: 'success', summary: { filesNew: 1 } });
    first.appendLog(a.id, 'stderr', 'hello');
    first.setMeta('paused', 'yes');
    first.close();

    const second = openSqliteStore(file);
    expect(second.get(a.id)).toMatchObject({ status: 'success', summary: { filesNew: 1 } });
    expect(second.readLog(a.id).map((l) => l.text)).toEqual(['hello']);
    expect(second.getMeta('paused')).toBe('yes');
    expect(second.insert(OP).id).toBeGreaterThan(a.id);
    second.close();
  });

  it('lets a second connection read rows another connection is writing (WAL)', () => {
    const writer = openSqliteStore(file);
    const reader = openSqliteStore(file);
    try {
      const op = writer.insert({ ...OP, status: 'running' });
      expect(reader.listLive().map((o) => o.id)).toEqual([op.id]);
      writer.update(op.id, { progress: { percent: 0.25, bytesDone: 25 } });
      expect(reader.get(op.id)!.progress).toEqual({ percent: 0.25, bytesDone: 25 });
      writer.update(op.id, { status: 'success' });
      expect(reader.listLive()).toEqual([]);
    } finally {
      writer.close();
      reader.close();
    }
  });

  it('waits for another process that holds the write lock, and fails with clear words past busy_timeout', async () => {
    const store = openSqliteStore(file, { busyTimeoutMs: 10_000 });
    const impatient = openSqliteStore(file, { busyTimeoutMs: 50 });
    // A child process takes the write lock, says so, and releases it when told to (by a line on stdin).
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
         db.exec('BEGIN IMMEDIATE'); console.log('locked');
         process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); console.log('released'); process.exit(0); });`,
        file,
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('locked');

      let thrown: unknown;
      try {
        impatient.insert(OP);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(BackstayError);
      expect((thrown as BackstayError).code).toBe('STORAGE_FAILED');
      expect((thrown as BackstayError).message).toMatch(/locked by another Backstay process/);

      // Hand the child its cue before blocking this thread in the insert, which then waits for its commit.
      await new Promise<void>((resolve, reject) => child.stdin!.write('go\n', (err) => (err ? reject(err) : resolve())));
      const op = store.insert(OP); // waits (busy_timeout) until the child commits
      expect(store.get(op.id)).not.toBeNull();
    } finally {
      child.kill('SIGKILL');
      store.close();
      impatient.close();
    }
  });

  it('reads a damaged JSON cell as null instead of failing the whole row', () => {
    const store = openSqliteStore(file);
    const op = store.insert(OP);
    const raw = new Database(file);
    raw.prepare("UPDATE operations SET progress = '{not json', item_errors = 'nope' WHERE id = ?").run(op.id);
    raw.close();
    expect(store.get(op.id)).toMatchObject({ id: op.id, progress: null, itemErrors: [] });
    store.close();
  });

  it('answers the UI queries from indexes, never by scanning the table', () => {
    openSqliteStore(file).close();
    const db = new Database(file);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/@\w+|\?/g, "'x'")}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    try {
      const noFullScan = (detail: string) => expect(detail).not.toMatch(/SCAN operations(?! USING)/);
      noFullScan(plan(READ_QUERIES.listLive));
      expect(plan(READ_QUERIES.listLive)).toMatch(/operations_by_status/);
      expect(plan(READ_QUERIES.list([]))).not.toMatch(/TEMP B-TREE/);
      const filters = [['plan_id = 1'], ['repo_id = 1'], ['status = 1'], ['kind = 1'], ['plan_id = 1', 'id < 5']];
      for (const where of filters) {
        const detail = plan(READ_QUERIES.list(where));
        noFullScan(detail);
        expect(detail).not.toMatch(/TEMP B-TREE/); // newest first straight from the index, no sort
      }
      expect(plan(READ_QUERIES.list(['id < 5']))).toMatch(/INTEGER PRIMARY KEY/);
      for (const sql of [READ_QUERIES.distinctPlans, READ_QUERIES.lastIdByPlan, READ_QUERIES.lastIdByPlanStatus]) {
        const detail = plan(sql);
        noFullScan(detail);
        expect(detail).toMatch(/operations_by_kind_plan/);
      }
    } finally {
      db.close();
    }
  });
});

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies each version once and in a transaction: a failing migration leaves the previous version', () => {
    const db = new Database(join(dir, 'm.sqlite'));
    const migrations: Migration[] = [
      { version: 1, description: 'a', up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        description: 'b fails halfway',
        up: (d) => {
          d.exec('CREATE TABLE b (x)');
          throw new Error('boom');
        },
      },
    ];
    try {
      expect(() => runMigrations(db, migrations)).toThrow('boom');
      expect(schemaVersion(db)).toBe(1);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(['a']);
      expect(runMigrations(db, migrations.slice(0, 1))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer Backstay', () => {
    const file = join(dir, 'newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/newer version of Backstay/);
  });
});

describe('openOplog', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the data directory and <dataDir>/oplog.sqlite', () => {
    const dataDir = join(dir, 'nested', 'data');
    const store = openOplog(dataDir);
    store.insert(OP);
    store.close();
    expect(execFileSync('ls', [dataDir]).toString()).toMatch(/oplog\.sqlite/);
    expect(oplogPath(dataDir)).toBe(join(dataDir, 'oplog.sqlite'));
  });

  it('throws STORAGE_FAILED naming the file when it cannot open it, OPLOG_CORRUPT when it is damaged (no silent fallback)', () => {
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'x');
    const garbageDir = join(dir, 'garbage');
    expect(() => openOplog(notADir)).toThrow(BackstayError);
    try {
      openOplog(notADir);
    } catch (err) {
      expect((err as BackstayError).code).toBe('STORAGE_FAILED');
      expect((err as BackstayError).message).toContain(join(notADir, 'oplog.sqlite'));
    }
    openOplog(garbageDir).close();
    writeFileSync(oplogPath(garbageDir), 'this is not a database, just text long enough to have a header'.repeat(100));
    rmSync(oplogPath(garbageDir) + '-wal', { force: true });
    rmSync(oplogPath(garbageDir) + '-shm', { force: true });
    let thrown: unknown;
    try {
      openOplog(garbageDir);
    } catch (err) {
      thrown = err;
    }
    // Damage is told apart from a folder that cannot be written: what SQLite says, and what to do.
    expect((thrown as BackstayError).code).toBe('OPLOG_CORRUPT');
    expect((thrown as BackstayError).message).toContain('SQLite says: file is not a database');
    expect((thrown as BackstayError).message).toContain('moves the damaged file aside');
  });
});

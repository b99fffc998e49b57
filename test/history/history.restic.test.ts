// The history index against real restic (0.14 here): a repository whose snapshots change, delete, re-add and
// rename files and replace a folder by a file. Every answer is compared with what restic's own `ls --json` of each
// snapshot says (test/history/expected-history.ts), not with the index's own idea of it.
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackstayError } from '../../main/common/errors.js';
import type { SnapshotInfo } from '../../main/common/rpc.js';
import { HistoryService } from '../../main/core/history/history-service.js';
import { compileQuery } from '../../main/core/history/query-pattern.js';
import { listSnapshots } from '../../main/core/snapshots/snapshot-list.js';
import { createEnvRunner, createTempRepo, type TempRepo } from '../helpers/restic-repo.js';
import { expectedDeleted, expectedFind, expectedHistory, listEverySnapshot, type ListedSnapshot } from './expected-history.js';

let repo: TempRepo;
let src: string;
let clock = Date.parse('2026-01-01T00:00:00Z');

function write(rel: string, content: string): void {
  const file = path.join(src, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  // Distinct, known mtimes: two writes in one clock tick must still be two versions.
  clock += 60_000;
  utimesSync(file, new Date(clock), new Date(clock));
}

async function snapshots(): Promise<SnapshotInfo[]> {
  return listSnapshots(repo.runner, 'test');
}

beforeAll(async () => {
  repo = await createTempRepo();
  src = path.join(repo.dir, 'src');
  const tag = ['backstay:plan=home'];
  write('a.txt', 'one');
  write('docs/b.txt', 'bee');
  write('docs/c.txt', 'see');
  write('folder/x.txt', 'x');
  write('keep.txt', 'kept');
  write('a[1].txt', 'brackets');
  await repo.backup([src], tag); // 1
  write('a.txt', 'two!'); // changed
  rmSync(path.join(src, 'docs/c.txt')); // deleted
  writeFileSync(path.join(src, 'docs/b2.txt'), readFileSync(path.join(src, 'docs/b.txt'))); // renamed b -> b2
  const b = statSync(path.join(src, 'docs/b.txt'));
  utimesSync(path.join(src, 'docs/b2.txt'), b.atime, b.mtime);
  rmSync(path.join(src, 'docs/b.txt'));
  await repo.backup([src], tag); // 2
  write('docs/c.txt', 'see again'); // re-added
  rmSync(path.join(src, 'folder'), { recursive: true });
  write('folder', 'now a file'); // a folder replaced by a file
  await repo.backup([src], tag); // 3
  await repo.backup([src], tag); // 4: nothing changed
  rmSync(path.join(src, 'a.txt'));
  await repo.backup([src], tag); // 5
}, 120_000);

afterAll(async () => {
  await repo?.cleanup();
});

function newService(): HistoryService {
  return new HistoryService({ runner: repo.runner, cacheDir: path.join(repo.dir, 'cache-backstay') });
}

/** Every answer of the index equals the oracle's, for every path any snapshot has. */
function expectAnswersMatch(service: HistoryService, listed: ListedSnapshot[]): void {
  const reader = service.reader('test')!;
  const allPaths = new Set(listed.flatMap((s) => [...s.nodes.keys()]));
  expect(allPaths.size).toBeGreaterThan(8);
  for (const p of allPaths) {
    const got = reader.history(p).map((v) => ({
      type: v.type,
      size: v.size,
      mtimeMs: v.mtime ? Date.parse(v.mtime) : null,
      firstSeen: v.firstSeen.snapshotId,
      lastSeen: v.lastSeen.snapshotId,
      snapshots: v.snapshots,
      changed: v.changed,
    }));
    expect(got, p).toEqual(expectedHistory(listed, p));
  }
  const cases: [string, (name: string, p: string) => boolean][] = [
    ['TXT', (name) => name.toLowerCase().includes('txt')],
    ['*.txt', (name) => name.endsWith('.txt')],
    ['[bc]*', (name) => /^[bc]/.test(name)],
    ['docs/*', (_n, p) => /\/docs\/[^/]+$/.test(p)],
    ['a\\[1\\].txt', (name) => name === 'a[1].txt'],
    ['a[1].txt', (name) => name === 'a1.txt'],
    ['folder', (name) => name.includes('folder')],
  ];
  for (const [query, test] of cases) {
    const got = new Map([...reader.findAll(compileQuery(query))].map((r) => [r.path, { versions: r.versions, lastSeen: r.lastSeen.snapshotId }]));
    expect(got, query).toEqual(expectedFind(listed, test));
  }
  for (const folder of [src, path.join(src, 'docs'), path.join(src, 'folder')]) {
    const got = new Map(reader.deleted(folder).map((e) => [e.path, e.lastSeen.snapshotId]));
    expect(got, folder).toEqual(expectedDeleted(listed, folder));
  }
}

describe('the history index of a real repository', () => {
  it('answers history, search and undelete exactly as restic ls of every snapshot says', async () => {
    const service = newService();
    try {
      const result = await service.update('test');
      const live = await snapshots();
      expect(result).toMatchObject({ snapshotsAdded: 5, snapshotsRemoved: 0, rebuilt: [], yielded: false });
      expect(service.covers('test', live)).toBe(true);
      const listed = await listEverySnapshot(repo.runner, live);
      expectAnswersMatch(service, listed);
      // The cases the issue names, spelled out as well.
      const reader = service.reader('test')!;
      expect(reader.history(path.join(src, 'a.txt')).map((v) => v.snapshots)).toEqual([3, 1]);
      expect(reader.history(path.join(src, 'folder')).map((v) => v.type)).toEqual(['file', 'dir']);
      expect(reader.history(path.join(src, 'docs/c.txt')).map((v) => v.changed)).toEqual([true, false]);
      expect(reader.deleted(src).map((e) => e.name)).toEqual(['a.txt']);
      expect(reader.deleted(path.join(src, 'docs')).map((e) => e.name)).toEqual(['b.txt']);
      expect(reader.history('/not/in/any/snapshot')).toEqual([]);
      expect(reader.newestSnapshot()?.snapshotId).toBe(live[0]!.id);
    } finally {
      await service.close();
    }
  });

  it('adds a new snapshot with one restic ls, and nothing when nothing is new', async () => {
    const service = newService();
    try {
      await service.update('test');
      const before = service.lsRuns;
      expect(await service.update('test')).toMatchObject({ snapshotsAdded: 0 });
      expect(service.lsRuns).toBe(before);
      write('docs/new.txt', 'new');
      await repo.backup([src], ['backstay:plan=home']);
      expect(await service.update('test')).toMatchObject({ snapshotsAdded: 1, rebuilt: [] });
      expect(service.lsRuns).toBe(before + 1);
      expectAnswersMatch(service, await listEverySnapshot(repo.runner, await snapshots()));
    } finally {
      await service.close();
    }
  });

  it('forgotten snapshots leave the index (newest, middle, oldest), without listing anything again', async () => {
    const service = newService();
    try {
      await service.update('test');
      const live = await snapshots(); // newest first
      // The middle one holds the only version of a.txt's first change and the gap of docs/c.txt: runs must be
      // clipped, dropped and joined; the newest and the oldest move the lineage's ends.
      for (const victim of [live[0]!, live[2]!, live[live.length - 1]!]) {
        const forget = await repo.runner.run('test', ['forget', victim.id], { onStdoutLine: () => undefined });
        expect(forget.exitCode).toBe(0);
        const lsBefore = service.lsRuns;
        const result = await service.update('test');
        expect(result).toMatchObject({ snapshotsRemoved: 1, snapshotsAdded: 0, rebuilt: [] });
        expect(service.lsRuns).toBe(lsBefore);
        const after = await snapshots();
        expect(service.reader('test')!.snapshotIds().has(victim.id)).toBe(false);
        expect(service.covers('test', after)).toBe(true);
        expectAnswersMatch(service, await listEverySnapshot(repo.runner, after));
      }
      // The index still grows right afterwards.
      write('after-forget.txt', 'x');
      await repo.backup([src], ['backstay:plan=home']);
      expect(await service.update('test')).toMatchObject({ snapshotsAdded: 1 });
      expectAnswersMatch(service, await listEverySnapshot(repo.runner, await snapshots()));
    } finally {
      await service.close();
    }
  });

  it('a damaged index file is rebuilt, with the right answers', async () => {
    const service = newService();
    try {
      await service.update('test');
      await service.close();
      const file = service.fileFor('test');
      const bytes = readFileSync(file);
      // Garbage over the header of the last page (table or index rows, not the schema): SQLite opens the file and
      // reads its meta fine, so only quick_check finds it.
      bytes.fill(0x5a, bytes.length - 4096, bytes.length - 4096 + 64);
      writeFileSync(file, bytes);
      const fresh = newService();
      try {
        const result = await fresh.update('test');
        expect(result.rebuilt.join(' ')).toMatch(/could not be used/);
        const live = await snapshots();
        expect(result.snapshotsAdded).toBe(live.length);
        expectAnswersMatch(fresh, await listEverySnapshot(repo.runner, live));
      } finally {
        await fresh.close();
      }
      writeFileSync(file, 'not a database at all');
      const third = newService();
      try {
        expect(third.reader('test')).toBeNull(); // never read as an index
        expect((await third.update('test')).rebuilt).toHaveLength(1);
        expect(third.covers('test', await snapshots())).toBe(true);
      } finally {
        await third.close();
      }
    } finally {
      await service.close();
    }
  });

  it('a cancelled update keeps the snapshots it committed and is never passed off as complete', async () => {
    const service = newService();
    rmSync(service.fileFor('test'), { force: true });
    try {
      const stop = new AbortController();
      const err = await service
        .update('test', { signal: stop.signal, onProgress: (p) => p.snapshotsDone === 1 && stop.abort() })
        .then(() => null, (e: unknown) => e);
      expect((err as BackstayError).code).toBe('CANCELLED');
      const reader = service.reader('test')!;
      expect(reader.snapshotIds().size).toBe(1);
      expect(service.covers('test', await snapshots())).toBe(false);
      expect((await service.update('test')).snapshotsAdded).toBe((await snapshots()).length - 1);
    } finally {
      await service.close();
    }
  });

  it('bad input: clear errors', async () => {
    for (const empty of ['', '   ']) {
      expect(() => compileQuery(empty)).toThrow(BackstayError);
      expect(() => compileQuery(empty)).toThrow(/empty/);
    }
    expect(compileQuery('[unclosed').matches('[unclosed', '/x/[unclosed')).toBe(true);
    expect(compileQuery('100%_done').matches('x100%_done.txt', '')).toBe(true);
    expect(compileQuery('100%_done').matches('100ab_done', '')).toBe(false);
    // A repository that cannot be reached: a clear restic error, and no index made to look complete.
    const gone = createEnvRunner({ ...repo.env, RESTIC_REPOSITORY: path.join(repo.dir, 'no-such-repo') });
    const service = new HistoryService({ runner: gone, cacheDir: path.join(repo.dir, 'cache-unreachable') });
    const err = await service.update('test').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackstayError);
    expect((err as BackstayError).code).toMatch(/NO_REPOSITORY|RESTIC_FAILED|NETWORK/);
    expect(service.reader('test')).toBeNull();
    await service.close();
  });
});

// The index store with generated `restic ls` output (no restic): odd orders, failures, eviction, shutdown.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { FAKE_SNAPSHOT_ID, fakeLsLines, fakeLsRunner } from '../../../test/helpers/fake-ls.js';
import { parseDiffLine, DiffCollector } from './diff.js';
import { escapeLike } from './index-db.js';
import { normalizeSnapshotPath, parseLsLine } from './ls-lines.js';
import type { ResticCommandRunner } from './runner.js';
import { SnapshotIndexStore } from './snapshot-index.js';

let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'backstay-index-'));
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

const SNAP = { id: FAKE_SNAPSHOT_ID };
const ID2 = '1'.repeat(64);
const ID3 = '2'.repeat(64);

/** A runner printing fixed lines for `ls`. */
function linesRunner(lines: string[], exitCode = 0): ResticCommandRunner {
  return {
    async run(_repo, _args, h) {
      for (const l of lines) h.onStdoutLine(l);
      return { exitCode, stderrTail: exitCode ? ['Fatal: boom'] : [] };
    },
  };
}
const snapshotLine = (id: string) => JSON.stringify({ id, struct_type: 'snapshot', paths: ['/r'] });
const node = (p: string, type: string, size?: number) =>
  JSON.stringify({ name: p.slice(p.lastIndexOf('/') + 1), type, path: p, size, mtime: '2026-01-01T00:00:00Z', struct_type: 'node' });

describe('SnapshotIndexStore with generated listings', () => {
  it('indexes a generated tree and browses, searches and sizes it', async () => {
    const store = new SnapshotIndexStore({ runner: fakeLsRunner({ files: 2_500, filesPerDir: 100, dirsPerGroup: 10 }), cacheDir });
    expect((await store.browse('r', SNAP, '/data')).map((e) => e.name)).toEqual(['a0000', 'a0001', 'a0002']);
    expect(await store.browse('r', SNAP, '/data/a0002')).toHaveLength(5);
    const folder = await store.browse('r', SNAP, '/data/a0001/b0003');
    expect(folder).toHaveLength(100);
    expect(folder[0]).toEqual({ name: 'f0000.txt', type: 'file', path: '/data/a0001/b0003/f0000.txt', size: 1234, mtime: expect.any(String) });
    expect(await store.sizeOf('r', SNAP, '/data')).toBe(2_500 * 1234);
    expect(await store.sizeOf('r', SNAP, '/data/a0002')).toBe(500 * 1234);
    expect((await store.search('r', SNAP, 'f0042', 1000)).length).toBe(25);
    expect(store.lsRuns).toBe(1);
    await store.close();
  });

  it('keeps the tree right when nodes arrive before their parents (folder sizes recomputed)', async () => {
    const lines = [snapshotLine(ID2), node('/r/x/deep/f', 'file', 5), node('/r', 'dir'), node('/r/a', 'file', 7), node('/r/x', 'dir'), node('/r/x/g', 'file', 11)];
    const store = new SnapshotIndexStore({ runner: linesRunner(lines), cacheDir });
    const ref = { id: ID2 };
    expect((await store.browse('r', ref, '/r')).map((e) => [e.name, e.size])).toEqual([['x', 16], ['a', 7]]);
    expect((await store.browse('r', ref, '/r/x')).map((e) => e.name)).toEqual(['deep', 'g']);
    expect(await store.sizeOf('r', ref, '/')).toBe(23);
    await store.close();
  });

  it('fails with UNKNOWN_SNAPSHOT when restic lists nothing, and leaves no file', async () => {
    const store = new SnapshotIndexStore({ runner: linesRunner([]), cacheDir });
    const err = await store.browse('nas', { id: ID2, shortId: '11111111' }, '/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackstayError);
    expect((err as BackstayError).code).toBe('UNKNOWN_SNAPSHOT');
    expect((err as BackstayError).message).toBe('No snapshot 11111111 in repository nas.');
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it('leaves no half index when restic fails after printing nodes, and retries on the next browse', async () => {
    const lines = [snapshotLine(ID2), node('/r', 'dir'), node('/r/a', 'file', 1)];
    let exitCode = 1;
    const runner: ResticCommandRunner = { run: (r, a, h) => linesRunner(lines, exitCode).run(r, a, h) };
    const store = new SnapshotIndexStore({ runner, cacheDir });
    const err = (await store.browse('r', { id: ID2 }, '/r').catch((e: unknown) => e)) as BackstayError;
    expect(err.code).toBe('RESTIC_FAILED');
    expect(err.detail).toBe('Fatal: boom');
    expect(readdirSync(store.dir)).toEqual([]);
    exitCode = 0;
    expect(await store.browse('r', { id: ID2 }, '/r')).toHaveLength(1);
    expect(readdirSync(store.dir)).toEqual([`r-${ID2}.sqlite`]);
    await store.close();
  });

  it('stops restic and removes the temp file when closed while indexing', async () => {
    const runner = fakeLsRunner({ files: 2_000_000 });
    const store = new SnapshotIndexStore({ runner, cacheDir });
    const browsing = store.browse('r', SNAP, '/data').catch((e: unknown) => e);
    await waitFor(() => existsSync(store.dir) && readdirSync(store.dir).some((n) => n.endsWith('.tmp')));
    await store.close();
    const err = (await browsing) as BackstayError;
    expect(err.code).toBe('CANCELLED');
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it('evicts by age, then least recently used by total size, sparing open indexes', async () => {
    const runnerFor = (id: string) => linesRunner([snapshotLine(id), node('/r', 'dir'), node('/r/a', 'file', 1)]);
    const files: string[] = [];
    for (const id of [FAKE_SNAPSHOT_ID, ID2, ID3]) {
      const store = new SnapshotIndexStore({ runner: runnerFor(id), cacheDir });
      await store.browse('r', { id }, '/r');
      files.push(store.fileFor('r', id));
      await store.close();
    }
    const day = 86_400_000;
    const now = Date.now();
    utimesSync(files[0]!, new Date(now - 40 * day), new Date(now - 40 * day));
    utimesSync(files[1]!, new Date(now - 2 * day), new Date(now - 2 * day));
    utimesSync(files[2]!, new Date(now - 1 * day), new Date(now - 1 * day));
    const orphan = path.join(path.dirname(files[0]!), `r-${'3'.repeat(64)}.sqlite.999999999-ab.tmp`);
    writeFileSync(orphan, 'half');
    const store = new SnapshotIndexStore({ runner: runnerFor(ID2), cacheDir });
    await store.browse('r', { id: ID2 }, '/r'); // open: must survive the size limit
    const size = statSync(files[2]!).size;
    const result = await store.evictIndexes({ maxAgeDays: 30, maxBytes: size }, now);
    expect(result.removed).toEqual([files[0], files[2]]);
    expect(existsSync(files[1]!)).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    await store.close();
  });

  it('removes the indexes of snapshots that are gone', async () => {
    const store = new SnapshotIndexStore({ runner: linesRunner([snapshotLine(ID2), node('/r', 'dir')]), cacheDir });
    await store.browse('r', { id: ID2 }, '/');
    expect(await store.removeIndexesExcept('other', new Set())).toEqual([]);
    expect(await store.removeIndexesExcept('r', new Set([ID3]))).toEqual([store.fileFor('r', ID2)]);
    await store.close();
  });
});

describe('line parsing', () => {
  it('parses ls lines of restic 0.14 and later', () => {
    const [header, first] = [...fakeLsLines({ files: 1 })];
    expect(parseLsLine(header!)).toEqual({ kind: 'snapshot', id: FAKE_SNAPSHOT_ID });
    expect(parseLsLine(first!)).toEqual({ kind: 'node', path: '/data', name: 'data', type: 'dir', size: null, mtime: expect.any(String) });
    expect(parseLsLine('{"name":"e","type":"file","path":"/e","message_type":"node"}')).toMatchObject({ size: 0, type: 'file' });
    expect(parseLsLine('{"name":"d","type":"chardev","path":"/dev/d","struct_type":"node"}')).toMatchObject({ type: 'other', size: null });
    expect(parseLsLine('garbage')).toEqual({ kind: 'other' });
  });

  it('normalises paths and escapes LIKE', () => {
    expect(normalizeSnapshotPath('')).toBe('/');
    expect(normalizeSnapshotPath('a//b/./c/')).toBe('/a/b/c');
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });

  it('parses diff lines in JSON and text and caps the lists', () => {
    expect(parseDiffLine('{"message_type":"change","path":"/a/","modifier":"+"}')).toEqual({ modifier: '+', path: '/a/' });
    expect(parseDiffLine('{"message_type":"statistics","changed_files":1}')).toBeNull();
    expect(parseDiffLine('M    /src/a b')).toEqual({ modifier: 'M', path: '/src/a b' });
    expect(parseDiffLine('comparing snapshot 6bf16f6c to 14e3427a:')).toBeNull();
    expect(parseDiffLine('Files:           1 new,     1 removed,     1 changed')).toBeNull();
    const c = new DiffCollector(2);
    for (const l of ['+ /1', '+ /2', '+ /3', '- /4', 'TM /5', 'U /6']) c.add(l);
    expect(c.result()).toEqual({
      added: ['/1', '/2'],
      removed: ['/4'],
      changed: ['/5', '/6'],
      counts: { added: 3, removed: 1, changed: 2 },
      truncated: true,
    });
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

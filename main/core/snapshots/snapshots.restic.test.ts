// SnapshotService against real restic (0.14 here) on a temp repository.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { createTempRepo, type TempRepo } from '../../../test/helpers/restic-repo.js';
import { hashTree } from '../../../test/helpers/file-tree.js';
import { SnapshotService } from './index.js';
import { escapeIncludePattern, restoreArgs } from '../restic/args.js';
import { parseResticLine } from '../restic/parse.js';
import { validateRestoreTarget } from './restore-plan.js';
import type { ResticCommandRunner } from './runner.js';

const V014 = { major: 0, minor: 14, patch: 0 };

let repo: TempRepo;
let src: string;
let snap1: string;
let snap2: string;
let originalHashes: Map<string, string>;
let service: SnapshotService;
let cacheDir: string;

function write(rel: string, content: string | Buffer): void {
  const file = path.join(src, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(async () => {
  repo = await createTempRepo();
  src = path.join(repo.dir, 'src');
  write('docs/a.txt', 'a'.repeat(100));
  write('docs/b.txt', 'b'.repeat(2000));
  write('docs/sub/deep.txt', randomBytes(30_000));
  write('photos/img.bin', randomBytes(200_000));
  write('Zeta/z.txt', 'z');
  write('100%_done.txt', 'done!');
  write('x_y.txt', 'xy');
  write('xay.txt', 'xay');
  write('apple.txt', 'apple');
  mkdirSync(path.join(src, 'empty'));
  symlinkSync('docs/a.txt', path.join(src, 'link'));
  originalHashes = hashTree(src);
  snap1 = await repo.backup([src], ['backstay:plan=home']);
  write('docs/a.txt', 'changed');
  write('docs/new.txt', 'new');
  rmSync(path.join(src, 'photos/img.bin'));
  snap2 = await repo.backup([src], ['backstay:plan=work']);
  cacheDir = path.join(repo.dir, 'cache-backstay');
  service = new SnapshotService({ runner: repo.runner, cacheDir });
});

afterAll(async () => {
  await service?.close();
  await repo?.cleanup();
});

const lsRuns = (runner: { calls: string[][] }): number => runner.calls.filter((a) => a[0] === 'ls').length;

async function expectError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackstayError);
  expect((err as BackstayError).code).toBe(code);
  expect((err as BackstayError).message).toMatch(message);
}

describe('snapshot list', () => {
  it('lists snapshots newest first with the plan from the tag, and filters by plan', async () => {
    const all = await service.list('nas');
    expect(all.map((s) => s.shortId)).toEqual([snap2, snap1]);
    expect(all[0]).toMatchObject({ planId: 'work', paths: [src], tags: ['backstay:plan=work'] });
    expect(all[0]!.id).toHaveLength(64);
    expect(all[0]!.parent).toBe(all[1]!.id);
    const home = await service.list('nas', 'home');
    expect(home.map((s) => s.shortId)).toEqual([snap1]);
    expect(repo.runner.calls.some((a) => a.join(' ') === 'snapshots --json --tag backstay:plan=home')).toBe(true);
    expect(await service.list('nas', 'nope')).toEqual([]);
  });

  it('serves the list from the cache until invalidated', async () => {
    const before = repo.runner.calls.length;
    await service.list('nas');
    expect(repo.runner.calls.length).toBe(before);
    service.invalidate('nas');
    await service.list('nas');
    expect(repo.runner.calls.length).toBe(before + 1);
  });
});

describe('browse, search, size', () => {
  it('browses the root and nested folders, folders first then names', async () => {
    const root = await service.browse('nas', snap1, '/');
    expect(root.map((e) => [e.name, e.type])).toEqual([[src.split('/')[1], 'dir']]);
    const top = await service.browse('nas', snap1, src);
    expect(top.map((e) => e.name)).toEqual(['docs', 'empty', 'photos', 'Zeta', '100%_done.txt', 'apple.txt', 'link', 'x_y.txt', 'xay.txt']);
    expect(top.find((e) => e.name === 'link')).toMatchObject({ type: 'symlink', size: null, path: `${src}/link` });
    expect(top.find((e) => e.name === 'apple.txt')).toMatchObject({ type: 'file', size: 5 });
    expect(top.find((e) => e.name === 'apple.txt')!.mtime).toMatch(/^\d{4}-\d\d-\d\dT/);
    const sub = await service.browse('nas', snap1, `${src}/docs/sub/`);
    expect(sub).toEqual([expect.objectContaining({ name: 'deep.txt', path: `${src}/docs/sub/deep.txt`, size: 30_000 })]);
    expect(await service.browse('nas', snap1, `${src}/empty`)).toEqual([]);
  });

  it('browses each snapshot from its own index', async () => {
    const docs2 = await service.browse('nas', snap2, `${src}/docs`);
    expect(docs2.map((e) => e.name)).toEqual(['sub', 'a.txt', 'b.txt', 'new.txt']);
    expect(docs2.find((e) => e.name === 'a.txt')!.size).toBe('changed'.length);
  });

  it('searches names by substring, with LIKE wildcards taken literally', async () => {
    expect((await service.search('nas', snap1, 'DEEP', 10)).map((e) => e.path)).toEqual([`${src}/docs/sub/deep.txt`]);
    expect((await service.search('nas', snap1, '%', 10)).map((e) => e.name)).toEqual(['100%_done.txt']);
    expect((await service.search('nas', snap1, 'x_y', 10)).map((e) => e.name)).toEqual(['x_y.txt']);
    expect(await service.search('nas', snap1, '.txt', 3)).toHaveLength(3);
    expect(await service.search('nas', snap1, 'no-such-name', 10)).toEqual([]);
  });

  it('gives recursive sizes of folders and sizes of files', async () => {
    expect(await service.sizeOf('nas', snap1, `${src}/docs`)).toBe(100 + 2000 + 30_000);
    expect(await service.sizeOf('nas', snap1, `${src}/docs/b.txt`)).toBe(2000);
    const total = 100 + 2000 + 30_000 + 200_000 + 1 + 5 + 2 + 3 + 5;
    expect(await service.sizeOf('nas', snap1, src)).toBe(total);
    expect(await service.sizeOf('nas', snap1, '/')).toBe(total);
    const top = await service.browse('nas', snap1, src);
    expect(top.find((e) => e.name === 'photos')!.size).toBe(200_000);
  });

  it('accepts full ids, short ids and "latest"', async () => {
    const full = (await service.list('nas'))[1]!.id;
    expect(await service.browse('nas', full, src)).toEqual(await service.browse('nas', snap1, src));
    expect((await service.browse('nas', 'latest', `${src}/docs`)).map((e) => e.name)).toContain('new.txt');
  });

  it('fails with UNKNOWN_SNAPSHOT for an id not in the repository, without running ls', async () => {
    const before = lsRuns(repo.runner);
    await expectError(service.browse('nas', 'abc123', '/'), 'UNKNOWN_SNAPSHOT', /^No snapshot abc123 in repository nas\.$/);
    await expectError(service.search('nas', 'not-an-id', 'x', 5), 'UNKNOWN_SNAPSHOT', /No snapshot not-an-id/);
    expect(lsRuns(repo.runner)).toBe(before);
  });

  it('fails with PATH_NOT_IN_SNAPSHOT naming the path', async () => {
    await expectError(service.browse('nas', snap1, `${src}/nope`), 'PATH_NOT_IN_SNAPSHOT', new RegExp(`"${src}/nope" is not in snapshot ${snap1}`));
    await expectError(service.sizeOf('nas', snap1, '/elsewhere/x'), 'PATH_NOT_IN_SNAPSHOT', /"\/elsewhere\/x"/);
    await expectError(service.browse('nas', snap1, `${src}/apple.txt`), 'BAD_PARAMS', /is a file/);
  });

  it('runs restic ls once for concurrent first browses, and never again, even from a new service', async () => {
    const fresh = await createTempRepoLikeService();
    const [a, b, c] = await Promise.all([
      fresh.service.browse('nas', snap1, src),
      fresh.service.browse('nas', snap1, `${src}/docs`),
      fresh.service.search('nas', snap1, 'deep', 5),
    ]);
    expect(a.length).toBe(9);
    expect(b.length).toBe(3);
    expect(c.length).toBe(1);
    expect(lsRuns(fresh.runner)).toBe(1);
    await fresh.service.browse('nas', snap1, `${src}/photos`);
    expect(lsRuns(fresh.runner)).toBe(1);
    await fresh.service.close();
    const again = new SnapshotService({ runner: fresh.runner, cacheDir: fresh.cacheDir });
    await again.browse('nas', snap1, src);
    expect(lsRuns(fresh.runner)).toBe(1);
    await again.close();
  });

  it('leaves no index file behind when restic ls fails part way', async () => {
    const dir = path.join(repo.dir, 'cache-failing');
    let fed = 0;
    const failing: ResticCommandRunner = {
      run: (repoId, args, handlers) =>
        args[0] === 'ls'
          ? repo.runner.run(repoId, args, {
              ...handlers,
              onStdoutLine: (line) => {
                if (fed++ < 5) handlers.onStdoutLine(line);
              },
            }).then(() => ({ exitCode: 1, stderrTail: ['Fatal: connection lost'] }))
          : repo.runner.run(repoId, args, handlers),
    };
    const broken = new SnapshotService({ runner: failing, cacheDir: dir });
    await expectError(broken.browse('nas', snap1, src), 'RESTIC_FAILED', /restic failed during reading snapshot/);
    expect(readdirSync(path.join(dir, 'snapshot-index'))).toEqual([]);
    await broken.close();
  });
});

async function createTempRepoLikeService(): Promise<{ service: SnapshotService; runner: TempRepo['runner']; cacheDir: string }> {
  const calls: string[][] = [];
  const runner = { calls, run: (id: string, args: string[], h: Parameters<ResticCommandRunner['run']>[2]) => (calls.push(args), repo.runner.run(id, args, h)) };
  const dir = path.join(repo.dir, `cache-${Math.random().toString(36).slice(2)}`);
  return { service: new SnapshotService({ runner, cacheDir: dir }), runner, cacheDir: dir };
}

describe('diff', () => {
  it('reports added, removed and changed paths between two snapshots', async () => {
    const diff = await service.diff('nas', snap1, snap2);
    expect(diff.added).toEqual([`${src}/docs/new.txt`]);
    expect(diff.removed).toEqual([`${src}/photos/img.bin`]);
    expect(diff.changed).toEqual([`${src}/docs/a.txt`]);
    expect(diff.truncated).toBe(false);
    await expectError(service.diff('nas', snap1, 'beefbeef'), 'UNKNOWN_SNAPSHOT', /No snapshot beefbeef in repository nas/);
  });
});

describe('restore with real restic', () => {
  async function restore(paths: string[] | undefined, targetName: string): Promise<{ target: string; lines: string[] }> {
    const request = path.join(repo.dir, 'restores', targetName);
    const resolved = await validateRestoreTarget({ target: request, snapshotPaths: paths ?? [src], overwrite: false, snapshotId: snap1 });
    expect(resolved).toEqual({ target: request, newSubfolder: false });
    const lines: string[] = [];
    const result = await repo.runner.run('nas', restoreArgs(V014, { snapshotId: snap1, target: resolved.target, includes: (paths ?? []).map((p) => escapeIncludePattern(p)) }), {
      onStdoutLine: (l) => lines.push(l),
    });
    expect(result.exitCode).toBe(0);
    return { target: resolved.target, lines };
  }
  const restoredHashes = (target: string): Map<string, string> => hashTree(path.join(target, src));
  const pick = (prefix: string): Map<string, string> => new Map([...originalHashes].filter(([k]) => k.startsWith(prefix)));

  it('restores one file byte for byte', async () => {
    const { target } = await restore([`${src}/docs/sub/deep.txt`], 'one-file');
    expect(restoredHashes(target)).toEqual(pick('docs/sub/deep.txt'));
  });

  it('restores a folder byte for byte', async () => {
    const { target } = await restore([`${src}/docs`], 'folder');
    const docs = pick('docs/');
    expect(docs.size).toBe(3);
    expect(restoredHashes(target)).toEqual(docs);
  });

  it('restores the whole snapshot byte for byte, and 0.14 output reads as indeterminate log lines', async () => {
    const { target, lines } = await restore(undefined, 'whole');
    expect(restoredHashes(target)).toEqual(originalHashes);
    expect(lines.length).toBeGreaterThan(0);
    // The supervisor keeps such lines as text (log lines), with no measurable progress.
    for (const line of lines) expect(parseResticLine(line, { kind: 'restore' })).toEqual({ type: 'text', text: line });
  });

  it('restores names with glob characters exactly', async () => {
    const { target } = await restore([`${src}/100%_done.txt`, `${src}/x_y.txt`], 'glob-names');
    expect(restoredHashes(target)).toEqual(new Map([...pick('100%_done.txt'), ...pick('x_y.txt')]));
  });
});

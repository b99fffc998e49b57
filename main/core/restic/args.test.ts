import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../../../test/helpers/restic-wrapper-repo.js';
import {
  backupArgs,
  checkArgs,
  diffArgs,
  escapeIncludePattern,
  forgetArgs,
  initArgs,
  lsArgs,
  planTag,
  pruneArgs,
  repairIndexArgs,
  restoreArgs,
  snapshotsArgs,
  splitExcludes,
  statsArgs,
  unlockArgs,
} from './args.js';
import { readResticVersion } from './binary.js';
import { REAL_RESTIC } from '../../../test/helpers/restic-wrapper-repo.js';

const V014 = { major: 0, minor: 14, patch: 0 };
const V017 = { major: 0, minor: 17, patch: 3 };

describe('argument builders (pure)', () => {
  it('backup: flags first, --json, plan tag, excludes, -- before paths', () => {
    expect(backupArgs({ planId: 'home', paths: ['/home/me', '-odd'], excludes: ['*.tmp', 'cache'], flags: ['--limit-upload', '100'] })).toEqual([
      '--limit-upload', '100', 'backup', '--json', '--tag', 'backstay:plan=home', '--exclude', '*.tmp', '--exclude', 'cache', '--', '/home/me', '-odd',
    ]);
    expect(() => backupArgs({ planId: 'p', paths: [] })).toThrow(expect.objectContaining({ code: 'BAD_PARAMS' }));
  });

  it('forget: keep rules, plan tag, group by host,tags; refuses an empty policy and bad numbers', () => {
    expect(forgetArgs({ planId: 'p', retention: { keepLast: 3, keepDaily: 7, keepWithin: '30d' } })).toEqual([
      'forget', '--json', '--tag', 'backstay:plan=p', '--group-by', 'host,tags', '--keep-last', '3', '--keep-daily', '7', '--keep-within', '30d',
    ]);
    expect(() => forgetArgs({ planId: 'p', retention: {} })).toThrow(expect.objectContaining({ code: 'BAD_PARAMS' }));
    expect(() => forgetArgs({ planId: 'p', retention: { keepLast: 0 } })).toThrow(/at least 1/);
  });

  it('unlock never removes live locks unless asked', () => {
    expect(unlockArgs()).toEqual(['unlock']);
    expect(unlockArgs({ removeAll: true })).toEqual(['unlock', '--remove-all']);
  });

  it('per-version: repair index and restore --json', () => {
    expect(repairIndexArgs(V014)).toEqual(['rebuild-index']);
    expect(repairIndexArgs(V017, { flags: ['--no-cache'] })).toEqual(['--no-cache', 'repair', 'index']);
    expect(restoreArgs(V014, { snapshotId: 'abcd1234', target: '/t' })).toEqual(['restore', 'abcd1234', '--target', '/t']);
    expect(restoreArgs(V017, { snapshotId: 'latest', target: '/t', includes: ['/a'] })).toEqual([
      'restore', 'latest', '--target', '/t', '--include', '/a', '--json',
    ]);
  });

  it('restore: includes escaped to match themselves, "/" (the whole snapshot) is no include', () => {
    const snap = '4f1c2d3e' + '0'.repeat(56);
    const V0164 = { major: 0, minor: 16, patch: 4 };
    expect(restoreArgs(V0164, { snapshotId: snap, target: '/t', includes: ['/home/me/a b', '/home/me/x*'].map((p) => escapeIncludePattern(p)) })).toEqual([
      'restore', snap, '--target', '/t', '--include', '/home/me/a b', '--include', '/home/me/x\\*', '--json',
    ]);
    expect(restoreArgs(V014, { snapshotId: snap, target: '/t', includes: ['/'] })).toHaveLength(4);
  });

  it('escapes glob characters except on Windows', () => {
    expect(escapeIncludePattern('/a/[b]?*\\c', 'linux')).toBe('/a/\\[b]\\?\\*\\\\c');
    expect(escapeIncludePattern('/a/[b]', 'win32')).toBe('/a/[b]');
  });

  it('refuses a snapshot id that could be read as a flag', () => {
    expect(() => lsArgs({ snapshotId: '--help' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_SNAPSHOT' }));
    expect(() => restoreArgs(V014, { snapshotId: 'abcd', target: '' })).toThrow(expect.objectContaining({ code: 'TARGET_INVALID' }));
  });

  it('check, stats, snapshots, prune, init, diff', () => {
    expect(checkArgs()).toEqual(['check']);
    expect(checkArgs({ readDataSubset: '10%' })).toEqual(['check', '--read-data-subset', '10%']);
    expect(statsArgs({ mode: 'raw-data' })).toEqual(['stats', '--json', '--mode', 'raw-data']);
    expect(snapshotsArgs({ planId: 'p' })).toEqual(['snapshots', '--json', '--tag', 'backstay:plan=p']);
    expect(pruneArgs()).toEqual(['prune']);
    expect(initArgs({ flags: ['-o', 'x=y'] })).toEqual(['-o', 'x=y', 'init']);
    expect(diffArgs({ from: 'aaaa1111', to: 'bbbb2222' })).toEqual(['diff', '--json', 'aaaa1111', 'bbbb2222']);
  });
});

describe('argument builders against real restic 0.14', () => {
  let repo: TempRepo;
  let src: string;
  const run = async (args: string[]) => {
    const r = await repo.run(args);
    if (r.code !== 0) throw new Error(`restic ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  beforeAll(async () => {
    repo = await makeTempRepo({ init: false });
    await run(initArgs());
    src = path.join(repo.dir, 'src');
    await mkdir(path.join(src, 'cache'), { recursive: true });
    await writeFile(path.join(src, 'keep.txt'), 'keep me');
    await writeFile(path.join(src, 'skip.tmp'), 'skip me');
    await writeFile(path.join(src, 'cache', 'c.bin'), 'cached');
  }, 60_000);
  afterAll(() => repo?.cleanup());

  it('backs up with tag and excludes, then lists, browses, diffs, restores, forgets, checks and repairs', async () => {
    const version = await readResticVersion(REAL_RESTIC);
    const first = await run(backupArgs({ planId: 'home', paths: [src], excludes: ['*.tmp', path.join(src, 'cache')] }));
    expect(first).toContain('"message_type":"summary"');
    await writeFile(path.join(src, 'keep.txt'), 'changed');
    await run(backupArgs({ planId: 'home', paths: [src] }));
    await run(backupArgs({ planId: 'other', paths: [src] }));

    const planSnaps = JSON.parse(await run(snapshotsArgs({ planId: 'home' })));
    expect(planSnaps).toHaveLength(2);
    expect(planSnaps.every((s: { tags: string[] }) => s.tags.includes(planTag('home')))).toBe(true);
    const [older, newer] = planSnaps as Array<{ short_id: string; id: string }>;

    const names = (await run(lsArgs({ snapshotId: older!.short_id })))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).name);
    expect(names).toContain('keep.txt');
    expect(names).not.toContain('skip.tmp');
    expect(names).not.toContain('c.bin');

    const diff = await run(diffArgs({ from: older!.short_id, to: newer!.short_id }));
    expect(diff).toContain('"message_type":"change"');

    const stats = JSON.parse(await run(statsArgs({ mode: 'raw-data' })));
    expect(stats.snapshots_count).toBe(3);

    const target = path.join(repo.dir, 'restored');
    await run(restoreArgs(version, { snapshotId: newer!.id, target, includes: [path.join(src, 'keep.txt')] }));
    expect(await readFile(path.join(target, src, 'keep.txt'), 'utf8')).toBe('changed');
    expect(await readdir(path.join(target, src))).toEqual(['keep.txt']);

    const forgot = JSON.parse(await run(forgetArgs({ planId: 'home', retention: { keepLast: 1 } })));
    expect(forgot).toHaveLength(1); // one group: this plan on this host
    expect(forgot[0].remove.map((s: { id: string }) => s.id)).toEqual([older!.id]);
    // The other plan's snapshot is untouched.
    expect(JSON.parse(await run(snapshotsArgs({ planId: 'other' })))).toHaveLength(1);

    await run(pruneArgs());
    await run(checkArgs({ readDataSubset: '50%' }));
    await run(repairIndexArgs(version));
    await run(unlockArgs());
  }, 60_000);
});

describe('splitExcludes: long lists go to an exclude file, patterns that would read differently there do not', () => {
  const many = (n: number, len = 10) => Array.from({ length: n }, (_, i) => `p${String(i).padStart(len, '0')}`);
  it.each([
    ['a short list', many(100), 0],
    ['more than 100 patterns', many(101), 101],
    ['100 long patterns (over 8 KB)', many(100, 100), 100],
    ['100,000 patterns', many(100_000), 100_000],
  ] as const)('%s', (_name, excludes, inFile) => {
    const split = splitExcludes(excludes);
    expect(split.inFile).toHaveLength(inFile);
    expect([...split.onCommandLine, ...split.inFile].sort()).toEqual([...excludes].sort());
  });

  it.each([['$HOME/x'], ['#comment-like'], [' lead'], ['trail '], ['tab\t'], ['line\nbreak'], ['cr\r'], ['\u0085next-line']])(
    '%j stays on the command line',
    (pattern) => {
      const split = splitExcludes([...many(200), pattern]);
      expect(split.onCommandLine).toEqual([pattern]);
      expect(split.inFile).toHaveLength(200);
    },
  );

  it('backupArgs puts the file after the arguments and before the paths', () => {
    expect(backupArgs({ planId: 'p', paths: ['/a'], excludes: ['$X'], excludeFile: '/tmp/e.txt' })).toEqual([
      'backup', '--json', '--tag', 'backstay:plan=p', '--exclude', '$X', '--exclude-file', '/tmp/e.txt', '--', '/a',
    ]);
  });
});

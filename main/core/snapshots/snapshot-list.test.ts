import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import type { ResticCommandRunner, ResticRunHandlers } from './runner.js';
import { parseSnapshotsJson, SnapshotListCache } from './snapshot-list.js';

const snap = (id: string, time: string, extra: Record<string, unknown> = {}) => ({
  time,
  tree: 't',
  paths: ['/home/me'],
  hostname: 'host',
  username: 'me',
  id: id.repeat(64 / id.length),
  short_id: id.repeat(8 / id.length),
  ...extra,
});

describe('parseSnapshotsJson', () => {
  it('sorts newest first, reads the plan tag and camelCases the 0.17+ summary', () => {
    const text = JSON.stringify([
      snap('a', '2026-01-01T10:00:00.5Z'),
      snap('b', '2026-01-02T10:00:00.123456789+01:00', { tags: ['backstay:plan=home', 'x'], summary: { files_new: 3, data_added: 10 } }),
      snap('c', '2026-01-01T10:00:00.7Z'),
    ]);
    const list = parseSnapshotsJson(text);
    expect(list.map((s) => s.shortId)).toEqual(['bbbbbbbb', 'cccccccc', 'aaaaaaaa']);
    expect(list[0]).toMatchObject({ planId: 'home', tags: ['backstay:plan=home', 'x'], summary: { filesNew: 3, dataAdded: 10 }, username: 'me' });
    expect(list[1]).toMatchObject({ planId: null, tags: [], summary: null, parent: null });
    expect(parseSnapshotsJson('null')).toEqual([]);
  });

  it('reports unreadable output as RESTIC_FAILED', () => {
    expect(() => parseSnapshotsJson('[{"id": "trunc', 'nas')).toThrow(BackstayError);
  });
});

describe('SnapshotListCache', () => {
  function scripted(gateFirst = false): ResticCommandRunner & { calls: number; release: () => void; lists: string[] } {
    let release = (): void => undefined;
    const runner = {
      calls: 0,
      lists: [JSON.stringify([snap('a', '2026-01-01T00:00:00Z')])],
      release: () => release(),
      async run(_repo: string, _args: string[], h: ResticRunHandlers) {
        runner.calls++;
        const out = runner.lists[Math.min(runner.calls, runner.lists.length) - 1]!;
        if (gateFirst && runner.calls === 1) await new Promise<void>((r) => (release = r));
        h.onStdoutLine(out);
        return { exitCode: 0, stderrTail: [] };
      },
    };
    return runner;
  }

  it('does not cache a list that was invalidated while it was being fetched', async () => {
    const runner = scripted(true);
    runner.lists.push(JSON.stringify([snap('a', '2026-01-01T00:00:00Z'), snap('b', '2026-01-02T00:00:00Z')]));
    const cache = new SnapshotListCache(runner);
    const first = cache.list('nas');
    await Promise.resolve(); // let the run start
    cache.invalidate('nas'); // a backup finished meanwhile
    runner.release();
    expect(await first).toHaveLength(1);
    expect(await cache.list('nas')).toHaveLength(2);
    expect(await cache.list('nas')).toHaveLength(2);
    expect(runner.calls).toBe(2);
  });

  it('resolves prefixes and "latest", refreshes once on a miss, and rejects ambiguous prefixes', async () => {
    const runner = scripted();
    runner.lists.push(JSON.stringify([snap('ab', '2026-01-01T00:00:00Z'), snap('ac', '2026-01-02T00:00:00Z')]));
    const cache = new SnapshotListCache(runner);
    expect((await cache.resolve('nas', 'aaaa')).shortId).toBe('aaaaaaaa');
    expect(runner.calls).toBe(1);
    // "abab" is not in the cached list: refresh once, then found
    expect((await cache.resolve('nas', 'abab')).id).toBe('ab'.repeat(32));
    expect(runner.calls).toBe(2);
    expect((await cache.resolve('nas', 'latest')).shortId).toBe('acacacac');
    const err = (await cache.resolve('nas', 'a').catch((e: unknown) => e)) as BackstayError;
    expect(err.code).toBe('UNKNOWN_SNAPSHOT'); // too short to be an id
    const none = (await cache.resolve('nas', 'ffff').catch((e: unknown) => e)) as BackstayError;
    expect(none.message).toBe('No snapshot ffff in repository nas.');
  });
});

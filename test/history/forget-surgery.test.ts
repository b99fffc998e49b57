// Forgetting snapshots takes them out of the history index in place (history-writer.ts removeSnapshot). The class
// of cases: every pattern a path can have over five snapshots (absent, version A, version B in each), with every
// snapshot and every pair of snapshots forgotten; the answers must equal the oracle's over the snapshots that remain.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryService } from '../../main/core/history/history-service.js';
import type { ResticCommandRunner, ResticRunHandlers, ResticRunResult } from '../../main/core/snapshots/runner.js';
import { expectedHistory, type ListedNode, type ListedSnapshot } from './expected-history.js';

const SNAPSHOTS = 5;
const STATES = ['-', 'A', 'B'] as const;
const patterns: string[] = [];
for (let n = 0; n < STATES.length ** SNAPSHOTS; n++) {
  let p = '';
  for (let i = 0, x = n; i < SNAPSHOTS; i++, x = Math.floor(x / 3)) p += STATES[x % 3];
  patterns.push(p);
}

const idOf = (i: number) => i.toString(16).padStart(8, '0') + 'd'.repeat(56);
const timeOf = (i: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + i * 3_600_000).toISOString();
const version = (state: string): ListedNode => ({ type: 'file', size: state === 'A' ? 10 : 20, mtime: state === 'A' ? '2026-01-01T00:00:00.000000001Z' : '2026-01-02T00:00:00Z' });

/** The snapshots as restic would list them: every pattern is one file under /d. */
function listing(i: number): ListedSnapshot {
  const nodes = new Map<string, ListedNode>([['/d', { type: 'dir', size: null, mtime: '2026-01-01T00:00:00Z' }]]);
  for (const p of patterns) if (p[i] !== '-') nodes.set(`/d/${p}`, version(p[i]!));
  return { id: idOf(i), time: timeOf(i), nodes };
}
const all = Array.from({ length: SNAPSHOTS }, (_, i) => listing(i));

class FakeRepo implements ResticCommandRunner {
  live = [...all];
  async run(_repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult> {
    if (args.includes('snapshots')) {
      handlers.onStdoutLine(JSON.stringify(this.live.map((s) => ({ id: s.id, short_id: s.id.slice(0, 8), time: s.time, paths: ['/d'], hostname: 'h', tags: ['backstay:plan=p'] }))));
    } else {
      const s = all.find((x) => x.id === args[args.indexOf('ls') + 2])!;
      handlers.onStdoutLine(JSON.stringify({ struct_type: 'snapshot', id: s.id }));
      for (const [p, n] of [...s.nodes].sort(([a], [b]) => (a < b ? -1 : 1))) {
        handlers.onStdoutLine(JSON.stringify({ struct_type: 'node', name: p.slice(p.lastIndexOf('/') + 1), path: p, type: n.type, size: n.size ?? undefined, mtime: n.mtime }));
      }
    }
    return { exitCode: 0, stderrTail: [] };
  }
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const removals: number[][] = [];
for (let a = 0; a < SNAPSHOTS; a++) {
  removals.push([a]);
  for (let b = a + 1; b < SNAPSHOTS; b++) removals.push([a, b]);
}

describe('forgetting snapshots from the history index', () => {
  it.each(removals.map((r) => [r.join('+'), r] as const))('forget snapshot(s) %s', async (_name, removed) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backstay-forget-'));
    dirs.push(dir);
    const repo = new FakeRepo();
    const service = new HistoryService({ runner: repo, cacheDir: dir });
    try {
      await service.update('r');
      const lsBefore = service.lsRuns;
      repo.live = all.filter((_, i) => !removed.includes(i));
      expect(await service.update('r')).toMatchObject({ snapshotsRemoved: removed.length, rebuilt: [] });
      expect(service.lsRuns).toBe(lsBefore);
      const reader = service.reader('r')!;
      for (const p of patterns) {
        const got = reader.history(`/d/${p}`).map((v) => ({
          type: v.type, size: v.size, mtimeMs: v.mtime ? Date.parse(v.mtime) : null,
          firstSeen: v.firstSeen.snapshotId, lastSeen: v.lastSeen.snapshotId, snapshots: v.snapshots, changed: v.changed,
        }));
        expect(got, p).toEqual(expectedHistory(repo.live, `/d/${p}`));
      }
      // And the index keeps growing right: a snapshot added after the forget is merged against the new head.
      const next = listing(SNAPSHOTS - 1);
      all.push({ ...next, id: idOf(99), time: timeOf(99) });
      repo.live.push(all[all.length - 1]!);
      await service.update('r');
      for (const p of patterns.slice(0, 60)) {
        expect(reader.history(`/d/${p}`).map((v) => v.lastSeen.snapshotId), p).toEqual(expectedHistory(repo.live, `/d/${p}`).map((v) => v.lastSeen));
      }
      all.pop();
    } finally {
      await service.close();
    }
  });
});

describe('a snapshot older than the newest indexed one', () => {
  it('makes its lineage be rebuilt, with the right answers', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backstay-insert-'));
    dirs.push(dir);
    const repo = new FakeRepo();
    const middle = all[2]!;
    repo.live = all.filter((s) => s !== middle); // snapshot 2 arrives late (restic copy from another repository)
    const service = new HistoryService({ runner: repo, cacheDir: dir });
    try {
      await service.update('r');
      repo.live = [...all];
      const result = await service.update('r');
      expect(result.rebuilt.join(' ')).toMatch(/older than the newest one indexed/);
      expect(result.snapshotsAdded).toBe(SNAPSHOTS);
      const reader = service.reader('r')!;
      for (const p of patterns) expect(reader.history(`/d/${p}`).map((v) => [v.firstSeen.snapshotId, v.lastSeen.snapshotId, v.snapshots]), p)
        .toEqual(expectedHistory(all, `/d/${p}`).map((v) => [v.firstSeen, v.lastSeen, v.snapshots]));
    } finally {
      await service.close();
    }
  });
});

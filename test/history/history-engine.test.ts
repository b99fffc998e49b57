// The history index inside the engine, against real restic 0.14: the RPC methods, the `index` operation (visible,
// queued at low priority, making way for a backup, cancellable) and its follow-ups after backups.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../main/common/errors.js';
import { summaryOf, type Operation } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();

async function setup(backups: number) {
  const ws = await fixture.workspace({ files: 2 });
  await ws.writeConfig();
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  const file = path.join(ws.sourceDir, 'notes.txt');
  for (let i = 0; i < backups; i++) {
    await writeFile(file, `version ${i}`.repeat(i + 1));
    await backup(engine);
  }
  return { ws, engine, file };
}

async function backup(engine: EngineInternals): Promise<Operation> {
  const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home' });
  const op = await engine.orchestrator.waitFor(opId);
  expect(op.status).toBe('success');
  return op;
}

const indexOps = (engine: EngineInternals) => engine.store.list({ limit: 100 }).filter((op) => op.kind === 'index');

async function expectError(promise: Promise<unknown>, code: string | RegExp) {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(BackstayError);
  expect((err as BackstayError).code).toMatch(code);
}

describe('history through the engine', () => {
  it('first use queues a visible index operation; answers say complete: false until it is done', async () => {
    const { engine, file } = await setup(2);
    const first = await engine.rpc.invoke('snapshots.history', { repoId: 'local', path: file });
    expect(first).toMatchObject({ versions: [], complete: false });
    expect(engine.state().running.some((r) => r.kind === 'index' && r.repoId === 'local')).toBe(true);
    await waitUntil(() => indexOps(engine).some((op) => op.status === 'success'), 60_000, 'the index operation');
    const op = indexOps(engine)[0]!;
    expect(summaryOf(op, 'index')).toMatchObject({ snapshotsAdded: 2, snapshotsRemoved: 0 });
    expect(op.progress).toMatchObject({ filesDone: 2, totalFiles: 2 });
    const answer = await engine.rpc.invoke('snapshots.history', { repoId: 'local', path: file });
    expect(answer.complete).toBe(true);
    expect(answer.versions.map((v) => [v.snapshots, v.changed, v.planId])).toEqual([
      [1, true, 'home'],
      [1, false, 'home'],
    ]);
    const { snapshots } = await engine.rpc.invoke('snapshots.list', { repoId: 'local' });
    expect(answer.indexedThrough?.snapshotId).toBe(snapshots[0]!.id);
    const found = await engine.rpc.invoke('snapshots.findAll', { repoId: 'local', query: 'NOTES' });
    expect(found).toMatchObject({ complete: true, truncated: false, results: [{ path: file, type: 'file', versions: 2 }] });
    const limited = await engine.rpc.invoke('snapshots.findAll', { repoId: 'local', query: '*', limit: 1 });
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.results).toHaveLength(1);

    // From now on a saved backup brings the index up to date on its own; a deleted file shows as deleted.
    await rm(file);
    await backup(engine);
    await waitUntil(() => indexOps(engine).filter((o) => o.status === 'success').length === 2, 60_000, 'indexing after the backup');
    expect(indexOps(engine)[0]!.trigger).toBe('system');
    const deleted = await engine.rpc.invoke('snapshots.deleted', { repoId: 'local', path: path.dirname(file) });
    expect(deleted.complete).toBe(true);
    expect(deleted.entries.map((e) => e.name)).toEqual(['notes.txt']);
    expect(deleted.entries[0]!.lastSeen.snapshotId).toBe(snapshots[0]!.id);
  });

  it('is low priority: other work queued on the repository goes first, and a running index makes way for a backup', async () => {
    const { engine, file } = await setup(3);
    // Indexing three snapshots; a backup queued meanwhile waits only for the snapshot being listed.
    const index = engine.orchestrator.enqueue({ kind: 'index', repoId: 'local', trigger: 'manual' });
    expect(engine.orchestrator.enqueue({ kind: 'index', repoId: 'local', trigger: 'manual' }).id).toBe(index.id); // one waiting at a time
    await waitUntil(() => engine.store.get(index.id)?.status === 'running', 30_000, 'the index to start');
    await writeFile(file, 'changed while indexing');
    const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home' });
    const stats = engine.orchestrator.enqueue({ kind: 'stats', repoId: 'local', trigger: 'manual' });
    const yielded = await engine.orchestrator.waitFor(index.id);
    expect(yielded.status).toBe('success');
    expect(summaryOf(yielded, 'index')).toMatchObject({ yielded: true });
    expect(summaryOf(yielded, 'index')!.snapshotsAdded).toBeLessThan(3);
    const b = await engine.orchestrator.waitFor(opId);
    expect(b.status).toBe('success');
    // The follow-up index (after the yield and the backup) waits behind the stats queued before it.
    await waitUntil(() => indexOps(engine).filter((o) => o.status === 'success').length >= 2, 60_000, 'the index to resume');
    const again = indexOps(engine).find((o) => o.id !== index.id)!;
    const s = await engine.orchestrator.waitFor(stats.id);
    expect(Date.parse(again.startedAt!)).toBeGreaterThanOrEqual(Date.parse(s.startedAt!));
    await waitUntil(async () => (await engine.rpc.invoke('snapshots.history', { repoId: 'local', path: file })).complete, 60_000, 'a complete index');
    const answer = await engine.rpc.invoke('snapshots.history', { repoId: 'local', path: file });
    expect(answer.versions).toHaveLength(4);
  });

  it('other work queued on the repository goes before waiting indexing', async () => {
    const { engine } = await setup(1);
    const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home' }); // holds the repository's queue
    const index = engine.orchestrator.enqueue({ kind: 'index', repoId: 'local', trigger: 'manual' });
    const stats = engine.orchestrator.enqueue({ kind: 'stats', repoId: 'local', trigger: 'manual' });
    const [, i, s] = await Promise.all([opId, index.id, stats.id].map((id) => engine.orchestrator.waitFor(id)));
    expect(s!.status).toBe('success');
    expect(i!.status).toBe('success');
    expect(Date.parse(i!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(s!.endedAt!));
  });

  it('can be cancelled, and a cancelled index is never answered as complete', async () => {
    const { engine, file } = await setup(2);
    const index = engine.orchestrator.enqueue({ kind: 'index', repoId: 'local', trigger: 'manual' });
    await waitUntil(() => engine.store.get(index.id)?.status === 'running', 30_000, 'the index to start');
    expect(engine.orchestrator.cancel(index.id)).toBe(true);
    const op = await engine.orchestrator.waitFor(index.id);
    expect(op.status).toBe('cancelled');
    const answer = await engine.rpc.invoke('snapshots.history', { repoId: 'local', path: file });
    expect(answer.complete).toBe(false);
  });

  it('bad input and an unreachable repository: clear errors', async () => {
    const { ws, engine } = await setup(1);
    await expectError(engine.rpc.invoke('snapshots.findAll', { repoId: 'local', query: '' }), 'BAD_PARAMS');
    await expectError(engine.rpc.invoke('snapshots.findAll', { repoId: 'local', query: '   ' }), 'BAD_PARAMS');
    await expectError(engine.rpc.invoke('snapshots.history', { repoId: 'nope', path: '/x' }), 'UNKNOWN_REPO');
    await expectError(
      engine.rpc.call('snapshots.findAll', { repoId: 'local', query: 'x', since: 'yesterday' }, { host: 'cli' }),
      'BAD_PARAMS',
    );
    await ws.writeConfig({ repos: [{ id: 'local', uri: path.join(ws.root, 'gone'), password: { file: ws.passwordFile } }] });
    await engine.reloadConfig();
    engine.snapshots.invalidate('local');
    await expectError(engine.rpc.invoke('snapshots.history', { repoId: 'local', path: '/x' }), /NO_REPOSITORY|RESTIC_FAILED/);
  });
});

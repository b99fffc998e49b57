// Issue 13, engine side, against real restic 0.14: a file or folder restored straight into a target, forget of one
// snapshot, prune's dry-run figures, and a snapshot's size computed once and cached.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger } from '../../main/core/logging.js';
import { BackstayError, summaryOf } from '../../main/common/index.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

async function setup(files: Record<string, Buffer>) {
  const ws = await fixture.workspace({ files: 0 });
  for (const [name, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws.sourceDir, name)), { recursive: true });
    await writeFile(path.join(ws.sourceDir, name), data);
  }
  await ws.writeConfig({});
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  const backup = async () => {
    const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home' });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status).toBe('success');
    return op.snapshotId!;
  };
  return { ws, engine, backup };
}

describe('restore into a target without the original path above it', () => {
  it.each([
    ['a file', 'docs/deep/c.bin', 'c.bin'],
    ['a folder', 'docs/deep', 'deep'],
  ])('puts %s at target/<name>', async (_label, rel, name) => {
    const { ws, engine, backup } = await setup({ 'docs/deep/c.bin': randomBytes(50_000), 'docs/b.txt': Buffer.from('b') });
    const snapshotId = await backup();
    const target = path.join(ws.root, 'flat');
    const { opId } = await engine.rpc.invoke('restore.start', {
      repoId: 'local',
      snapshotId,
      target,
      paths: [path.join(ws.sourceDir, rel)],
      flatten: true,
    });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    // Only the item itself, and no staging folder left behind.
    expect(await readdir(target)).toEqual([name]);
    const file = name === 'c.bin' ? path.join(target, 'c.bin') : path.join(target, 'deep', 'c.bin');
    expect(await sha(file)).toBe(await sha(path.join(ws.sourceDir, 'docs/deep/c.bin')));
  });

  it('refuses two chosen items of the same name before anything is written', async () => {
    const { ws, engine, backup } = await setup({ 'a/x.txt': Buffer.from('1'), 'b/x.txt': Buffer.from('2') });
    const snapshotId = await backup();
    const target = path.join(ws.root, 'flat');
    const err = await engine.rpc
      .invoke('restore.start', {
        repoId: 'local',
        snapshotId,
        target,
        paths: [path.join(ws.sourceDir, 'a/x.txt'), path.join(ws.sourceDir, 'b/x.txt')],
        flatten: true,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackstayError);
    expect((err as BackstayError).code).toBe('TARGET_INVALID');
    await expect(stat(target)).rejects.toThrow();
  });

  it('restores to the original location (restic 0.14 overwrites what is there)', async () => {
    const { ws, engine, backup } = await setup({ 'keep.txt': Buffer.from('original') });
    const snapshotId = await backup();
    const file = path.join(ws.sourceDir, 'keep.txt');
    await rm(file);
    const { opId } = await engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId, target: '/', paths: [file], originalLocation: true });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    expect(await readFile(file, 'utf8')).toBe('original');
  });

  it('refuses an overwrite choice restic 0.14 does not have instead of overwriting', async () => {
    const { ws, engine, backup } = await setup({ 'keep.txt': Buffer.from('original') });
    const snapshotId = await backup();
    const file = path.join(ws.sourceDir, 'keep.txt');
    await writeFile(file, 'changed since');
    const { opId } = await engine.rpc.invoke('restore.start', {
      repoId: 'local',
      snapshotId,
      target: '/',
      paths: [file],
      originalLocation: true,
      overwriteMode: 'never',
    });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status).toBe('error');
    expect(op.error?.code).toBe('NOT_SUPPORTED');
    expect(await readFile(file, 'utf8')).toBe('changed since');
  });
});

describe('snapshot care', () => {
  it('forgets exactly the one snapshot chosen', async () => {
    const { ws, engine, backup } = await setup({ 'a.txt': Buffer.from('a') });
    const first = await backup();
    await writeFile(path.join(ws.sourceDir, 'b.txt'), 'b');
    const second = await backup();
    const { opId } = await engine.rpc.invoke('snapshots.forget', { repoId: 'local', snapshotId: first.slice(0, 8) });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    expect(op.kind).toBe('forget');
    expect(summaryOf(op, 'forget')).toEqual({ kept: 0, removed: 1 });
    const { snapshots } = await engine.rpc.invoke('snapshots.list', { repoId: 'local' });
    expect(snapshots.map((s) => s.id)).toEqual([expect.stringMatching(new RegExp(`^${second}`))]);
  });

  it("previews prune with restic's figures, removes nothing, then prunes", async () => {
    const { ws, engine, backup } = await setup({ 'big.bin': randomBytes(200_000), 'a.txt': Buffer.from('a') });
    const first = await backup();
    await rm(path.join(ws.sourceDir, 'big.bin'));
    await backup();
    await engine.orchestrator.waitFor((await engine.rpc.invoke('snapshots.forget', { repoId: 'local', snapshotId: first })).opId);
    const packsBefore = await readdir(path.join(ws.repoPath, 'data'), { recursive: true });

    const preview = await engine.orchestrator.waitFor((await engine.rpc.invoke('repos.prune', { repoId: 'local', dryRun: true })).opId);
    expect(preview.status, JSON.stringify(preview.error)).toBe('success');
    const summary = summaryOf(preview, 'prune');
    expect(summary?.dryRun).toBe(true);
    const labels = (summary?.figures ?? []).map((f) => f.label);
    expect(labels).toEqual(expect.arrayContaining(['to delete', 'total prune', 'remaining']));
    expect(summary?.figures?.find((f) => f.label === 'total prune')?.value).toMatch(/blobs \/ \d/);
    expect(await readdir(path.join(ws.repoPath, 'data'), { recursive: true })).toEqual(packsBefore);

    const pruned = await engine.orchestrator.waitFor((await engine.rpc.invoke('repos.prune', { repoId: 'local' })).opId);
    expect(pruned.status).toBe('success');
    expect(summaryOf(pruned, 'prune')?.dryRun).toBe(false);
    expect(await readdir(path.join(ws.repoPath, 'data'), { recursive: true })).not.toEqual(packsBefore);
  });

  it("measures a 0.14 snapshot's size once and answers from the cache after", async () => {
    const { ws, engine, backup } = await setup({ 'a.bin': randomBytes(30_000), 'b.txt': Buffer.from('hello') });
    const snapshotId = await backup();
    const size = await engine.rpc.invoke('snapshots.size', { repoId: 'local', snapshotId });
    expect(size).toEqual({ bytes: 30_005, files: expect.any(Number), source: 'stats' });
    const cacheFile = path.join(ws.dataDir, 'cache', 'snapshot-sizes.json');
    expect(Object.keys(JSON.parse(await readFile(cacheFile, 'utf8')) as object)).toHaveLength(1);
    // A second engine on the same data directory answers from the file (here made to say 1 byte), not from restic.
    await engine.shutdown();
    await writeFile(cacheFile, JSON.stringify({ [`local/${(await readdir(path.join(ws.repoPath, 'snapshots')))[0]}`]: { bytes: 1, files: 1 } }));
    const again = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    expect(await again.rpc.invoke('snapshots.size', { repoId: 'local', snapshotId })).toEqual({ bytes: 1, files: 1, source: 'stats' });
  });
});

describe('saving from a form that does not edit everything', () => {
  it('keeps the hooks of a plan and the maintenance of a repository that the save did not send', async () => {
    const ws = await fixture.workspace({ files: 1 });
    const hooks = [{ on: ['error'], url: 'https://hc-ping.com/x' }];
    const maintenance = { prune: { cron: '0 4 * * 0' }, check: null, checkReadDataSubset: '5%' };
    await ws.writeConfig({
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], hooks }],
      repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, maintenance }],
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const before = await engine.rpc.invoke('config.get', {});
    const { hooks: _h, ...plan } = before.plans[0]!;
    const { maintenance: _m, ...repo } = before.repos[0]!;
    await engine.rpc.invoke('config.savePlan', { plan: { ...plan, excludes: ['*.tmp'] } });
    await engine.rpc.invoke('config.saveRepo', { repo });
    const after = await engine.rpc.invoke('config.get', {});
    expect(after.plans[0]).toMatchObject({ excludes: ['*.tmp'], hooks });
    expect(after.repos[0]!.maintenance).toEqual(maintenance);
    // An empty list is a choice: no hooks any more.
    await engine.rpc.invoke('config.savePlan', { plan: { ...plan, hooks: [] } });
    expect((await engine.rpc.invoke('config.get', {})).plans[0]!.hooks).toEqual([]);
  });
});

// Restore through the engine (restore.start -> an operation like any other), against real restic 0.14.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile, chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger } from '../../main/core/logging.js';
import { isPidAlive } from '../../main/core/process/process-identity.js';
import { BackstayError } from '../../main/common/errors.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();

const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

async function setupWithSnapshot(files: Record<string, Buffer>) {
  const ws = await fixture.workspace({ files: 0 });
  for (const [name, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws.sourceDir, name)), { recursive: true });
    await writeFile(path.join(ws.sourceDir, name), data);
  }
  await ws.writeConfig({ settings: { cancelGraceSeconds: 2 } });
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home' });
  const backup = await engine.orchestrator.waitFor(opId);
  expect(backup.status).toBe('success');
  const { snapshots } = await engine.rpc.invoke('snapshots.list', { repoId: 'local' });
  expect(snapshots).toHaveLength(1);
  return { ws, engine, snapshot: snapshots[0]! };
}

async function expectError(promise: Promise<unknown>, code: string, words: RegExp) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackstayError);
  expect((err as BackstayError).code).toBe(code);
  expect((err as BackstayError).message).toMatch(words);
}

describe('restore through the engine', () => {
  it('restores a file, a folder and a whole snapshot byte for byte, into a new folder', async () => {
    const { ws, engine, snapshot } = await setupWithSnapshot({
      'a.bin': randomBytes(100_000),
      'docs/b.txt': Buffer.from('hello'),
      'docs/deep/c.bin': randomBytes(50_000),
    });
    const file = path.join(ws.sourceDir, 'a.bin');
    const folder = path.join(ws.sourceDir, 'docs');
    for (const [label, paths] of [
      ['file', [file]],
      ['folder', [folder]],
      ['whole', undefined],
    ] as const) {
      const target = path.join(ws.root, `restore-${label}`);
      const { opId } = await engine.rpc.invoke('restore.start', {
        repoId: 'local',
        snapshotId: snapshot.id,
        target,
        ...(paths ? { paths: [...paths] } : {}),
      });
      const op = await engine.orchestrator.waitFor(opId);
      expect(op.status, JSON.stringify(op.error)).toBe('success');
      expect(op.kind).toBe('restore');
      // restic restores absolute paths below the target.
      const restored = (p: string) => path.join(target, p);
      if (label !== 'folder') expect(await sha(restored(file))).toBe(await sha(file));
      if (label !== 'file') {
        expect(await sha(restored(path.join(folder, 'deep/c.bin')))).toBe(await sha(path.join(folder, 'deep/c.bin')));
        expect(await readFile(restored(path.join(folder, 'b.txt')), 'utf8')).toBe('hello');
      }
      if (label === 'file') await expect(stat(restored(folder))).rejects.toThrow();
    }
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const { ws, engine, snapshot } = await setupWithSnapshot({ 'a.txt': Buffer.from('a') });
    const target = path.join(ws.root, 'out');
    await expectError(
      engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId: 'deadbeef', target }),
      'UNKNOWN_SNAPSHOT',
      /deadbeef/,
    );
    await expectError(
      engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId: snapshot.id, target, paths: [path.join(ws.sourceDir, 'nope.txt')] }),
      'PATH_NOT_IN_SNAPSHOT',
      /nope\.txt/,
    );
    await expectError(
      engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId: snapshot.id, target: ws.sourceDir }),
      'TARGET_INVALID',
      /.+/,
    );
    await expectError(
      engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId: snapshot.id, target: 'relative/dir' }),
      'TARGET_INVALID',
      /full path/,
    );
    const file = path.join(ws.root, 'a-file');
    await writeFile(file, 'x');
    await expectError(
      engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId: snapshot.id, target: file }),
      'TARGET_INVALID',
      /.+/,
    );
    await expect(stat(target)).rejects.toThrow();
    expect(engine.store.list({ kind: 'restore' })).toHaveLength(0);
  });

  it('restores into a fresh subfolder when the chosen folder is not empty, never over what is there', async () => {
    const { ws, engine, snapshot } = await setupWithSnapshot({ 'a.txt': Buffer.from('from snapshot') });
    const target = path.join(ws.root, 'busy');
    await mkdir(target);
    await writeFile(path.join(target, 'keep.txt'), 'mine');
    await chmod(target, 0o755);
    const { opId } = await engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId: snapshot.id, target });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status).toBe('success');
    const entries = await readdir(target);
    expect(entries).toContain('keep.txt');
    expect(await readFile(path.join(target, 'keep.txt'), 'utf8')).toBe('mine');
    const sub = entries.find((e) => e.startsWith('restore-'));
    expect(sub).toBeTruthy();
    expect(await readFile(path.join(target, sub!, ws.sourceDir, 'a.txt'), 'utf8')).toBe('from snapshot');
  });

  it('cancel mid-restore ends the operation cancelled with no restic left', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 10; i += 1) files[`big-${i}.bin`] = randomBytes(16 * 1024 * 1024);
    const { ws, engine, snapshot } = await setupWithSnapshot(files);
    const target = path.join(ws.root, 'restore-cancel');
    const { opId } = await engine.rpc.invoke('restore.start', { repoId: 'local', snapshotId: snapshot.id, target });
    await waitUntil(() => (engine.store.get(opId)?.resticPid ?? 0) > 0, 20_000, 'restic to start restoring');
    const pid = engine.store.get(opId)!.resticPid!;
    await engine.rpc.invoke('ops.cancel', { opId });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status).toBe('cancelled');
    expect(isPidAlive(pid)).toBe(false);
    expect(engine.state().running).toHaveLength(0);
  });
});

// The engine against real restic 0.14 and real repositories in temp dirs: success, warning, errors, snapshot id.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { summaryOf } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();

async function setup(opts: Parameters<typeof fixture.workspace>[0] = {}, config: Parameters<Workspace['writeConfig']>[0] = {}) {
  const ws = await fixture.workspace(opts);
  await ws.writeConfig(config);
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  return { ws, engine };
}

async function backup(e: EngineInternals, planId = 'home') {
  const { opId } = await e.rpc.invoke('plans.backup', { planId });
  return e.orchestrator.waitFor(opId);
}

describe('backup with real restic', () => {
  it('succeeds, records the snapshot id and the summary, and the plan shows it', async () => {
    const { ws, engine } = await setup();
    const op = await backup(engine);
    expect(op.status).toBe('success');
    expect(op.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);
    expect(summaryOf(op, 'backup')?.filesNew).toBe(5);
    const snapshots = JSON.parse((await ws.restic(['snapshots', '--json'])).stdout) as Array<{ short_id: string; tags: string[] }>;
    expect(snapshots).toHaveLength(1);
    expect(op.snapshotId!.startsWith(snapshots[0]!.short_id) || snapshots[0]!.short_id.startsWith(op.snapshotId!)).toBe(true);
    expect(snapshots[0]!.tags).toContain('backstay:plan=home');
    const stored = engine.store.get(op.id)!;
    expect(stored.status).toBe('success');
    expect(stored.ownerPid).toBe(process.pid);
    const plan = engine.state().plans.find((p) => p.id === 'home')!;
    expect(plan.lastOp?.status).toBe('success');
    expect(plan.lastSuccessAt).not.toBeNull();
    expect(engine.state().running).toHaveLength(0);
  });

  it('ends in warning when some source cannot be read (restic exit 3), naming it', async () => {
    // Tests run as root here, and root reads a chmod 000 file; a source path that does not exist is what restic
    // reports the same way (an item error, snapshot saved, exit 3).
    const { ws, engine } = await setup();
    const missing = path.join(ws.root, 'does-not-exist');
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir, missing] }] });
    await engine.reloadConfig();
    const op = await backup(engine);
    expect(op.status).toBe('warning');
    expect(op.snapshotId).not.toBeNull();
    // restic 0.14 says so in a text line (and exits 0); later versions send an item error and exit 3.
    const words = [...op.itemErrors.map((e) => e.path ?? e.message), op.error?.message ?? ''].join(' ');
    expect(words).toContain(missing);
  });

  it('fails with words about the password when it is wrong, and never shows the password', async () => {
    const { ws, engine } = await setup();
    await writeFile(ws.passwordFile, 'not-the-password');
    const op = await backup(engine);
    expect(op.status).toBe('error');
    expect(op.error?.code).toBe('WRONG_PASSWORD');
    expect(op.error?.message).toMatch(/password/i);
    const everything = JSON.stringify(op) + JSON.stringify(engine.store.readLog(op.id));
    expect(everything).not.toContain(ws.password);
    expect(everything).not.toContain('not-the-password');
  });

  it('fails with NO_REPOSITORY when there is no repository at the URI', async () => {
    const { engine } = await setup({ init: false });
    const op = await backup(engine);
    expect(op.status).toBe('error');
    expect(op.error?.code).toBe('NO_REPOSITORY');
    expect(op.error?.message).toMatch(/repository/i);
  });

  it('names the missing source path and does not run restic when nothing exists to back up', async () => {
    const { ws, engine } = await setup({}, {});
    const missing = path.join(ws.root, 'unplugged-drive');
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [missing] }] });
    await engine.reloadConfig();
    const op = await backup(engine);
    expect(op.status).toBe('error');
    expect(op.error?.code).toBe('SOURCE_MISSING');
    expect(op.error?.message).toContain(missing);
  });

  it('runs forget after a backup of a plan with retention, as its own operation', async () => {
    const { ws, engine } = await setup();
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], retention: { keepLast: 1 } }] });
    await engine.reloadConfig();
    await backup(engine);
    await writeFile(path.join(ws.sourceDir, 'more.txt'), 'more');
    await backup(engine);
    // The forget after the second backup: wait until no operation is live.
    let forget = engine.store.list({ kind: 'forget' })[0];
    if (forget && forget.status !== 'success') forget = await engine.orchestrator.waitFor(forget.id);
    expect(forget?.status).toBe('success');
    expect(forget?.trigger).toBe('system');
    const snapshots = JSON.parse((await ws.restic(['snapshots', '--json'])).stdout) as unknown[];
    expect(snapshots).toHaveLength(1);
  });
});

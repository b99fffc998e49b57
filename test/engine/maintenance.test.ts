// Retention and repository care with real restic 0.14 (issue 6, "Retention and maintenance"): forget keeps exactly
// what a plan's rules say and touches no other plan; prune, check, unlock, repair index and stats are operations
// with their output in the log; a stale lock from a killed restic does not block the next exclusive operation, and
// a lock held by a live restic ends it `error` / REPOSITORY_LOCKED naming the holder.
import { describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { summaryOf, type Operation } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();

async function setup(config: Parameters<Workspace['writeConfig']>[0] = {}) {
  const ws = await fixture.workspace({ files: 3 });
  await ws.writeConfig(config);
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  return { ws, engine };
}

async function backup(e: EngineInternals, planId: string): Promise<Operation> {
  const { opId } = await e.rpc.invoke('plans.backup', { planId });
  return e.orchestrator.waitFor(opId);
}

/** Waits until nothing is queued or running (e.g. the forget a backup queued). */
async function settle(e: EngineInternals): Promise<void> {
  for (let round = 0; round < 20; round += 1) {
    const live = e.state().running;
    if (live.length === 0) return;
    await Promise.all(live.map((r) => e.orchestrator.waitFor(r.opId)));
  }
  throw new Error('operations kept coming');
}

interface ResticSnapshot {
  id: string;
  tags?: string[];
}

async function snapshotsByPlan(w: Workspace): Promise<Map<string, string[]>> {
  const listed = await w.restic(['snapshots', '--json']);
  expect(listed.exitCode).toBe(0);
  const byPlan = new Map<string, string[]>();
  for (const s of JSON.parse(listed.stdout) as ResticSnapshot[]) {
    const tag = (s.tags ?? []).find((t) => t.startsWith('backstay:plan='))!;
    const plan = tag.slice('backstay:plan='.length);
    byPlan.set(plan, [...(byPlan.get(plan) ?? []), s.id]);
  }
  return byPlan;
}

const locksDir = (w: Workspace) => path.join(w.repoPath, 'locks');

/** A real `restic backup --stdin` whose stdin stays open: it holds a (shared) lock on the repository until ended. */
async function startLockHolder(w: Workspace): Promise<{ child: ResultPromise }> {
  const child = execa('restic', ['backup', '--stdin', '--stdin-filename', 'held.txt'], {
    env: { RESTIC_REPOSITORY: w.repoPath, RESTIC_PASSWORD_FILE: w.passwordFile },
    stdin: 'pipe',
    reject: false,
  });
  // A lock is taken once its file has its name: restic writes "<id>-tmp-<n>" first and renames it. Killed before the
  // rename, it leaves only that temporary file, which is no lock at all (CI once saw the check pass over it, and
  // once saw it left behind after the check).
  await waitUntil(async () => (await readdir(locksDir(w))).some((name) => /^[0-9a-f]{64}$/.test(name)), 20_000, 'restic to take its lock');
  // Wrapped: execa's result is a thenable, and returning it bare would wait for restic to exit.
  return { child };
}

describe('retention with real restic', () => {
  it('keeps exactly keepLast snapshots of the plan and leaves another plan in the same repository alone', async () => {
    // Both plans back up the same folder, so only the plan tag tells their snapshots apart: a forget that is not
    // restricted to its plan (or groups by paths) would take "other"'s snapshots into its keep-last count.
    const { ws, engine } = await setup();
    const plans = (keep2Retention: { keepLast: number } | null) => [
      { id: 'keep2', repo: 'local', paths: [ws.sourceDir], retention: keep2Retention },
      { id: 'other', repo: 'local', paths: [ws.sourceDir] },
    ];
    // The rules are switched on before the fourth backup of keep2, so one forget does the work (fewer restic runs
    // on a slow machine); after each backup of a plan with rules is what backup.test.ts shows.
    await ws.writeConfig({ plans: plans(null) });
    await engine.reloadConfig();
    const order = ['other', 'keep2', 'other', 'keep2', 'other', 'keep2', 'keep2'];
    const done: Operation[] = [];
    for (const [i, planId] of order.entries()) {
      if (i === order.length - 1) {
        await ws.writeConfig({ plans: plans({ keepLast: 2 }) });
        await engine.reloadConfig();
      }
      await writeFile(path.join(ws.sourceDir, 'changing.txt'), `run ${i}`); // each snapshot has new content
      const op = await backup(engine, planId);
      expect(op.status, JSON.stringify(op.error)).toBe('success');
      done.push(op);
    }
    await settle(engine);

    const forgets = engine.store.list({ kind: 'forget' });
    expect(forgets).toHaveLength(1);
    const forget = forgets[0]!;
    expect(forget.status, JSON.stringify(forget.error)).toBe('success');
    expect(forget.trigger).toBe('system');
    expect(forget.planId).toBe('keep2');
    expect(forget.summary).toEqual({ kept: 2, removed: 2 });

    const byPlan = await snapshotsByPlan(ws);
    const keep2 = byPlan.get('keep2') ?? [];
    expect(keep2).toHaveLength(2);
    // The two kept are the two newest backups of the plan.
    const newest = done.filter((op) => op.planId === 'keep2').slice(-2).map((op) => op.snapshotId!);
    for (const id of newest) expect(keep2.some((full) => full.startsWith(id) || id.startsWith(full))).toBe(true);
    const otherIds = done.filter((op) => op.planId === 'other').map((op) => op.snapshotId!);
    expect(byPlan.get('other') ?? []).toHaveLength(3);
    for (const id of otherIds) expect((byPlan.get('other') ?? []).some((full) => full.startsWith(id) || id.startsWith(full))).toBe(true);
  });
});

describe('repository actions through the RPC table', () => {
  it('prune, check, unlock, repair index and stats succeed on a healthy repository, each an operation with its output', async () => {
    const { ws, engine } = await setup();
    expect((await backup(engine, 'home')).status).toBe('success');

    // Queued all at once: they run one after another on the repository's queue.
    const methods = ['repos.prune', 'repos.check', 'repos.unlock', 'repos.repairIndex', 'repos.stats'] as const;
    const kinds = ['prune', 'check', 'unlock', 'repairIndex', 'stats'];
    const ids: number[] = [];
    for (const method of methods) ids.push((await engine.rpc.invoke(method, { repoId: 'local' })).opId);
    const ops = await Promise.all(ids.map((id) => engine.orchestrator.waitFor(id)));

    for (const [i, op] of ops.entries()) {
      expect(op.kind).toBe(kinds[i]);
      expect(op.status, `${op.kind}: ${JSON.stringify(op.error)}`).toBe('success');
      expect(op.error).toBeNull();
      expect(op.trigger).toBe('manual');
      expect(op.repoId).toBe('local');
      const stored = (await engine.rpc.invoke('ops.get', { opId: op.id })) as Operation;
      expect(stored.status).toBe('success');
      expect(stored.endedAt).not.toBeNull();
      const { lines } = await engine.rpc.invoke('ops.log', { opId: op.id });
      // The command Backstay ran is logged, without the password.
      expect(lines.some((l) => l.stream === 'backstay' && l.text.startsWith('restic '))).toBe(true);
      expect(JSON.stringify(lines)).not.toContain(ws.password);
      if (op.kind !== 'stats') {
        // What restic itself printed (stats prints one JSON object, which becomes the summary instead).
        expect(lines.some((l) => l.stream !== 'backstay' && l.text.trim() !== ''), `${op.kind} output`).toBe(true);
      }
    }
    const byKind = new Map(ops.map((op) => [op.kind, op]));
    const logText = async (kind: string) =>
      (await engine.rpc.invoke('ops.log', { opId: byKind.get(kind as Operation['kind'])!.id })).lines.map((l) => l.text).join('\n');
    expect(await logText('check')).toMatch(/no errors were found/);
    expect(await logText('unlock')).toMatch(/successfully removed locks/);
    // restic 0.14 has no `repair index`; Backstay runs `rebuild-index` there.
    expect(await logText('repairIndex')).toMatch(/restic .*rebuild-index/);

    const stats = byKind.get('stats')!;
    const statsSummary = summaryOf(stats, 'stats');
    expect(statsSummary).not.toBeNull();
    expect(Number(statsSummary!.totalSize)).toBeGreaterThan(0);
    expect(Number(statsSummary!.snapshotsCount)).toBe(1);
    expect(Number(statsSummary!.totalBlobCount)).toBeGreaterThan(0);
    // Nothing is left locked.
    expect(await readdir(locksDir(ws))).toEqual([]);
  });
});

describe('repository locks', () => {
  it('removes the stale lock of a killed restic before the next exclusive operation, which then succeeds', async () => {
    const { ws, engine } = await setup();
    const { child: killed } = await startLockHolder(ws);
    killed.kill('SIGKILL');
    await killed;
    expect(await readdir(locksDir(ws))).toHaveLength(1);
    // (restic 0.14's own check refuses such a lock with "already locked"; what matters is that Backstay removes it
    // before it runs.)

    const { opId } = await engine.rpc.invoke('repos.check', { repoId: 'local' });
    const check = await engine.orchestrator.waitFor(opId);
    expect(check.status, JSON.stringify(check.error)).toBe('success');
    const { lines } = await engine.rpc.invoke('ops.log', { opId });
    expect(lines.some((l) => l.stream === 'backstay' && /removed stale locks before check: exit 0/.test(l.text))).toBe(true);
    expect(await readdir(locksDir(ws))).toEqual([]);
  });

  it('ends an exclusive operation error REPOSITORY_LOCKED, naming the live restic that holds the lock', async () => {
    const { ws, engine } = await setup();
    const holder = (await startLockHolder(ws)).child;
    fixture.onTeardown(async () => {
      holder.kill('SIGKILL');
      await holder.catch(() => undefined);
    });
    const holderPid = holder.pid!;

    const { opId } = await engine.rpc.invoke('repos.prune', { repoId: 'local' });
    const prune = await engine.orchestrator.waitFor(opId);
    expect(prune.status).toBe('error');
    expect(prune.error?.code).toBe('REPOSITORY_LOCKED');
    expect(prune.error?.message).toContain(`PID ${holderPid}`);
    expect(prune.error?.message).toMatch(/locked by another restic process/);
    expect(engine.state().repos.find((r) => r.id === 'local')?.health).toBe('locked');
    // The unlock before it removed only stale locks: the live process keeps its lock.
    expect(await readdir(locksDir(ws))).toHaveLength(1);

    // Once the holder ends, the same operation succeeds.
    holder.stdin!.end('held data\n');
    expect((await holder).exitCode).toBe(0);
    const again = await engine.orchestrator.waitFor((await engine.rpc.invoke('repos.prune', { repoId: 'local' })).opId);
    expect(again.status, JSON.stringify(again.error)).toBe('success');
  });
});

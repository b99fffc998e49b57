// Mirrors (issue 15), with real restic: a plan's snapshots are copied after each backup to two local repositories
// and an `rclone serve restic` one; retention on a mirror removes only that plan's snapshots there; a frozen mirror
// shows the copy stalled and cancel ends it in bounded time; the lag is right while a mirror is offline and catches
// up once it is back; two plans mirroring each other's repositories both finish; bad input is refused clearly.
import path from 'node:path';
import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { MirrorState, Operation } from '../../main/common/index.js';
import { BackstayError, FieldIssuesError } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();

interface Snap {
  id: string;
  short_id: string;
  original?: string;
  tags?: string[];
}

async function snapshotsOf(ws: Workspace, uri: string, tag?: string): Promise<Snap[]> {
  const r = await ws.restic(['snapshots', '--json', ...(tag ? ['--tag', tag] : [])], uri);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Snap[];
}

/** Resolves once nothing is queued or running (follow-ups included: a copy queues its mirror's forget). */
async function settled(engine: EngineInternals, timeoutMs = 60_000): Promise<void> {
  await waitUntil(() => engine.state().running.length === 0, timeoutMs, 'every operation to end');
}

async function backup(engine: EngineInternals, planId: string): Promise<Operation> {
  const { opId } = await engine.rpc.invoke('plans.backup', { planId });
  return engine.orchestrator.waitFor(opId);
}

function mirrorsOf(engine: EngineInternals, planId: string): MirrorState[] {
  return engine.state().plans.find((p) => p.id === planId)?.mirrors ?? [];
}

const copies = (engine: EngineInternals, planId?: string) => engine.store.list({ kind: 'copy', ...(planId ? { planId } : {}) });

async function startWith(ws: Workspace, config: Parameters<Workspace['writeConfig']>[0]): Promise<EngineInternals> {
  await ws.writeConfig(config);
  return fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
}

// Several restic runs each (backups, copies, forgets): generous bounds for a loaded machine.
const SLOW = 150_000;

describe('mirrors: restic copy of a plan to other repositories', () => {
  it('a backup is copied to a local and an rclone mirror; their snapshot lists match the plan, another plan is not copied', async () => {
    const ws = await fixture.workspace({ files: 3 });
    const rclone = await fixture.serveOverHttp(ws);
    const usbPath = path.join(ws.root, 'usb');
    const password = { file: ws.passwordFile };
    const engine = await startWith(ws, {
      repos: [
        { id: 'local', uri: ws.repoPath, password },
        { id: 'usb', uri: usbPath, password },
        { id: 'http', uri: rclone.uri, password },
      ],
      plans: [
        { id: 'home', repo: 'local', paths: [ws.sourceDir], mirrors: [{ repo: 'usb' }, { repo: 'http' }] },
        { id: 'work', repo: 'local', paths: [ws.sourceDir] },
      ],
    });
    // Created from Backstay as a mirror: the source's chunker parameters, so that copies deduplicate.
    await engine.rpc.invoke('repos.init', { repoId: 'usb', copyChunkerParamsFrom: 'local' });
    const polynomial = async (uri: string) => (JSON.parse((await ws.restic(['cat', 'config'], uri)).stdout) as { chunker_polynomial: string }).chunker_polynomial;
    expect(await polynomial(usbPath)).toBe(await polynomial(ws.repoPath));

    expect((await backup(engine, 'work')).status).toBe('success');
    expect(copies(engine)).toHaveLength(0); // no mirrors, no copy
    const first = await backup(engine, 'home');
    expect(first.status).toBe('success');
    await settled(engine);
    await appendFile(path.join(ws.sourceDir, 'file-0.bin'), 'changed');
    expect((await backup(engine, 'home')).status).toBe('success');
    await settled(engine);

    const done = copies(engine, 'home');
    expect(done.map((op) => [op.repoId, op.status, op.params]).sort()).toEqual([
      ['http', 'success', { sourceRepoId: 'local' }],
      ['http', 'success', { sourceRepoId: 'local' }],
      ['usb', 'success', { sourceRepoId: 'local' }],
      ['usb', 'success', { sourceRepoId: 'local' }],
    ]);
    // Each copy brought exactly the new snapshot, and names the mirror's copy of it.
    for (const op of done) {
      expect(op.summary).toMatchObject({ snapshotsCopied: 1 });
      // restic's "N / M packs copied", read as progress (packs as files).
      expect(op.progress).toMatchObject({ percent: 1, filesDone: expect.any(Number), totalFiles: expect.any(Number) });
      expect(op.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);
    }

    const planSnapshots = (await snapshotsOf(ws, ws.repoPath, 'backstay:plan=home')).map((s) => s.id).sort();
    expect(planSnapshots).toHaveLength(2);
    for (const uri of [usbPath, rclone.uri]) {
      const mirrored = await snapshotsOf(ws, uri);
      expect(mirrored.map((s) => s.original).sort()).toEqual(planSnapshots);
      expect(mirrored.every((s) => s.tags?.includes('backstay:plan=home'))).toBe(true);
    }
    expect(mirrorsOf(engine, 'home')).toEqual([
      expect.objectContaining({ repo: 'usb', behindSnapshots: 0, behindSince: null, status: 'ok', lastCopyAt: expect.any(String) }),
      expect.objectContaining({ repo: 'http', behindSnapshots: 0, behindSince: null, status: 'ok', lastCopyAt: expect.any(String) }),
    ]);
    expect(engine.state().status?.reasons.some((r) => r.kind.startsWith('mirror-'))).toBe(false);
  }, SLOW);

  it("mirror retention forgets only that plan's snapshots on that mirror", async () => {
    const ws = await fixture.workspace({ files: 2 });
    const usbPath = path.join(ws.root, 'usb');
    expect((await ws.restic(['init'], usbPath)).exitCode).toBe(0);
    const password = { file: ws.passwordFile };
    const engine = await startWith(ws, {
      repos: [
        { id: 'local', uri: ws.repoPath, password },
        { id: 'usb', uri: usbPath, password },
      ],
      plans: [
        { id: 'home', repo: 'local', paths: [ws.sourceDir], mirrors: [{ repo: 'usb', retention: { keepLast: 1 } }] },
        { id: 'work', repo: 'local', paths: [ws.sourceDir], mirrors: [{ repo: 'usb' }] },
      ],
    });
    for (const planId of ['work', 'work', 'home', 'home', 'home']) {
      await appendFile(path.join(ws.sourceDir, 'file-0.bin'), planId);
      expect((await backup(engine, planId)).status).toBe('success');
      await settled(engine);
    }
    const forgets = engine.store.list({ kind: 'forget' });
    expect(forgets.length).toBe(3); // after each copy of home, none after work's
    expect(forgets.every((op) => op.repoId === 'usb' && op.planId === 'home' && op.status === 'success')).toBe(true);
    expect(await snapshotsOf(ws, usbPath, 'backstay:plan=home')).toHaveLength(1);
    expect(await snapshotsOf(ws, usbPath, 'backstay:plan=work')).toHaveLength(2);
    // The source keeps what its own (absent) retention keeps: everything.
    expect(await snapshotsOf(ws, ws.repoPath, 'backstay:plan=home')).toHaveLength(3);
  }, SLOW);

  it('a frozen mirror: the copy stalls, cancel ends it in bounded time, the lag counts what it lacks and catches up once back', async () => {
    const ws = await fixture.workspace({ files: 2 });
    const rclone = await fixture.serveOverHttp(ws);
    const password = { file: ws.passwordFile };
    const engine = await startWith(ws, {
      repos: [
        { id: 'local', uri: ws.repoPath, password },
        { id: 'http', uri: rclone.uri, password },
      ],
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], mirrors: [{ repo: 'http', warnAfterDays: 1 }] }],
      settings: { stallAfterSeconds: 2, cancelGraceSeconds: 2 },
    });
    expect((await backup(engine, 'home')).status).toBe('success');
    await settled(engine);
    expect(mirrorsOf(engine, 'home')[0]).toMatchObject({ behindSnapshots: 0, status: 'ok' });

    rclone.freeze();
    for (const n of [1, 2]) {
      await appendFile(path.join(ws.sourceDir, 'file-1.bin'), `more ${n}`);
      const saved = await backup(engine, 'home');
      expect(saved.status).toBe('success');
      const copy = copies(engine, 'home')[0]!;
      expect(copy.status === 'queued' || copy.status === 'running').toBe(true);
      await waitUntil(() => engine.state().running.some((r) => r.opId === copy.id && r.status === 'stalled'), 20_000, 'the copy to be stalled');
      const asked = Date.now();
      await engine.rpc.invoke('ops.cancel', { opId: copy.id });
      const ended = await engine.orchestrator.waitFor(copy.id);
      const tookMs = Date.now() - asked;
      expect(ended.status).toBe('cancelled');
      expect(tookMs).toBeLessThan(15_000); // grace 2 s + SIGTERM 3 s + SIGKILL wait 5 s
      // The lag counts both backups since the last copy that worked, from the older one; a cancel is no failure.
      const lag = mirrorsOf(engine, 'home')[0]!;
      expect(lag).toMatchObject({ repo: 'http', behindSnapshots: n, status: 'behind', behindSince: expect.any(String) });
    }
    const [older] = engine.store.list({ kind: 'backup', planId: 'home', limit: 2 }).reverse();
    expect(mirrorsOf(engine, 'home')[0]!.behindSince).toBe(older!.endedAt);

    rclone.thaw();
    await settled(engine, 40_000); // the unlock after a forced cancel, if any, reaches the thawed backend
    const { opId } = await engine.rpc.invoke('plans.copyNow', { planId: 'home', repo: 'http' });
    const caughtUp = await engine.orchestrator.waitFor(opId);
    expect(caughtUp.status).toBe('success');
    expect(caughtUp.summary).toMatchObject({ snapshotsCopied: 2 });
    await settled(engine);
    expect(mirrorsOf(engine, 'home')[0]).toMatchObject({ behindSnapshots: 0, behindSince: null, status: 'ok' });
    const local = (await snapshotsOf(ws, ws.repoPath)).map((s) => s.id).sort();
    expect((await snapshotsOf(ws, rclone.uri)).map((s) => s.original).sort()).toEqual(local);
  }, SLOW);

  it('two plans mirroring each other: copies in opposite directions both finish, one after the other', async () => {
    const ws = await fixture.workspace({ files: 2 });
    const otherPath = path.join(ws.root, 'other');
    expect((await ws.restic(['init'], otherPath)).exitCode).toBe(0);
    const password = { file: ws.passwordFile };
    const engine = await startWith(ws, {
      repos: [
        { id: 'one', uri: ws.repoPath, password },
        { id: 'two', uri: otherPath, password },
      ],
      plans: [
        { id: 'a', repo: 'one', paths: [ws.sourceDir], mirrors: [{ repo: 'two', schedule: { everyMinutes: 1440 } }] },
        { id: 'b', repo: 'two', paths: [ws.sourceDir], mirrors: [{ repo: 'one', schedule: { everyMinutes: 1440 } }] },
      ],
      settings: { maxParallelOperations: 4 },
    });
    expect((await backup(engine, 'a')).status).toBe('success');
    expect((await backup(engine, 'b')).status).toBe('success');
    expect(copies(engine)).toHaveLength(0); // scheduled mirrors are not copied after a backup
    // Queued in the same tick, each needing both repositories, in opposite orders.
    const ab = (await engine.rpc.invoke('plans.copyNow', { planId: 'a' })).opId;
    const ba = (await engine.rpc.invoke('plans.copyNow', { planId: 'b' })).opId;
    const [x, y] = await Promise.all([engine.orchestrator.waitFor(ab), engine.orchestrator.waitFor(ba)]);
    expect([x.status, y.status]).toEqual(['success', 'success']);
    expect(Date.parse(x.endedAt!)).toBeLessThanOrEqual(Date.parse(y.startedAt!));
    expect(await snapshotsOf(ws, otherPath, 'backstay:plan=a')).toHaveLength(1);
    expect(await snapshotsOf(ws, ws.repoPath, 'backstay:plan=b')).toHaveLength(1);

    // The queues keep their order: backups on either repository queued after a copy wait for it to end.
    const copy = engine.orchestrator.enqueue({ kind: 'copy', repoId: 'two', planId: 'a', trigger: 'manual', params: { sourceRepoId: 'one' } });
    const onSource = engine.orchestrator.enqueue({ kind: 'backup', repoId: 'one', planId: 'a', trigger: 'manual' });
    const onMirror = engine.orchestrator.enqueue({ kind: 'backup', repoId: 'two', planId: 'b', trigger: 'manual' });
    const [c, s1, s2] = await Promise.all([copy, onSource, onMirror].map((op) => engine.orchestrator.waitFor(op.id)));
    expect([c!.status, s1!.status, s2!.status]).toEqual(['success', 'success', 'success']);
    expect(Date.parse(s1!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(c!.endedAt!));
    expect(Date.parse(s2!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(c!.endedAt!));
  }, SLOW);
});

describe('mirrors: bad input', () => {
  async function twoRepos(extra: { usbPassword?: string } = {}) {
    const ws = await fixture.workspace({ files: 1 });
    const usbPath = path.join(ws.root, 'usb');
    expect((await ws.restic(['init'], usbPath)).exitCode).toBe(0);
    const wrongFile = path.join(ws.root, 'wrong-password');
    await appendFile(wrongFile, extra.usbPassword ?? ws.password);
    const engine = await startWith(ws, {
      repos: [
        { id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile } },
        { id: 'usb', uri: usbPath, password: { file: wrongFile } },
      ],
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir] }],
    });
    return { ws, engine, usbPath };
  }

  it.each([
    ['the plan’s own repository', [{ repo: 'local' }], [{ path: ['plan', 'mirrors', 0, 'repo'], code: 'mirror_is_own_repo' }]],
    ['a repository that does not exist', [{ repo: 'usb' }, { repo: 'nowhere' }], [{ path: ['plan', 'mirrors', 1, 'repo'], code: 'unknown_repo' }]],
    ['the same repository twice', [{ repo: 'usb' }, { repo: 'usb' }], [{ path: ['plan', 'mirrors', 1, 'repo'], code: 'mirror_twice' }]],
    ['warnAfterDays of 0', [{ repo: 'usb', warnAfterDays: 0 }], [{ path: ['plan', 'mirrors', 0, 'warnAfterDays'], code: 'too_small' }]],
  ])('saving a plan whose mirror is %s is refused, naming the field', async (_what, mirrors, expected) => {
    const { ws, engine } = await twoRepos();
    const error = await engine.rpc
      .invoke('config.savePlan', { plan: { id: 'home', repo: 'local', paths: [ws.sourceDir], mirrors } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldIssuesError);
    expect((error as FieldIssuesError).issues.map((i) => ({ path: i.path, code: i.code }))).toEqual(expected);
    expect(engine.config().plans[0]!.mirrors).toBeUndefined();
  });

  it('copyNow to a repository that is not a mirror, or for a plan without mirrors, is refused', async () => {
    const { engine } = await twoRepos();
    const codeOf = (p: Promise<unknown>) => p.then(() => 'none', (e: unknown) => (e instanceof BackstayError ? e.code : String(e)));
    expect(await codeOf(engine.rpc.invoke('plans.copyNow', { planId: 'nope' }))).toBe('UNKNOWN_PLAN');
    expect(await codeOf(engine.rpc.invoke('plans.copyNow', { planId: 'home' }))).toBe('BAD_PARAMS'); // no mirrors
    await engine.mutateConfig((c) => {
      c.plans[0]!.mirrors = [{ repo: 'usb', retention: null, schedule: null, warnAfterDays: 3 }];
    });
    expect(await codeOf(engine.rpc.invoke('plans.copyNow', { planId: 'home', repo: 'local' }))).toBe('MIRROR_INVALID');
    expect(copies(engine)).toHaveLength(0);
    // A repository that is a plan's mirror is in use: it cannot be removed from under the plan.
    // So is the one a plan backs up to; both say so with their own code (words: "A plan still uses this repository").
    expect(await codeOf(engine.rpc.invoke('config.deleteRepo', { repoId: 'usb' }))).toBe('REPO_IN_USE');
    expect(await codeOf(engine.rpc.invoke('config.deleteRepo', { repoId: 'local' }))).toBe('REPO_IN_USE');
    expect(engine.config().repos.map((r) => r.id)).toEqual(expect.arrayContaining(['local', 'usb']));
  });

  it('a mirror with the wrong password: the copy fails with WRONG_PASSWORD naming both repositories, nothing is copied', async () => {
    const { ws, engine, usbPath } = await twoRepos({ usbPassword: 'not-the-password' });
    await engine.mutateConfig((c) => {
      c.plans[0]!.mirrors = [{ repo: 'usb', retention: null, schedule: null, warnAfterDays: 3 }];
    });
    expect((await backup(engine, 'home')).status).toBe('success');
    await settled(engine);
    const [copy] = copies(engine, 'home');
    expect(copy).toMatchObject({ status: 'error', error: { code: 'WRONG_PASSWORD' } });
    expect(copy!.error!.message).toContain('"usb"');
    expect(copy!.error!.message).toContain('"local"');
    expect(mirrorsOf(engine, 'home')[0]).toMatchObject({ status: 'failed', behindSnapshots: 1, lastErrorCode: 'WRONG_PASSWORD' });
    expect(engine.state().status?.reasons).toContainEqual(expect.objectContaining({ kind: 'mirror-failed', planId: 'home', repoId: 'usb' }));
    const listed = await ws.restic(['snapshots', '--json'], usbPath);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });
});

// Restore tests (`verify`) and checks through the engine, against real restic 0.14 (issue 15): a test passes on a
// healthy repository; after one pack file is damaged on disk the test and the check fail naming the damage and
// nothing reports the plan as restorable; once the pack is put back, later ones pass and clear it. Bad budgets are
// refused at save; a source file changed since the snapshot is skipped, not failed.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FieldIssuesError, summaryOf, type Operation } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();

const FILES = 12;
const FILE_BYTES = 64 * 1024;

async function setup(verify: Record<string, unknown> = { schedule: null, files: 50, maxMiB: 10 }) {
  const ws = await fixture.workspace({ files: 0 });
  await mkdir(path.join(ws.sourceDir, 'sub'), { recursive: true });
  for (let i = 0; i < FILES; i += 1) {
    await writeFile(path.join(ws.sourceDir, i % 2 ? 'sub' : '', `f${i}.bin`), randomBytes(FILE_BYTES));
  }
  await ws.writeConfig({
    repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, maintenance: { checkReadDataSubset: '100%' } }],
    plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], verify }],
  });
  const engine = await startEngine(ws);
  const backup = await run(engine, 'plans.backup');
  expect(backup.status).toBe('success');
  return { ws, engine };
}

const startEngine = (ws: Workspace) => fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });

async function run(engine: EngineInternals, method: 'plans.backup' | 'plans.verifyNow'): Promise<Operation> {
  const { opId } = await engine.rpc.invoke(method, { planId: 'home' });
  return engine.orchestrator.waitFor(opId);
}

/** "Check now": with the repository's checkReadDataSubset ("100%" here), so it reads the packs. */
async function check(engine: EngineInternals): Promise<Operation> {
  const { opId } = await engine.rpc.invoke('repos.check', { repoId: 'local' });
  return engine.orchestrator.waitFor(opId);
}

/** The temp folder the restore test restored into, from its log line ("restic ... --target DIR ..."). */
function restoreTarget(engine: EngineInternals, opId: number): string {
  const line = engine.store.readLog(opId).find((l) => l.text.includes(' restore ') && l.text.includes('--target'));
  expect(line, 'the restore command is in the log').toBeDefined();
  return /--target (\S+)/.exec(line!.text)![1]!;
}

/** Overwrites bytes in the middle of the largest pack (the file data); returns how to put them back. */
async function damageLargestPack(ws: Workspace): Promise<() => Promise<void>> {
  const dataDir = path.join(ws.repoPath, 'data');
  const packs: { file: string; size: number }[] = [];
  for (const sub of await readdir(dataDir)) {
    for (const name of await readdir(path.join(dataDir, sub))) {
      const file = path.join(dataDir, sub, name);
      packs.push({ file, size: (await stat(file)).size });
    }
  }
  packs.sort((a, b) => b.size - a.size);
  const { file, size } = packs[0]!;
  const original = await readFile(file);
  await chmod(file, 0o600);
  const handle = await open(file, 'r+');
  await handle.write(Buffer.alloc(256, 0xee), 0, 256, Math.floor(size / 2));
  await handle.close();
  return async () => {
    await writeFile(file, original);
    await chmod(file, 0o400);
  };
}

const planState = (engine: EngineInternals) => engine.state().plans.find((p) => p.id === 'home')!;
const repoState = (engine: EngineInternals) => engine.state().repos.find((r) => r.id === 'local')!;
const reasonKinds = (engine: EngineInternals) => engine.state().status?.reasons.map((r) => r.kind) ?? [];

describe('restore tests against real restic', () => {
  it('pass on a healthy repository: every sampled file restored, compared, and the temp folder removed', async () => {
    const { engine } = await setup();
    const op = await run(engine, 'plans.verifyNow');
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    const summary = summaryOf(op, 'verify')!;
    expect(summary).toMatchObject({ filesChecked: FILES, bytesChecked: FILES * FILE_BYTES, filesSkipped: 0, failures: [] });
    expect(op.snapshotId).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.snapshotId).toBe(op.snapshotId);
    expect(existsSync(restoreTarget(engine, op.id))).toBe(false);
    expect(planState(engine).lastVerified).toMatchObject({ ok: true, files: FILES, bytes: FILES * FILE_BYTES, snapshotId: op.snapshotId, opId: op.id });
    expect(engine.state().status?.level).toBe('ok');
  });

  it('respect the budget: at most `files` files and `maxMiB` MiB', async () => {
    const { engine } = await setup({ schedule: null, files: 5, maxMiB: 1 });
    const op = await run(engine, 'plans.verifyNow');
    expect(op.status).toBe('success');
    expect(summaryOf(op, 'verify')).toMatchObject({ filesChecked: 5, bytesChecked: 5 * FILE_BYTES });
    const tight = await setup({ schedule: null, files: 50, maxMiB: 1 });
    await writeFile(path.join(tight.ws.sourceDir, 'big.bin'), randomBytes(900 * 1024));
    expect((await run(tight.engine, 'plans.backup')).status).toBe('success');
    const limited = await run(tight.engine, 'plans.verifyNow');
    expect(summaryOf(limited, 'verify')!.bytesChecked).toBeLessThanOrEqual(1024 * 1024);
  });

  it('skip a source file changed since the snapshot instead of failing it', async () => {
    const { ws, engine } = await setup();
    await appendFile(path.join(ws.sourceDir, 'f0.bin'), 'changed after the backup');
    const op = await run(engine, 'plans.verifyNow');
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    expect(summaryOf(op, 'verify')).toMatchObject({ filesChecked: FILES - 1, filesSkipped: 1, failures: [] });
  });

  it('fail, naming the damage, after a pack is corrupted; nothing says restorable; a later passing test clears it', async () => {
    const { ws, engine } = await setup();
    expect((await run(engine, 'plans.verifyNow')).status).toBe('success');
    expect(planState(engine).lastVerified?.ok).toBe(true);
    const repair = await damageLargestPack(ws);

    const failed = await run(engine, 'plans.verifyNow');
    expect(failed.status).toBe('error');
    expect(failed.error?.code).toBe('VERIFY_FAILED');
    const failures = summaryOf(failed, 'verify')!.failures!;
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f.path.startsWith(ws.sourceDir)).toBe(true);
    expect(failures.map((f) => f.reason).join('\n')).toMatch(/ciphertext verification failed|differs/);
    expect(failed.error?.message).toContain(failures[0]!.path);
    expect(existsSync(restoreTarget(engine, failed.id))).toBe(false);
    expect(planState(engine).lastVerified).toMatchObject({ ok: false, opId: failed.id, errorCode: 'VERIFY_FAILED' });
    expect(engine.state().status?.level).toBe('error');
    expect(reasonKinds(engine)).toContain('verify-failed');

    const checkFailed = await check(engine);
    expect(checkFailed.status).toBe('error');
    expect(repoState(engine)).toMatchObject({ lastCheckOk: false, lastCheckedAt: checkFailed.endedAt });
    expect(reasonKinds(engine)).toContain('check-failed');

    // A restart reads the same from the oplog: still not proven.
    await engine.shutdown();
    const again = await startEngine(ws);
    expect(planState(again).lastVerified).toMatchObject({ ok: false, opId: failed.id });
    expect(repoState(again).lastCheckOk).toBe(false);
    expect(again.state().status?.level).toBe('error');

    await repair();
    const passed = await run(again, 'plans.verifyNow');
    expect(passed.status, JSON.stringify(passed.error)).toBe('success');
    expect(planState(again).lastVerified).toMatchObject({ ok: true, opId: passed.id, files: FILES });
    expect(reasonKinds(again)).not.toContain('verify-failed');
    const checkPassed = await check(again);
    expect(checkPassed.status).toBe('success');
    expect(repoState(again).lastCheckOk).toBe(true);
    expect(reasonKinds(again)).not.toContain('check-failed');
  });

  it('a queued test whose snapshot went away before it ran ends NOTHING_TO_VERIFY and proves nothing either way', async () => {
    // plans.verifyNow and the schedule refuse a plan without a snapshot (nothing-to-verify.test.ts); this is the
    // operation queued before the plan's only snapshot was forgotten by hand.
    const ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], verify: { schedule: null } }] });
    const engine = await startEngine(ws);
    const queued = engine.orchestrator.enqueue({ kind: 'verify', repoId: 'local', planId: 'home', trigger: 'manual' });
    const op = await engine.orchestrator.waitFor(queued.id);
    expect(op.status).toBe('error');
    expect(op.error?.code).toBe('NOTHING_TO_VERIFY');
    expect(op.error?.message).toMatch(/"home" has no snapshot yet/);
    expect(planState(engine).lastVerified ?? null).toBeNull();
    expect(reasonKinds(engine)).not.toContain('verify-failed');
  });
});

describe('restore test budgets are checked at save', () => {
  const cases: { name: string; verify: Record<string, unknown>; path: (string | number)[]; code: string }[] = [
    { name: 'files 0', verify: { files: 0 }, path: ['plan', 'verify', 'files'], code: 'too_small' },
    { name: 'files negative', verify: { files: -5 }, path: ['plan', 'verify', 'files'], code: 'too_small' },
    { name: 'files not whole', verify: { files: 2.5 }, path: ['plan', 'verify', 'files'], code: 'not_whole_number' },
    { name: 'maxMiB 0', verify: { maxMiB: 0 }, path: ['plan', 'verify', 'maxMiB'], code: 'too_small' },
    { name: 'maxMiB negative', verify: { maxMiB: -1 }, path: ['plan', 'verify', 'maxMiB'], code: 'too_small' },
    { name: 'files too many', verify: { files: 10_001 }, path: ['plan', 'verify', 'files'], code: 'too_big' },
    { name: 'an unknown key', verify: { file: 3 }, path: ['plan', 'verify', 'file'], code: 'unknown_key' },
  ];
  it.each(cases)('$name is refused on its field and config.json is unchanged', async ({ verify, path: fieldPath, code }) => {
    const ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig();
    const engine = await startEngine(ws);
    const before = await readFile(path.join(ws.dataDir, 'config.json'), 'utf8');
    const error = await engine.rpc
      .invoke('config.savePlan', { plan: { id: 'home', repo: 'local', paths: [ws.sourceDir], verify } as never })
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(FieldIssuesError);
    const issues = (error as FieldIssuesError).issues;
    expect(issues.map((i) => [i.path, i.code])).toContainEqual([fieldPath, code]);
    expect(issues.find((i) => i.code === code)?.message).toMatch(/verify\.|unknown|unrecognized/i);
    expect(await readFile(path.join(ws.dataDir, 'config.json'), 'utf8')).toBe(before);
  });

  it('a verify without a schedule is weekly; its budget defaults to 50 files and 200 MiB', async () => {
    const ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig();
    const engine = await startEngine(ws);
    await engine.rpc.invoke('config.savePlan', { plan: { id: 'home', repo: 'local', paths: [ws.sourceDir], verify: {} } });
    expect(engine.config().plans[0]!.verify).toEqual({ schedule: { everyMinutes: 7 * 24 * 60 }, files: 50, maxMiB: 200 });
  });
});

describe('a restore test that is cancelled', () => {
  it('ends cancelled in bounded time on a frozen backend, and its temp folder is removed', async () => {
    const ws = await fixture.workspace({ init: false, files: 0 });
    for (let i = 0; i < 4; i += 1) await writeFile(path.join(ws.sourceDir, `f${i}.bin`), randomBytes(2 * 1024 * 1024));
    const rclone = await fixture.serveOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'local', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], verify: { schedule: null } }],
      settings: { cancelGraceSeconds: 2 },
    });
    // The restore test's private folders go under os.tmpdir(): point it at this test's own folder to watch it.
    const tmp = path.join(ws.root, 'tmp');
    await mkdir(tmp);
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    fixture.onTeardown(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    });
    const engine = await startEngine(ws);
    expect((await run(engine, 'plans.backup')).status).toBe('success');

    const { opId } = await engine.rpc.invoke('plans.verifyNow', { planId: 'home' });
    const folders = async () => (await readdir(tmp)).filter((n) => n.startsWith('backstay-verify-'));
    await waitFor(async () => (await folders()).length > 0, 30_000, 'the restore test to make its folder');
    rclone.freeze();
    const frozenAt = Date.now();
    expect(engine.orchestrator.cancel(opId)).toBe(true);
    const op = await engine.orchestrator.waitFor(opId);
    const tookS = (Date.now() - frozenAt) / 1000;
    rclone.thaw();
    expect(op.status).toBe('cancelled');
    // SIGINT, 2 s grace, SIGTERM, a few seconds to SIGKILL: bounded, with slack for a loaded machine.
    expect(tookS).toBeLessThan(20);
    expect(await folders()).toEqual([]);
    expect(planState(engine).lastVerified ?? null).toBeNull();
  });
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

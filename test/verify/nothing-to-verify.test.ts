// A restore test of a plan that has no snapshot yet, against real restic 0.14 (an initialised repository): nothing
// is broken, there is simply nothing to test. Asked for by hand (`plans.verifyNow`) it is refused with
// NOTHING_TO_VERIFY and no operation is created; on its schedule it is skipped quietly (no operation, no failed
// proof, the overall status not red) and tried again at the next slot, which runs it once a snapshot exists.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackstayError } from '../../main/common/index.js';
import type { Logger } from '../../main/core/engine-api.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();
afterEach(() => void vi.useRealTimers());

const MIN = 60_000;

/** Polls by the monotonic clock (Date may be faked). */
async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A backup made with restic itself, as another machine or a script would (Backstay's cache does not hear of it). */
async function resticBackup(ws: Workspace, planId: string): Promise<void> {
  const r = await ws.restic(['backup', '--tag', `backstay:plan=${planId}`, ws.sourceDir]);
  expect(r.exitCode, r.stderr).toBe(0);
}

const verifyOps = (engine: EngineInternals) => engine.store.list({ kind: 'verify' });
const planState = (engine: EngineInternals) => engine.state().plans.find((p) => p.id === 'home')!;

async function refusal(call: Promise<unknown>): Promise<BackstayError> {
  const outcome = await call.then(
    (result: unknown) => ({ result }),
    (error: unknown) => ({ error }),
  );
  expect(outcome, 'plans.verifyNow was refused').toHaveProperty('error');
  const error = (outcome as { error: unknown }).error;
  expect(error).toBeInstanceOf(BackstayError);
  return error as BackstayError;
}

describe('plans.verifyNow on a plan without a snapshot', () => {
  const cases: { name: string; before(ws: Workspace): Promise<void> }[] = [
    { name: 'an empty repository', before: async () => undefined },
    { name: "a repository holding only another plan's snapshots", before: (ws) => resticBackup(ws, 'work') },
  ];
  for (const c of cases) {
    it(`is refused with NOTHING_TO_VERIFY and creates no operation: ${c.name}`, async () => {
      const ws = await fixture.workspace({ files: 2 });
      await c.before(ws);
      await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], verify: { schedule: null } }] });
      const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
      const error = await refusal(engine.rpc.invoke('plans.verifyNow', { planId: 'home' }));
      expect(error.code).toBe('NOTHING_TO_VERIFY');
      expect(error.message).toMatch(/"home" has no snapshot yet.*back it up first/);
      expect(verifyOps(engine)).toEqual([]);
      expect(engine.state().running).toEqual([]);
      expect(planState(engine).lastVerified ?? null).toBeNull();
    });
  }

  it('is accepted while a first backup of the plan is queued, and runs after it', async () => {
    const ws = await fixture.workspace({ files: 2 });
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], verify: { schedule: null } }] });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const backup = await engine.rpc.invoke('plans.backup', { planId: 'home' });
    const { opId } = await engine.rpc.invoke('plans.verifyNow', { planId: 'home' });
    expect((await engine.orchestrator.waitFor(backup.opId)).status).toBe('success');
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    expect(planState(engine).lastVerified).toMatchObject({ ok: true, files: 2 });
  });

  it('runs once a snapshot exists, even one saved outside Backstay after it had looked and found none', async () => {
    const ws = await fixture.workspace({ files: 2 });
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], verify: { schedule: null } }] });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    expect((await refusal(engine.rpc.invoke('plans.verifyNow', { planId: 'home' }))).code).toBe('NOTHING_TO_VERIFY');
    await resticBackup(ws, 'home');
    const { opId } = await engine.rpc.invoke('plans.verifyNow', { planId: 'home' });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    expect(planState(engine).lastVerified).toMatchObject({ ok: true, files: 2 });
  });
});

describe('a scheduled restore test of a plan without a snapshot', () => {
  it('is skipped quietly, tried again at the next slot, and runs there once the plan has a snapshot', async () => {
    const ws = await fixture.workspace({ files: 2 });
    await ws.writeConfig({
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], verify: { schedule: { everyMinutes: 60 } } }],
    });
    const skips: Record<string, unknown>[] = [];
    const logger: Logger = {
      ...silentLogger,
      info: (message, fields) => {
        if (/restore test skipped/.test(message)) skips.push(fields ?? {});
      },
    };
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: true, logger, configWatch: false });
    // Only Date is faked: restic and the polling run in real time. A test that never ran is due at once, after the
    // engine's hold at start (see test/engine/queues.test.ts).
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    let clock = 0;
    // In steps of the scheduler's own tick: a longer gap would read as the machine having slept (and hold again).
    const tickAt = (ms: number) => {
      while (clock < ms) {
        clock = Math.min(ms, clock + 15_000);
        vi.setSystemTime(start + clock);
        engine.scheduler!.tick();
      }
    };
    tickAt(61_000);
    await until('the due restore test to be queued or skipped', () => verifyOps(engine).length > 0 || skips.length > 0);
    expect(verifyOps(engine)).toEqual([]);
    expect(skips).toEqual([{ planId: 'home' }]);
    expect(planState(engine).lastVerified ?? null).toBeNull();
    const status = engine.state().status!;
    expect(['error', 'warning']).not.toContain(status.level);
    expect(status.reasons.filter((r) => r.planId === 'home')).toEqual([]);

    tickAt(61_000 + 30 * MIN); // between slots: nothing is tried
    await new Promise((r) => setTimeout(r, 200));
    expect(skips).toHaveLength(1);
    tickAt(61_000 + 60 * MIN); // the next slot: tried again, still nothing to test
    await until('the second skip', () => skips.length === 2 || verifyOps(engine).length > 0);
    expect(verifyOps(engine)).toEqual([]);

    const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home' });
    expect((await engine.orchestrator.waitFor(opId)).status).toBe('success');
    tickAt(61_000 + 120 * MIN);
    const [verify] = await until('the scheduled restore test', () => (verifyOps(engine).length > 0 ? verifyOps(engine) : null));
    expect(verify!.trigger).toBe('schedule');
    const done = await engine.orchestrator.waitFor(verify!.id);
    expect(done.status, JSON.stringify(done.error)).toBe('success');
    expect(skips).toHaveLength(2);
    expect(planState(engine).lastVerified).toMatchObject({ ok: true, files: 2 });
  }, 90_000);
});

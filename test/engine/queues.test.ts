// Queues and schedules in the engine with real restic 0.14 (issue 6, "Tests"): two plans due at once on one
// repository run one after the other; on two repositories they run side by side, within maxParallelOperations;
// and the Scheduler wired into the engine starts a backup with trigger "schedule", once.
import { describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import type { Operation } from '../../main/common/index.js';
import type { Logger } from '../../main/core/engine-api.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();
let ws: Workspace | null = null;
let engine: EngineInternals | null = null;

const ms = (iso: string | null) => Date.parse(iso!);

/** Queues backups of `planIds` in one synchronous step, as one scheduler tick would, and waits for all of them. */
async function runTogether(e: EngineInternals, planIds: string[]): Promise<Operation[]> {
  const ops = planIds.map((planId) => {
    const plan = e.config().plans.find((p) => p.id === planId)!;
    return e.orchestrator.enqueue({ kind: 'backup', repoId: plan.repo, planId, trigger: 'schedule' });
  });
  const done = await Promise.all(ops.map((op) => e.orchestrator.waitFor(op.id)));
  for (const op of done) expect(op.status, `${op.planId}: ${JSON.stringify(op.error)}`).toBe('success');
  // The oplog, not the in-memory result, is the record the user sees.
  return done.map((op) => e.store.get(op.id)!);
}

/** How long two operations ran at the same time (negative: the gap between them). */
function overlapMs(a: Operation, b: Operation): number {
  return Math.min(ms(a.endedAt), ms(b.endedAt)) - Math.max(ms(a.startedAt), ms(b.startedAt));
}

describe('queues with real restic', () => {
  it('runs two plans due at once on one repository one after the other', async () => {
    ws = await fixture.workspace({ files: 3 });
    await ws.writeConfig({
      plans: [
        { id: 'docs', repo: 'local', paths: [ws.sourceDir] },
        { id: 'photos', repo: 'local', paths: [ws.sourceDir] },
      ],
      settings: { maxParallelOperations: 2 },
    });
    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const [first, second] = await runTogether(engine, ['docs', 'photos']);
    // Queued in this order on the repository's queue: the second starts only once the first has ended.
    expect(ms(second!.startedAt)).toBeGreaterThanOrEqual(ms(first!.endedAt));
    expect(overlapMs(first!, second!)).toBeLessThanOrEqual(0);
  });

  it('runs plans on two repositories in parallel, and no more at once than maxParallelOperations', async () => {
    ws = await fixture.workspace({ files: 3 });
    const secondRepo = path.join(ws.root, 'repo2');
    expect((await ws.restic(['init'], secondRepo)).exitCode).toBe(0);
    const config = (maxParallelOperations: number) => ({
      repos: [
        { id: 'local', uri: ws!.repoPath, password: { file: ws!.passwordFile } },
        { id: 'usb', uri: secondRepo, password: { file: ws!.passwordFile } },
      ],
      plans: [
        { id: 'docs', repo: 'local', paths: [ws!.sourceDir] },
        { id: 'photos', repo: 'usb', paths: [ws!.sourceDir] },
      ],
      settings: { maxParallelOperations },
    });
    await ws.writeConfig(config(2));
    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });

    const [a, b] = await runTogether(engine, ['docs', 'photos']);
    // Each restic run takes well over a second here; side by side, they overlap for most of it.
    expect(overlapMs(a!, b!)).toBeGreaterThan(200);

    // The same two with a global limit of 1: one after the other, although the repositories differ.
    await ws.writeConfig(config(1));
    await engine.reloadConfig();
    const [c, d] = await runTogether(engine, ['docs', 'photos']);
    expect(overlapMs(c!, d!)).toBeLessThanOrEqual(0);
  });
});

describe('the scheduler inside the engine', () => {
  it('starts an everyMinutes backup with trigger "schedule" once it is due, and not again while it runs', async () => {
    ws = await fixture.workspace({ files: 3 });
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], schedule: { everyMinutes: 1 } }] });
    const messages: string[] = [];
    const logger: Logger = {
      info: (message) => messages.push(message),
      warn: (message) => messages.push(message),
      error: (message) => messages.push(message),
    };
    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: true, logger });
    const scheduler = engine.scheduler!;
    expect(scheduler).not.toBeNull();
    // A plan that never ran is due at once, but the engine holds schedules for a minute after start (the network
    // may not be up yet) and engine options offer no way to shorten that. So the test moves the wall clock the
    // scheduler reads (Date only: timers, restic and SQLite are untouched) in steps shorter than a "sleep" gap.
    const plan = () => engine!.state().plans.find((p) => p.id === 'home')!;
    expect(plan().nextRunAt).not.toBeNull();
    const start = Date.now();
    fixture.onTeardown(() => vi.useRealTimers());
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const scheduled = () => engine!.store.list({ planId: 'home' }).filter((op) => op.trigger === 'schedule');
    let firedAtS: number | null = null;
    for (const seconds of [30, 55, 61, 62]) {
      vi.setSystemTime(start + seconds * 1000);
      scheduler.tick();
      if (firedAtS === null && scheduled().length > 0) firedAtS = seconds;
    }
    expect(firedAtS).toBe(61); // not during the hold after start, then at the first tick after it
    // Due again a minute after it fired, while the first run has not even started: skipped, not queued twice.
    vi.setSystemTime(start + 91_000);
    scheduler.tick();
    vi.setSystemTime(start + 122_000);
    scheduler.tick();
    expect(messages).toContain('schedule: still running, skipping this run');
    vi.useRealTimers();

    const ops = scheduled();
    expect(ops).toHaveLength(1);
    const op = await engine.orchestrator.waitFor(ops[0]!.id);
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    expect(op.kind).toBe('backup');
    expect(op.trigger).toBe('schedule');
    expect(engine.store.list({ planId: 'home', kind: 'backup' })).toHaveLength(1);
    expect(plan().lastOp?.status).toBe('success');
  });
});

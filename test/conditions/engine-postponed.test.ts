// The engine's scheduled run with a condition, end to end with real restic: the due slot is postponed (state shows
// why and since when, nothing is queued), and the backup runs once, with trigger "schedule", when the condition holds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConditionProbes, PowerReading } from '../../main/core/conditions/probes.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();
afterEach(() => void vi.useRealTimers());

async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a scheduled backup with conditions, in the engine', () => {
  it('is postponed while on battery and runs once when on AC', async () => {
    const ws = await fixture.workspace({ files: 3 });
    await ws.writeConfig({
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], schedule: { everyMinutes: 1 }, conditions: { onBattery: 'skip' } }],
    });
    let power: PowerReading = { onBattery: true, percent: 60 };
    const probes: ConditionProbes = { power: async () => power, metered: async () => null, reachable: async () => null, mounted: async () => null };
    const engine = await fixture.startEngine({
      dataDir: ws.dataDir,
      host: 'serve',
      runSchedules: true,
      logger: silentLogger,
      conditionProbes: probes,
      conditionRecheckMs: 100,
      configWatch: false,
    });
    const plan = () => engine.state().plans.find((p) => p.id === 'home')!;
    const scheduled = () => engine.store.list({ planId: 'home' }).filter((op) => op.trigger === 'schedule');
    // Past the engine's hold after start (see test/engine/queues.test.ts): only Date is faked.
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    for (const seconds of [30, 55, 61]) {
      vi.setSystemTime(start + seconds * 1000);
      engine.scheduler!.tick();
    }
    const postponed = await until('the postponement', () => plan().postponed);
    expect(postponed).toEqual({ reason: 'on-battery', since: new Date(start + 61_000).toISOString() });
    await new Promise((r) => setTimeout(r, 400)); // several rechecks, still on battery
    expect(scheduled()).toEqual([]);

    power = { onBattery: false, percent: 61 };
    const [op] = await until('the postponed backup', () => (scheduled().length ? scheduled() : null));
    expect((await engine.orchestrator.waitFor(op!.id)).status).toBe('success');
    expect(plan().postponed ?? null).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(scheduled()).toHaveLength(1);
  });
});

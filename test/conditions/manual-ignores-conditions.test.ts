// "Back up now" (window or tray) always runs, whatever the conditions: they gate scheduled runs only.
import { describe, expect, it } from 'vitest';
import type { ConditionProbes } from '../../main/core/conditions/probes.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

// Every condition fails: on a low battery, metered, the host silent, the drive gone.
const nothingHolds: ConditionProbes = {
  power: async () => ({ onBattery: true, percent: 3 }),
  metered: async () => true,
  reachable: async () => false,
  mounted: async () => false,
};

describe('manual backups and conditions', () => {
  it.each(['manual', 'tray'] as const)('a %s backup runs though no condition holds', async (trigger) => {
    const ws = await fixture.workspace();
    await ws.writeConfig({
      plans: [
        {
          id: 'home',
          repo: 'local',
          paths: [ws.sourceDir],
          schedule: { everyMinutes: 60 },
          conditions: { onBattery: 'skip', minBatteryPercent: 50, onMetered: 'skip', requireReachable: true, requireMount: '/media/absent' },
        },
      ],
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: true, logger: silentLogger, conditionProbes: nothingHolds, configWatch: false });
    const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home', trigger });
    const op = await engine.orchestrator.waitFor(opId);
    expect(op.status).toBe('success');
    expect(op.trigger).toBe(trigger);
    expect(engine.state().plans[0]!.postponed ?? null).toBeNull();
  });
});

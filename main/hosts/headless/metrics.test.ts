import { describe, expect, it } from 'vitest';
import { metricsText } from './metrics.js';
import { makeAppState } from './testing/fake-engine.js';
import type { PlanState, RunningOp } from '../../common/index.js';

function plan(id: string, patch: Partial<PlanState> = {}): PlanState {
  return { id, repoId: 'nas', paths: ['/home'], excludes: [], schedule: null, retention: null, lastOp: null, lastSuccessAt: null, nextRunAt: null, ...patch };
}
function op(opId: number, status: RunningOp['status']): RunningOp {
  return { opId, planId: 'home', repoId: 'nas', kind: 'backup', trigger: 'manual', status, createdAt: '', startedAt: null, progress: null, stalledSince: null, stall: null };
}

describe('metricsText', () => {
  const state = makeAppState(9, {
    plans: [
      plan('home', {
        lastSuccessAt: '2026-01-02T03:04:05.000Z',
        nextRunAt: '2026-01-02T04:00:00.000Z',
        lastOp: { opId: 5, kind: 'backup', status: 'warning', startedAt: null, endedAt: null, dataAdded: 12345, errorMessage: null },
      }),
      plan('we"ird\\id', { repoId: 'r\n2' }),
    ],
    running: [op(1, 'running'), op(2, 'stalled'), op(3, 'queued')],
  });
  const text = metricsText(state);

  it('reports per-plan success time, status set and bytes added', () => {
    expect(text).toContain('backstay_plan_last_success_timestamp_seconds{plan="home",repo="nas"} 1767323045\n');
    expect(text).toContain('backstay_plan_last_status{plan="home",repo="nas",status="warning"} 1\n');
    expect(text).toContain('backstay_plan_last_status{plan="home",repo="nas",status="success"} 0\n');
    expect(text).toContain('backstay_plan_last_backup_bytes_added{plan="home",repo="nas"} 12345\n');
    expect(text).toContain('backstay_plan_next_run_timestamp_seconds{plan="home",repo="nas"} 1767326400\n');
  });

  it('marks a plan that never ran, with 0 as its last success, and escapes label values', () => {
    expect(text).toContain('backstay_plan_last_success_timestamp_seconds{plan="we\\"ird\\\\id",repo="r\\n2"} 0\n');
    expect(text).toContain('backstay_plan_last_status{plan="we\\"ird\\\\id",repo="r\\n2",status="none"} 1\n');
    expect(text).not.toMatch(/bytes_added\{plan="we/);
  });

  it('counts running (stalled included), stalled and queued operations, and says it is up', () => {
    expect(text).toContain('backstay_operations_running 2\n');
    expect(text).toContain('backstay_operations_stalled 1\n');
    expect(text).toContain('backstay_operations_queued 1\n');
    expect(text).toContain('backstay_up 1\n');
  });

  it('is well formed: every sample line belongs to a declared gauge family', () => {
    const declared = new Set([...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]));
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(10);
    for (const line of samples) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$|^[a-z_]+(\{.*\})? -?[0-9.e+]+$/);
      expect(declared.has(line.split(/[{ ]/)[0]!)).toBe(true);
    }
    expect(text.endsWith('\n')).toBe(true);
  });
});

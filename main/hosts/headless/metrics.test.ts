import { describe, expect, it } from 'vitest';
import { metricsText } from './metrics.js';
import { makeAppState } from './testing/fake-engine.js';
import { STATUS_LEVELS, type PlanState, type RepoState, type RunningOp } from '../../common/index.js';
import { deriveOverallStatus } from '../../core/state/overall-status.js';

function plan(id: string, patch: Partial<PlanState> = {}): PlanState {
  return { id, repoId: 'nas', paths: ['/home'], excludes: [], schedule: null, retention: null, lastOp: null, lastSuccessAt: null, nextRunAt: null, ...patch };
}
function op(opId: number, status: RunningOp['status']): RunningOp {
  return { opId, planId: 'home', repoId: 'nas', kind: 'backup', trigger: 'manual', status, createdAt: '', startedAt: null, progress: null, stalledSince: null, stall: null };
}

function repo(patch: Partial<RepoState> = {}): RepoState {
  return { id: 'nas', uri: '/srv/nas', passwordKind: 'file', envKeys: [], health: 'ok', lastError: null, ...patch };
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

  it('reports the overall status as one series per level, exactly one of them 1, and its reasons by kind', () => {
    // The fixture has a stalled operation (level stalled) and a plan whose last backup had warnings.
    expect(text).toContain('backstay_status_level{level="stalled"} 1\n');
    for (const level of STATUS_LEVELS.filter((l) => l !== 'stalled')) expect(text).toContain(`backstay_status_level{level="${level}"} 0\n`);
    expect(text).toContain('backstay_status_reasons{kind="stalled",level="stalled"} 1\n');
    expect(text).toContain('backstay_status_reasons{kind="running",level="running"} 1\n');
    expect(text).toContain('backstay_status_reasons{kind="last-warning",level="warning"} 1\n');
  });

  it.each([
    ['setup', makeAppState(1, { plans: [], repos: [] })],
    ['error', makeAppState(1, { plans: [plan('home')], repos: [repo({ health: 'error', lastError: 'wrong password' })] })],
    ['cancelling', makeAppState(1, { plans: [plan('home')], repos: [repo()], running: [op(1, 'cancelling')] })],
    ['paused', makeAppState(1, { plans: [plan('home')], repos: [repo()], pausedUntil: 'forever' })],
    ['postponed', makeAppState(1, { plans: [plan('home', { postponed: { reason: 'metered', since: '2026-01-02T04:00:00.000Z' } })], repos: [repo()] })],
    ['ok', makeAppState(1, { plans: [plan('home')], repos: [repo()] })],
  ] as const)('level %s is the status function\'s answer', (level, state) => {
    const t = metricsText(state, new Date('2026-01-02T05:00:00Z'));
    const ones = [...t.matchAll(/^backstay_status_level\{level="(\w+)"\} 1$/gm)].map((m) => m[1]);
    expect(ones).toEqual([level]);
    expect(level).toBe(deriveOverallStatus(state, new Date('2026-01-02T05:00:00Z')).level);
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

// "Last proven restorable" and "last checked" from the oplog (main/core/state/proof.ts), and what the overall
// status makes of them.
import { describe, expect, it } from 'vitest';
import type { AppState, OpStatus, Operation, VerifySummary } from '../../main/common/index.js';
import { mtimeNanoseconds } from '../../main/core/jobs/verify-task.js';
import { deriveOverallStatus } from '../../main/core/state/overall-status.js';
import { lastCheckAmong, provenRestorable, provenRestorableByPlan } from '../../main/core/state/proof.js';

let nextId = 100;
function op(kind: 'verify' | 'check', status: OpStatus, code: string | null = null, summary: VerifySummary | null = null): Operation {
  const id = nextId--;
  return {
    id,
    kind,
    trigger: 'schedule',
    planId: kind === 'verify' ? 'home' : null,
    repoId: 'nas',
    status,
    createdAt: `2026-03-0${(id % 9) + 1}T10:00:00.000Z`,
    startedAt: `2026-03-0${(id % 9) + 1}T10:00:00.000Z`,
    endedAt: status === 'running' ? null : `2026-03-0${(id % 9) + 1}T10:05:00.000Z`,
    snapshotId: summary?.snapshotId ?? null,
    error: code ? { code, message: `failed: ${code}` } : null,
    progress: null,
    summary,
    params: null,
  } as unknown as Operation;
}

const passed = (files = 50) => op('verify', 'success', null, { snapshotId: 'ab'.repeat(32), filesChecked: files, bytesChecked: files * 1000, filesSkipped: 0, failures: [] });

describe('provenRestorable: the newest restore test that looked at the data decides', () => {
  const cases: { name: string; ops: () => Operation[]; expected: { ok: boolean; files?: number; errorCode?: string } | null }[] = [
    { name: 'none ran', ops: () => [], expected: null },
    { name: 'the last one passed', ops: () => [passed(12)], expected: { ok: true, files: 12 } },
    { name: 'the last one found damage', ops: () => [op('verify', 'error', 'VERIFY_FAILED'), passed()], expected: { ok: false, errorCode: 'VERIFY_FAILED' } },
    { name: 'the listing failed on a damaged repository', ops: () => [op('verify', 'error', 'RESTIC_FAILED'), passed()], expected: { ok: false, errorCode: 'RESTIC_FAILED' } },
    { name: 'a pass after a failure clears it', ops: () => [passed(7), op('verify', 'error', 'VERIFY_FAILED')], expected: { ok: true, files: 7 } },
    ...(['REPOSITORY_LOCKED', 'NETWORK', 'UNKNOWN_SNAPSHOT', 'NOTHING_TO_VERIFY', 'BAD_PARAMS', 'RESTIC_NOT_FOUND'] as const).map((code) => ({
      name: `one that could not run (${code}) leaves the earlier proof standing`,
      ops: () => [op('verify', 'error', code), passed(3)],
      expected: { ok: true, files: 3 },
    })),
    ...(['cancelled', 'interrupted', 'running', 'queued'] as const).map((status) => ({
      name: `a ${status} one proves nothing either way`,
      ops: () => [op('verify', status), op('verify', 'error', 'VERIFY_FAILED')],
      expected: { ok: false, errorCode: 'VERIFY_FAILED' },
    })),
  ];
  for (const c of cases) {
    it(c.name, () => {
      const proof = provenRestorable(c.ops());
      if (c.expected === null) expect(proof).toBeNull();
      else expect(proof).toMatchObject(c.expected);
    });
  }

  it('carries when, against which snapshot, and how much', () => {
    const p = passed(5);
    expect(provenRestorable([p])).toEqual({ opId: p.id, at: p.endedAt, snapshotId: 'ab'.repeat(32), files: 5, bytes: 5000, ok: true });
  });

  it('reads each plan from the oplog', () => {
    const byPlan = provenRestorableByPlan((q) => (q.planId === 'home' ? [passed(2)] : []), ['home', 'work']);
    expect(byPlan.get('home')?.ok).toBe(true);
    expect(byPlan.get('work')).toBeNull();
  });
});

describe('lastCheckAmong', () => {
  it('a failed check counts; one that could not reach the repository does not', () => {
    expect(lastCheckAmong([op('check', 'error', 'RESTIC_FAILED')])).toMatchObject({ lastCheckOk: false });
    expect(lastCheckAmong([op('check', 'error', 'REPOSITORY_LOCKED'), op('check', 'success')])).toMatchObject({ lastCheckOk: true });
    expect(lastCheckAmong([op('check', 'cancelled')])).toBeNull();
  });
});

describe('overall status', () => {
  const base = (): AppState =>
    ({
      version: 1,
      running: [],
      plans: [{ id: 'home', repoId: 'nas', paths: ['/d'], excludes: [], schedule: null, retention: null, lastOp: null, lastSuccessAt: null, nextRunAt: null }],
      repos: [{ id: 'nas', uri: '/r', passwordKind: 'env', envKeys: [], health: 'ok', lastError: null }],
      restic: { path: '/usr/bin/restic', version: '0.14.0', error: null },
      pausedUntil: null,
      warnings: [],
      settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 },
      configError: null,
      host: 'serve',
    }) as AppState;
  const now = new Date('2026-03-10T00:00:00Z');

  it('a failed restore test is an error until a passing one', () => {
    const state = base();
    state.plans[0]!.lastVerified = { opId: 9, at: '2026-03-09T00:00:00Z', snapshotId: null, files: 0, bytes: 0, ok: false };
    expect(deriveOverallStatus(state, now)).toMatchObject({ level: 'error', reasons: [{ kind: 'verify-failed', planId: 'home', opId: 9 }] });
    state.plans[0]!.lastVerified = { ...state.plans[0]!.lastVerified, ok: true };
    expect(deriveOverallStatus(state, now).level).toBe('ok');
  });

  it('a failed check is an error until a passing one', () => {
    const state = base();
    state.repos[0]!.lastCheckOk = false;
    state.repos[0]!.lastCheckedAt = '2026-03-09T00:00:00Z';
    expect(deriveOverallStatus(state, now)).toMatchObject({ level: 'error', reasons: [{ kind: 'check-failed', repoId: 'nas' }] });
    state.repos[0]!.lastCheckOk = true;
    expect(deriveOverallStatus(state, now).level).toBe('ok');
  });
});

describe('mtimeNanoseconds: restic mtimes to the nanosecond', () => {
  it.each([
    ['2026-12-01T13:48:26.823550555Z', 1796132906823550555n],
    ['2026-12-01T13:48:26Z', 1796132906000000000n],
    ['2026-12-01T14:48:26.5+01:00', 1796132906500000000n],
    ['garbage', null],
  ])('%s', (text, expected) => {
    expect(mtimeNanoseconds(text)).toBe(expected);
  });
});

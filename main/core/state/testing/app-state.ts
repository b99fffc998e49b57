// Builders of AppState for tests of the state's consumers (publisher, desktop host, headless host). Test-only: not built.
import type { AppState, LastOp, PlanState, RunningOp } from '../../../common/index.js';

export function appState(partial: Partial<AppState> = {}): AppState {
  return {
    version: 1,
    running: [],
    plans: [],
    repos: [],
    restic: { path: '/usr/bin/restic', version: '0.14.0', error: null },
    pausedUntil: null,
    warnings: [],
    settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 },
    configError: null,
    host: 'electron',
    ...partial,
  };
}

export function plan(id: string, lastOp: Partial<LastOp> | null = null, extra: Partial<PlanState> = {}): PlanState {
  return {
    id,
    repoId: 'nas',
    paths: [`/home/me/${id}`],
    excludes: [],
    schedule: null,
    retention: null,
    lastOp: lastOp
      ? { opId: 1, kind: 'backup', status: 'success', startedAt: null, endedAt: null, dataAdded: null, errorMessage: null, ...lastOp }
      : null,
    lastSuccessAt: null,
    nextRunAt: null,
    ...extra,
  };
}

export function running(opId: number, planId: string | null, extra: Partial<RunningOp> = {}): RunningOp {
  return {
    opId,
    planId,
    repoId: 'nas',
    kind: 'backup',
    trigger: 'manual',
    status: 'running',
    createdAt: '2026-11-25T10:00:00.000Z',
    startedAt: '2026-11-25T10:00:00.000Z',
    progress: null,
    stalledSince: null,
    stall: null,
    ...extra,
  };
}

/** A local time (tests must not depend on the machine's time zone). */
export function local(h: number, m = 0, day = 25): Date {
  return new Date(2026, 10, day, h, m, 0, 0);
}

// AppState builders for tests and the apply benchmark.
import type { AppState, PlanState, RunningOp } from '../../main/common/index.js';

export function plan(id: string, patch: Partial<PlanState> = {}): PlanState {
  return {
    id,
    repoId: 'nas',
    paths: [`/home/me/${id}`],
    excludes: [],
    schedule: { cron: '0 * * * *' },
    retention: null,
    lastOp: null,
    lastSuccessAt: null,
    nextRunAt: null,
    ...patch,
  };
}

export function runningOp(opId: number, patch: Partial<RunningOp> = {}): RunningOp {
  return {
    opId,
    planId: null,
    repoId: 'nas',
    kind: 'backup',
    trigger: 'manual',
    status: 'running',
    createdAt: '2026-11-25T10:00:00.000Z',
    startedAt: '2026-11-25T10:00:01.000Z',
    progress: null,
    stalledSince: null,
    stall: null,
    ...patch,
  };
}

export function appState(patch: Partial<AppState> = {}): AppState {
  return {
    version: 1,
    running: [],
    plans: [],
    repos: [{ id: 'nas', uri: 'rest:http://127.0.0.1:8000/', passwordKind: 'file', envKeys: [], health: 'ok', lastError: null }],
    restic: { path: '/usr/bin/restic', version: '0.14.0', error: null },
    pausedUntil: null,
    warnings: [],
    settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 },
    configError: null,
    host: 'serve',
    ...patch,
  };
}

/** A busy state: `plans` plans, `running` of them backing up. */
export function busyState(plans: number, running: number, version = 1): AppState {
  const ps = Array.from({ length: plans }, (_, i) =>
    plan(`plan-${i}`, {
      lastOp: { opId: i, kind: 'backup', status: 'success', startedAt: null, endedAt: '2026-11-25T09:00:00.000Z', dataAdded: 1024 * i, errorMessage: null },
    }),
  );
  const rs = Array.from({ length: running }, (_, i) =>
    runningOp(1000 + i, {
      planId: `plan-${i}`,
      progress: { percent: 0.42, bytesDone: 18e9, totalBytes: 43e9, filesDone: 12034, totalFiles: 30112, currentFiles: [`/data/${i}.bin`] },
    }),
  );
  return appState({ version, plans: ps, running: rs });
}

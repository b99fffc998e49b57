// A finished or live operation for unit tests of what is derived from operations.
import type { Operation } from '../../../common/index.js';

export function anOperation(fields: Partial<Operation> = {}): Operation {
  return {
    id: 1,
    kind: 'backup',
    trigger: 'manual',
    planId: 'home',
    repoId: 'nas',
    status: 'success',
    createdAt: '2026-03-01T10:00:00.000Z',
    startedAt: '2026-03-01T10:00:01.000Z',
    endedAt: '2026-03-01T10:05:00.000Z',
    snapshotId: null,
    error: null,
    progress: null,
    summary: null,
    stalledSince: null,
    stall: null,
    itemErrors: [],
    retryOf: null,
    ownerPid: null,
    ownerStartedAt: null,
    resticPid: null,
    params: null,
    ...fields,
  };
}

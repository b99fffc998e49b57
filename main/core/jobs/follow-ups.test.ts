import { describe, expect, it, vi } from 'vitest';
import type { OpKind, OpStatus, Operation } from '../../common/index.js';
import { configSchema, type BackstayConfig } from '../config/schema.js';
import { anOperation } from '../state/testing/operations.js';
import { createOperationFollowUps, hookEventOfEnd, type FollowUpDeps } from './follow-ups.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function setUp(config: unknown = {}, overrides: Partial<FollowUpDeps> = {}) {
  const parsed: BackstayConfig = configSchema.parse({
    version: 1,
    repos: [{ id: 'nas', uri: '/tmp/nas', password: { file: '/pw' } }],
    plans: [
      { id: 'home', repo: 'nas', paths: ['/data'], retention: { keepLast: 3 } },
      { id: 'work', repo: 'nas', paths: ['/work'] },
    ],
    ...(config as object),
  });
  const logLines: string[] = [];
  const calls = {
    enqueued: [] as unknown[],
    patched: [] as unknown[],
    invalidated: [] as string[],
    recorded: [] as unknown[],
    recovery: [] as string[],
    afterFinished: 0,
    logLines,
  };
  const deps: FollowUpDeps = {
    config: () => parsed,
    store: { appendLog: (_opId, _stream, text) => void logLines.push(text) },
    stateStore: { patchRepo: (repoId, patch) => void calls.patched.push([repoId, patch]) },
    snapshots: { invalidate: (repoId) => void calls.invalidated.push(repoId) },
    enqueue: (request) => void calls.enqueued.push(request),
    scheduler: () => ({ recordRun: (job) => void calls.recorded.push(job) }),
    recovery: () => ({ onStatus: (op, event) => void calls.recovery.push(`${event}:${op.id}`), onFinished: (op) => void calls.recovery.push(`end:${op.id}`) }),
    afterFinished: () => void calls.afterFinished++,
    logger: silent,
    ...overrides,
  };
  return { followUps: createOperationFollowUps(deps), calls };
}

describe('operation follow-ups', () => {
  const retention: Array<[OpKind, string | null, OpStatus, boolean]> = [
    ['backup', 'home', 'success', true],
    ['backup', 'home', 'warning', true],
    ['backup', 'home', 'error', false],
    ['backup', 'home', 'cancelled', false],
    ['backup', 'home', 'interrupted', false],
    ['backup', 'work', 'success', false], // no keep rules
    ['backup', 'gone', 'success', false], // plan removed since
    ['backup', null, 'success', false],
    ['check', 'home', 'success', false],
  ];
  it.each(retention)('a %s of plan %s that ended %s queues a forget: %s', (kind, planId, status, forgets) => {
    const { followUps, calls } = setUp();
    followUps.onFinished(anOperation({ kind, planId, status }));
    expect(calls.enqueued).toEqual(forgets ? [{ kind: 'forget', repoId: 'nas', planId, trigger: 'system' }] : []);
  });

  it('a forget that cannot be queued is logged, and the rest still follows', () => {
    const warn = vi.fn();
    const { followUps, calls } = setUp({}, {
      enqueue: () => {
        throw new Error('shutting down');
      },
      logger: { ...silent, warn },
    });
    followUps.onFinished(anOperation({ status: 'success' }));
    expect(warn).toHaveBeenCalledWith('could not queue forget', { error: 'Error: shutting down' });
    expect(calls.recovery).toEqual(['end:1']);
    expect(calls.afterFinished).toBe(1);
  });

  it('after every end: the snapshot cache of backups, forgets and prunes, the health, recovery, then the warnings', () => {
    const { followUps, calls } = setUp();
    const ends: Operation[] = [
      anOperation({ id: 1, kind: 'backup', status: 'success' }),
      anOperation({ id: 2, kind: 'forget', status: 'error', error: { code: 'REPOSITORY_LOCKED', message: 'locked', detail: null } }),
      anOperation({ id: 3, kind: 'prune', status: 'interrupted' }),
      anOperation({ id: 4, kind: 'check', status: 'error', error: { code: 'RESTIC_FAILED', message: 'bad', detail: null } }),
    ];
    for (const op of ends) followUps.onFinished(op);
    expect(calls.invalidated).toEqual(['nas', 'nas', 'nas']);
    expect(calls.patched).toEqual([
      ['nas', { health: 'ok', lastError: null, lastErrorCode: null }],
      ['nas', { health: 'locked', lastError: 'locked', lastErrorCode: 'REPOSITORY_LOCKED' }],
      ['nas', { health: 'error', lastError: 'bad', lastErrorCode: 'RESTIC_FAILED' }],
    ]);
    expect(calls.recovery).toEqual(['end:1', 'end:2', 'end:3', 'end:4']);
    expect(calls.afterFinished).toBe(4);
  });

  it('a manual or tray backup that starts counts as the schedule having run; a scheduled one is already counted', () => {
    const { followUps, calls } = setUp();
    followUps.onStatus(anOperation({ id: 1, trigger: 'manual', status: 'running' }), 'start');
    followUps.onStatus(anOperation({ id: 2, trigger: 'schedule', status: 'running' }), 'start');
    followUps.onStatus(anOperation({ id: 3, kind: 'check', planId: null, status: 'running' }), 'start');
    followUps.onStatus(anOperation({ id: 4, trigger: 'manual', status: 'stalled' }), 'stall');
    expect(calls.recorded).toEqual([{ kind: 'backup', planId: 'home', repoId: 'nas' }]);
    expect(calls.recovery).toEqual(['start:1', 'start:2', 'start:3', 'stall:4']);
  });

  it("fires the settings' and the plan's hooks for backups only, and logs each result with the operation", async () => {
    const { followUps, calls } = setUp({
      settings: { hooks: [{ on: ['success', 'start'], command: 'true' }] },
      plans: [{ id: 'home', repo: 'nas', paths: ['/data'], hooks: [{ on: ['success'], command: 'exit 3' }] }],
    });
    followUps.onStatus(anOperation({ id: 1, status: 'running' }), 'start');
    followUps.onFinished(anOperation({ id: 1, status: 'success' }));
    followUps.onFinished(anOperation({ id: 2, kind: 'check', status: 'success' }));
    await vi.waitFor(() => expect(calls.logLines).toHaveLength(3), { timeout: 10_000 });
    // A check pings no hook: the three lines are the backup's.
    expect(calls.logLines.map((l) => l.replace(/ \(\d+ ms\)$/, '')).sort()).toEqual([
      'hook command "exit 3" on success: failed, exited with code 3',
      'hook command "true" on start: ok',
      'hook command "true" on success: ok',
    ]);
  });

  const events: Array<[OpStatus, string | null]> = [
    ['success', 'success'],
    ['warning', 'warning'],
    ['error', 'error'],
    ['cancelled', 'cancel'],
    ['interrupted', null],
  ];
  it.each(events)('an operation that ended %s fires the hook event %s', (status, event) => {
    expect(hookEventOfEnd({ status })).toBe(event);
  });
});

// The slow-down control without restic: which runs restart, with which flags, and that the cap ends on its own.
import { describe, expect, it } from 'vitest';
import type { Operation, RunningOp } from '../../main/common/index.js';
import { SlowDownControl } from '../../main/core/conditions/slow-down.js';
import { repoSchema } from '../../main/core/config/schema.js';
import { silentLogger } from '../../main/core/logging.js';
import type { EnqueueRequest } from '../../main/core/jobs/orchestrator.js';
import { manualClock } from '../../main/core/timers/testing/manual-clock.js';

const running = (opId: number, kind: RunningOp['kind'], status: RunningOp['status']): RunningOp => ({
  opId,
  planId: kind === 'backup' ? `plan${opId}` : null,
  repoId: 'r',
  kind,
  trigger: 'schedule',
  status,
  createdAt: '',
  startedAt: '',
  progress: null,
  stalledSince: null,
  stall: null,
});

function setup(live: RunningOp[]) {
  const time = manualClock(Date.parse('2026-12-01T10:00:00Z'));
  const cancelled: number[] = [];
  const enqueued: EnqueueRequest[] = [];
  const ends = new Map<number, (op: Operation) => void>();
  const published: unknown[] = [];
  const control = new SlowDownControl({
    orchestrator: {
      cancel: (opId, reason) => {
        expect(reason).toBe('restart');
        cancelled.push(opId);
        return true;
      },
      waitFor: (opId) => new Promise((resolve) => ends.set(opId, resolve)),
      enqueue: (request) => {
        enqueued.push(request);
        return {} as Operation;
      },
    },
    running: () => live,
    publish: (s) => published.push(s),
    logger: silentLogger,
    clock: time.clock,
  });
  const end = async (opId: number, status: Operation['status']) => {
    const op = live.find((r) => r.opId === opId)!;
    ends.get(opId)!({ id: opId, planId: op.planId, repoId: op.repoId, trigger: op.trigger, status } as Operation);
    await Promise.resolve();
  };
  return { time, control, cancelled, enqueued, published, end };
}

const repo = repoSchema.parse({ id: 'r', uri: '/srv/r', password: { file: '/p' }, limits: { uploadKiBs: 4096, downloadKiBs: 100 } });

describe('SlowDownControl', () => {
  it('restarts only running or stalled backups, each once it has ended cancelled, after a repair index', async () => {
    const t = setup([running(1, 'backup', 'running'), running(2, 'backup', 'stalled'), running(3, 'backup', 'queued'), running(4, 'check', 'running'), running(5, 'backup', 'cancelling')]);
    const { restarted } = t.control.slowDown(60);
    expect(restarted).toEqual([1, 2]);
    expect(t.cancelled).toEqual([1, 2]);
    await t.end(1, 'cancelled');
    await t.end(2, 'success'); // saved its snapshot before it heard the cancel: nothing left to do
    expect(t.enqueued).toEqual([
      { kind: 'repairIndex', repoId: 'r', planId: null, trigger: 'schedule' },
      { kind: 'backup', repoId: 'r', planId: 'plan1', trigger: 'schedule', params: { restartOf: 1 } },
    ]);
  });

  it('caps the upload of runs that start while it is on, and ends on its own (restarting at full speed)', async () => {
    const t = setup([]);
    expect(t.control.runFlags(repo)).toEqual(['--limit-upload', '4096', '--limit-download', '100']);
    t.control.slowDown(60);
    expect(t.published.at(-1)).toEqual({ until: '2026-12-01T11:00:00.000Z', uploadKiBs: 1024 });
    expect(t.control.runFlags(repo)).toEqual(['--limit-upload', '1024', '--limit-download', '100']);
    t.time.advance(60 * 60_000);
    expect(t.published.at(-1)).toBeNull();
    expect(t.control.runFlags(repo)).toEqual(['--limit-upload', '4096', '--limit-download', '100']);
  });

  it.each([
    [['--limit-upload', '256'], []],
    [['--limit-upload=256'], []],
    [['--limit-upload', '4096'], ['--limit-upload', '1024']],
    [['--limit-download', '50'], ['--limit-upload', '1024']],
  ])('never raises a limit written in the repository flags %j', (flags, expected) => {
    const t = setup([]);
    t.control.slowDown(60);
    expect(t.control.runFlags(repoSchema.parse({ id: 'r', uri: '/srv/r', password: { file: '/p' }, flags }))).toEqual(expected);
  });

  it('full speed when not slowed down restarts nothing', () => {
    const t = setup([running(1, 'backup', 'running')]);
    expect(t.control.fullSpeed()).toEqual({ restarted: [] });
    expect(t.cancelled).toEqual([]);
  });
});

// The recovery policy's waits (issue 10, item 2): a stalledCancelAfterSeconds or retryBackoffSeconds beyond what a
// setTimeout holds (2^31-1 ms, 24.8 days) must fire when it should, not after 1 ms. The clock below does what Node
// does with such a delay, so the policy is tested against the real hazard with time under the test's control.
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../common/index.js';
import type { BackstayConfig } from '../config/schema.js';
import { silentLogger } from '../logging.js';
import { MAX_TIMEOUT_MS } from '../timers/long-timeout.js';
import { manualClock } from '../timers/testing/manual-clock.js';
import { RecoveryPolicy } from './recovery.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

function nodeLikeClock() {
  return manualClock(Date.parse('2026-03-01T00:00:00Z'));
}

function setup(settings: Record<string, unknown>) {
  const c = nodeLikeClock();
  const cancelled: number[] = [];
  const enqueued: unknown[] = [];
  const config = {
    settings: { retryStalled: true, stalledCancelAfterSeconds: 900, retryAttempts: 3, retryBackoffSeconds: 60, ...settings },
  } as unknown as BackstayConfig;
  const policy = new RecoveryPolicy({
    orchestrator: {
      cancel: (opId: number) => (cancelled.push(opId), true),
      enqueue: (req: unknown) => (enqueued.push(req), {} as Operation),
    },
    config: () => config,
    logger: silentLogger,
    clock: c.clock,
  });
  return { ...c, policy, cancelled, enqueued };
}

function backup(overrides: Partial<Operation> = {}): Operation {
  return {
    id: 7, kind: 'backup', trigger: 'manual', planId: 'home', repoId: 'nas', status: 'stalled', createdAt: '', startedAt: '',
    endedAt: null, snapshotId: null, error: null, progress: null, summary: null, stalledSince: null, stall: null,
    itemErrors: [], retryOf: null, ownerPid: 1, ownerStartedAt: '', resticPid: null, params: null, ...overrides,
  };
}

const DURATIONS_S = [1, 60, MAX_TIMEOUT_MS / SECOND - 1, MAX_TIMEOUT_MS / SECOND + 1, 30 * DAY / SECOND, 365 * DAY / SECOND];

describe('RecoveryPolicy waits of any length', () => {
  it('a 30-day stalledCancelAfterSeconds does not cancel within the first minutes, nor the first 29 days', () => {
    const t = setup({ stalledCancelAfterSeconds: 30 * DAY / SECOND });
    t.policy.onStatus(backup(), 'stall');
    t.advance(10 * MINUTE);
    expect(t.cancelled).toEqual([]);
    t.advance(29 * DAY);
    expect(t.cancelled).toEqual([]);
    t.advance(1 * DAY);
    expect(t.cancelled).toEqual([7]);
  });

  it('a 30-day retryBackoffSeconds does not retry within the first hours (it once retried 20 times in 6 s)', () => {
    const t = setup({ retryBackoffSeconds: 30 * DAY / SECOND });
    t.policy.onFinished(backup({ status: 'error', error: { code: 'NETWORK', message: 'unreachable' } }));
    t.advance(6 * SECOND);
    t.advance(6 * 60 * MINUTE);
    expect(t.enqueued).toEqual([]);
    t.advance(30 * DAY);
    expect(t.enqueued).toHaveLength(1);
    expect(t.enqueued[0]).toMatchObject({ kind: 'backup', planId: 'home', trigger: 'retry', retryOf: 7, params: { attempt: 1 } });
  });

  for (const seconds of DURATIONS_S) {
    it(`stalledCancelAfterSeconds ${seconds}: cancels at that time and not a millisecond before`, () => {
      const t = setup({ stalledCancelAfterSeconds: seconds });
      t.policy.onStatus(backup(), 'stall');
      t.advance(seconds * SECOND - 1);
      expect(t.cancelled).toEqual([]);
      t.advance(1);
      expect(t.cancelled).toEqual([7]);
    });

    it(`retryBackoffSeconds ${seconds}: the retry of a transient failure waits that long, the second twice as long`, () => {
      const t = setup({ retryBackoffSeconds: seconds });
      t.policy.onFinished(backup({ status: 'error', error: { code: 'NETWORK', message: 'unreachable' } }));
      t.advance(seconds * SECOND - 1);
      expect(t.enqueued).toHaveLength(0);
      t.advance(1);
      expect(t.enqueued).toHaveLength(1);
      t.policy.onFinished(backup({ id: 8, trigger: 'retry', retryOf: 7, params: { attempt: 1 }, status: 'error', error: { code: 'NETWORK', message: 'x' } }));
      t.advance(2 * seconds * SECOND - 1);
      expect(t.enqueued).toHaveLength(1);
      t.advance(1);
      expect(t.enqueued).toHaveLength(2);
    });
  }

  it('a resume, the end of the operation and dispose() cancel the waits', () => {
    const t = setup({ stalledCancelAfterSeconds: 40 * DAY / SECOND, retryBackoffSeconds: 40 * DAY / SECOND });
    t.policy.onStatus(backup(), 'stall');
    t.policy.onStatus(backup(), 'resume');
    t.policy.onStatus(backup({ id: 9 }), 'stall');
    t.policy.onFinished(backup({ id: 10, status: 'error', error: { code: 'NETWORK', message: 'x' } }));
    t.policy.dispose();
    t.advance(400 * DAY);
    expect(t.cancelled).toEqual([]);
    expect(t.enqueued).toEqual([]);
  });
});

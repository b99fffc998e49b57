import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppWarning, PlanState } from '../../common/index.js';
import { AppStateStore, emptyAppState, toLastOp } from './app-state.js';
import { NoSuccessWarnings, noSuccessWarnings } from './no-success.js';
import { anOperation } from './testing/operations.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const ran = toLastOp(anOperation({ status: 'error' }));
const plan = (id: string, lastSuccessAt: string | null, lastOp: PlanState['lastOp'] = ran) => ({ id, lastSuccessAt, lastOp });
const warning = (planId: string): AppWarning => ({ id: `no-success:${planId}`, kind: 'no-success', level: 'warning', message: 'x', planId });

describe('noSuccessWarnings', () => {
  const cases: Array<[string, ReturnType<typeof plan>, boolean]> = [
    ['never ran', plan('home', null, null), false],
    ['ran, never succeeded', plan('home', null), true],
    ['its first backup is still running', plan('home', null, toLastOp(anOperation({ status: 'running' }))), false],
    ['its first backup is cancelling', plan('home', null, toLastOp(anOperation({ status: 'cancelling' }))), false],
    ['succeeded within the limit', plan('home', new Date(NOW - 2 * DAY).toISOString()), false],
    ['succeeded exactly at the limit', plan('home', new Date(NOW - 3 * DAY).toISOString()), false],
    ['succeeded before the limit', plan('home', new Date(NOW - 3 * DAY - 1).toISOString()), true],
  ];
  it.each(cases)('a plan that %s: warned %s', (_what, p, warned) => {
    const verdict = noSuccessWarnings({ plans: [p], warnings: [], days: 3, now: NOW });
    expect(verdict.perPlan).toEqual([['no-success:home', warned ? expect.objectContaining({ kind: 'no-success', planId: 'home' }) : null]]);
  });

  it('says "never" or the date of the last success', () => {
    const since = NOW - 5 * DAY;
    const verdict = noSuccessWarnings({ plans: [plan('a', null), plan('b', new Date(since).toISOString())], warnings: [], days: 3, now: NOW });
    expect(verdict.perPlan.map(([, w]) => w?.message)).toEqual([
      'a has never been backed up successfully.',
      `b has not been backed up since ${new Date(since).toLocaleDateString()}.`,
    ]);
  });

  it('looks again when the first plan that is fine now crosses the limit', () => {
    const soon = NOW - 2 * DAY;
    const later = NOW - DAY;
    const verdict = noSuccessWarnings({
      plans: [plan('a', new Date(later).toISOString()), plan('b', new Date(soon).toISOString()), plan('c', null)],
      warnings: [],
      days: 3,
      now: NOW,
    });
    expect(verdict.recheckAt).toBe(soon + 3 * DAY);
    expect(noSuccessWarnings({ plans: [plan('c', null)], warnings: [], days: 3, now: NOW }).recheckAt).toBeNull();
  });

  it("clears a removed plan's warning, and every one when the warnings are off; leaves other kinds alone", () => {
    const others: AppWarning = { id: 'storage', kind: 'storage', level: 'error', message: 'x' };
    const warnings = [warning('home'), warning('gone'), others];
    expect(noSuccessWarnings({ plans: [plan('home', null)], warnings, days: 3, now: NOW }).cleared).toEqual(['no-success:gone']);
    const off = noSuccessWarnings({ plans: [plan('home', null)], warnings, days: 0, now: NOW });
    expect(off).toEqual({ cleared: ['no-success:home', 'no-success:gone'], perPlan: [], recheckAt: null });
  });
});

describe('NoSuccessWarnings', () => {
  afterEach(() => void vi.useRealTimers());

  it('sets the warning when a plan crosses the limit with nothing else happening, and stops when disposed', () => {
    vi.useFakeTimers({ now: NOW });
    const store = new AppStateStore(emptyAppState('serve', { resticBinary: null, stallAfterSeconds: 1, cancelGraceSeconds: 1, uiUpdateHz: 4 }));
    store.setPlans([{ ...planState('home'), lastOp: ran, lastSuccessAt: new Date(NOW - 2 * DAY).toISOString() }]);
    const watch = new NoSuccessWarnings(store, () => 3);
    watch.refresh();
    expect(store.current.warnings).toEqual([]);
    vi.advanceTimersByTime(DAY + 1000);
    expect(store.current.warnings.map((w) => w.id)).toEqual(['no-success:home']);

    watch.dispose();
    store.setPlans([]);
    watch.refresh(); // after dispose only clearing happens
    expect(store.current.warnings).toEqual([]);
    store.setPlans([{ ...planState('work'), lastOp: ran, lastSuccessAt: null }]);
    watch.refresh();
    expect(store.current.warnings).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

function planState(id: string): PlanState {
  return { id, repoId: 'nas', paths: ['/data'], excludes: [], schedule: null, retention: null, lastOp: null, lastSuccessAt: null, nextRunAt: null };
}

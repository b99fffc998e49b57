import { describe, expect, it } from 'vitest';
import { appState, plan, runningOp } from '../../test-support/fixtures.js';
import type { Operation } from '../../../main/common/index.js';
import {
  createAppStore,
  mergeHead,
  selectOverallStatus,
  planDisplayStatus,
  selectPlan,
  selectPlanIds,
  selectPlans,
  selectRunningBackup,
  selectRunningKey,
  selectRunningOp,
  selectWarnings,
} from './index.js';

const last = (status: Operation['status']) => ({ opId: 1, kind: 'backup' as const, status, startedAt: null, endedAt: null, dataAdded: null, errorMessage: null });

describe('selectors', () => {
  it('read from the state and return stable empties before the first one', () => {
    const store = createAppStore();
    const s = store.getState();
    expect(selectPlans(s)).toBe(selectPlans(store.getState()));
    expect(selectWarnings(s)).toBe(selectWarnings(store.getState()));
    expect(selectPlanIds(s)).toEqual([]);
  });

  it('find plans and live backups by id through an index built once per state', () => {
    const store = createAppStore();
    const check = runningOp(9, { planId: 'home', kind: 'check' });
    const backup = runningOp(10, { planId: 'home' });
    store.getState().applyState(appState({ plans: [plan('home'), plan('work')], running: [check, backup] }));
    const s = store.getState();
    expect(selectPlan('work')(s)?.id).toBe('work');
    expect(selectPlan('nope')(s)).toBeUndefined();
    expect(selectRunningBackup('home')(s)).toBe(backup);
    expect(selectRunningBackup('work')(s)).toBeUndefined();
    expect(selectRunningOp(9)(s)).toBe(check);
    expect(selectRunningKey(s)).toBe('9:running,10:running');
  });

  it('plan badge: live status first, then the last result; a dead live status reads as interrupted', () => {
    expect(planDisplayStatus(plan('a'), runningOp(1, { status: 'stalled' }))).toBe('stalled');
    expect(planDisplayStatus(plan('a', { lastOp: last('warning') }), undefined)).toBe('warning');
    expect(planDisplayStatus(plan('a'), undefined)).toBe('never');
    expect(planDisplayStatus(plan('a', { lastOp: last('running') }), undefined)).toBe('interrupted');
  });

  it('overall status is the one the host derived, null before the first state', () => {
    expect(selectOverallStatus(createAppStore().getState())).toBeNull();
    const store = createAppStore();
    const status = { level: 'error' as const, reasons: [{ kind: 'repo-error', repoId: 'nas' }] };
    store.getState().applyState(appState({ status }));
    expect(selectOverallStatus(store.getState())).toBe(status);
  });
});

describe('ops page cache', () => {
  const op = (id: number, status: Operation['status'] = 'success') => ({ id, status }) as Operation;

  it('appends older pages, knows when the log ends, and drops answers to an older filter', () => {
    const store = createAppStore();
    const gen = store.getState().ops.generation;
    store.getState().opsPageLoaded(gen, [op(10), op(9)], 2);
    expect(store.getState().ops.hasMore).toBe(true);
    store.getState().opsPageLoaded(gen, [op(8)], 2);
    expect(store.getState().ops.items.map((o) => o.id)).toEqual([10, 9, 8]);
    expect(store.getState().ops.hasMore).toBe(false);

    store.getState().setOpsFilter({ planId: 'home' });
    expect(store.getState().ops.items).toEqual([]);
    store.getState().opsPageLoaded(gen, [op(7)], 2); // stale: asked before the filter changed
    expect(store.getState().ops.items).toEqual([]);
  });

  it('merging the newest page puts new operations on top and refreshes known ones', () => {
    const items = [op(5, 'running'), op(4)];
    const merged = mergeHead(items, [op(7), op(6), op(5, 'success')]);
    expect(merged.map((o) => `${o.id}:${o.status}`)).toEqual(['7:success', '6:success', '5:success', '4:success']);
    expect(mergeHead(items, [items[0]!, items[1]!])).toBe(items);
  });
});

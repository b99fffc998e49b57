import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../main/common/index.js';
import { appState, busyState, plan } from '../../test-support/fixtures.js';
import { connectStore, createAppStore, selectPlan } from './index.js';
import { fakeClient } from '../../test-support/fake-client.js';

/** Wraps a snapshot so any read of its fields is counted. */
function counting(state: AppState): { state: AppState; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(state, {
    get(target, key, receiver) {
      reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { state: proxy, reads: () => reads };
}

describe('applying a snapshot', () => {
  it('replaces the previous one whole instead of merging', () => {
    const store = createAppStore();
    store.getState().applySnapshot(appState({ version: 1, plans: [plan('home'), plan('work')] }));
    const next = appState({ version: 2, plans: [plan('work')] });
    store.getState().applySnapshot(next);
    expect(store.getState().snapshot).toBe(next);
    expect(selectPlan('home')(store.getState())).toBeUndefined();
  });

  it('does O(1) work: it never looks inside the snapshot', () => {
    const store = createAppStore();
    const big = counting(busyState(100, 50));
    store.getState().applySnapshot(big.state);
    expect(big.reads()).toBe(0);
    // Derived indexes are built on first read, once per snapshot, not during apply.
    selectPlan('plan-3')(store.getState());
    const afterFirst = big.reads();
    selectPlan('plan-4')(store.getState());
    expect(big.reads()).toBe(afterFirst + 1); // only `.plans` again; the index is cached
  });

  it('is cheap in wall time (loose bound; see renderer/bench-apply.ts for figures)', () => {
    const store = createAppStore();
    const snapshots = Array.from({ length: 200 }, (_, i) => busyState(100, 50, i + 1));
    store.subscribe(() => {});
    const start = performance.now();
    for (const s of snapshots) store.getState().applySnapshot(s);
    const perApply = (performance.now() - start) / snapshots.length;
    expect(perApply).toBeLessThan(2);
  });
});

describe('connectStore', () => {
  it('feeds snapshots and connection status into the store', () => {
    const client = fakeClient();
    const store = createAppStore();
    connectStore(client, store);
    client.status('connected');
    const s = appState({ version: 4 });
    client.push(s);
    expect(store.getState().snapshot).toBe(s);
    expect(store.getState().connection).toBe('connected');
  });

  it('a click on a desktop notification opens its operation in the Operations view', () => {
    const client = fakeClient();
    const store = createAppStore();
    const stop = connectStore(client, store);
    client.navigate({ opId: 42, planId: 'home' });
    expect(store.getState().view).toBe('operations');
    expect(store.getState().focusOpId).toBe(42);
    store.getState().setView('dashboard');
    client.navigate({ planId: 'home' });
    expect(store.getState().view).toBe('plans');
    stop();
    store.getState().setView('dashboard');
    client.navigate({ opId: 7 });
    expect(store.getState().view).toBe('dashboard');
  });

  it('a hidden page keeps only the latest snapshot and applies it when shown', () => {
    const client = fakeClient();
    const store = createAppStore();
    const listeners: (() => void)[] = [];
    const doc = {
      hidden: true,
      addEventListener: (_: 'visibilitychange', cb: () => void) => void listeners.push(cb),
      removeEventListener: () => {},
    };
    connectStore(client, store, doc);
    for (let v = 1; v <= 1000; v++) client.push(appState({ version: v }));
    expect(store.getState().snapshot).toBeNull();
    doc.hidden = false;
    listeners.forEach((l) => l());
    expect(store.getState().snapshot?.version).toBe(1000);
  });
});

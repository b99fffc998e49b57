import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../main/common/index.js';
import { appState, busyState, plan } from '../../test-support/fixtures.js';
import { connectStore, createAppStore, selectPlan } from './index.js';
import { fakeClient } from '../../test-support/fake-client.js';

/** Wraps a state so any read of its fields is counted. */
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

describe('applying a state', () => {
  it('replaces the previous one whole instead of merging', () => {
    const store = createAppStore();
    store.getState().applyState(appState({ version: 1, plans: [plan('home'), plan('work')] }));
    const next = appState({ version: 2, plans: [plan('work')] });
    store.getState().applyState(next);
    expect(store.getState().appState).toBe(next);
    expect(selectPlan('home')(store.getState())).toBeUndefined();
  });

  it('does O(1) work: it never looks inside the state', () => {
    const store = createAppStore();
    const big = counting(busyState(100, 50));
    store.getState().applyState(big.state);
    expect(big.reads()).toBe(0);
    // Derived indexes are built on first read, once per state, not during apply.
    selectPlan('plan-3')(store.getState());
    const afterFirst = big.reads();
    selectPlan('plan-4')(store.getState());
    expect(big.reads()).toBe(afterFirst + 1); // only `.plans` again; the index is cached
  });

  it('is cheap in wall time (loose bound; see renderer/bench-apply.ts for figures)', () => {
    const store = createAppStore();
    const states = Array.from({ length: 200 }, (_, i) => busyState(100, 50, i + 1));
    store.subscribe(() => {});
    const start = performance.now();
    for (const s of states) store.getState().applyState(s);
    const perApply = (performance.now() - start) / states.length;
    expect(perApply).toBeLessThan(2);
  });
});

describe('connectStore', () => {
  it('feeds states and connection status into the store', () => {
    const client = fakeClient();
    const store = createAppStore();
    connectStore(client, store);
    client.status('connected');
    const s = appState({ version: 4 });
    client.push(s);
    expect(store.getState().appState).toBe(s);
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

  it('a hidden page keeps only the latest state and applies it when shown', () => {
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
    expect(store.getState().appState).toBeNull();
    doc.hidden = false;
    listeners.forEach((l) => l());
    expect(store.getState().appState?.version).toBe(1000);
  });
});

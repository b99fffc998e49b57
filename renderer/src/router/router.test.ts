// The hash router against a small model of the browser's history (entries, Back, Forward, hashchange), so that
// "Back works", "a reload keeps the place" and "leaving unsaved changes asks" are tested as the browser does them.
import { describe, expect, it } from 'vitest';
import { createHashRouter, createMemoryRouter, type HashWindow } from './router.js';
import type { Route } from './routes.js';

class FakeWindow implements HashWindow {
  entries: string[];
  index = 0;
  private listeners = new Map<string, Set<(e: Event) => void>>();
  constructor(initialHash: string) {
    this.entries = [`/index.html${initialHash}`];
  }
  get location() {
    const url = this.entries[this.index]!;
    const i = url.indexOf('#');
    return { pathname: i === -1 ? url : url.slice(0, i), search: '', hash: i === -1 ? '' : url.slice(i) };
  }
  history = {
    state: null,
    pushState: (_s: unknown, _t: string, url?: string | URL | null) => {
      this.entries = this.entries.slice(0, this.index + 1).concat(String(url));
      this.index += 1;
    },
    replaceState: (_s: unknown, _t: string, url?: string | URL | null) => {
      this.entries[this.index] = String(url);
    },
  };
  addEventListener(type: string, cb: (e: Event) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(cb);
  }
  removeEventListener(type: string, cb: (e: Event) => void) {
    this.listeners.get(type)?.delete(cb);
  }
  /** The browser's Back (or Forward with +1): moves, then fires hashchange. */
  go(delta: number) {
    this.index += delta;
    this.listeners.get('hashchange')?.forEach((cb) => cb(new Event('hashchange')));
  }
  /** A reload or close: true when the page asked the user first. */
  unload(): boolean {
    const e = new Event('beforeunload', { cancelable: true });
    this.listeners.get('beforeunload')?.forEach((cb) => cb(e));
    return e.defaultPrevented;
  }
  get hash() {
    return this.location.hash;
  }
}

function setup(initialHash = '', answer = true) {
  const win = new FakeWindow(initialHash);
  const asked: number[] = [];
  const router = createHashRouter(win, () => {
    asked.push(1);
    return answer;
  });
  const seen: Route[] = [];
  router.subscribe((r) => seen.push(r));
  const stop = router.start();
  return { win, router, seen, asked, stop };
}

describe('hash router', () => {
  it('starts where the address is (a reload keeps the place)', () => {
    const { router, win } = setup('#/ops/42');
    expect(router.current()).toEqual({ view: 'operations', opId: 42 });
    expect(win.entries).toEqual(['/index.html#/ops/42']);
  });

  it('an unknown or empty address becomes the dashboard without a new history entry', () => {
    for (const hash of ['', '#/nowhere']) {
      const { router, win } = setup(hash);
      expect(router.current()).toEqual({ view: 'dashboard' });
      expect(win.entries).toEqual(['/index.html#/dashboard']);
    }
  });

  it('navigating adds an entry; Back and Forward go through them', () => {
    const { router, win, seen } = setup('#/dashboard');
    router.navigate({ view: 'plans', planId: 'home' });
    router.navigate({ view: 'operations', opId: 7 });
    expect(win.entries).toEqual(['/index.html#/dashboard', '/index.html#/plans/home', '/index.html#/ops/7']);
    win.go(-1);
    expect(router.current()).toEqual({ view: 'plans', planId: 'home' });
    win.go(-1);
    expect(router.current()).toEqual({ view: 'dashboard' });
    win.go(+1);
    expect(router.current()).toEqual({ view: 'plans', planId: 'home' });
    expect(seen.map((r) => r.view)).toEqual(['plans', 'operations', 'plans', 'dashboard', 'plans']);
  });

  it('going where it already is adds nothing', () => {
    const { router, win } = setup('#/settings');
    router.navigate({ view: 'settings' });
    expect(win.entries).toHaveLength(1);
  });

  it('replace swaps the entry', () => {
    const { router, win } = setup('#/ops');
    router.navigate({ view: 'operations', opId: 3 }, { replace: true });
    expect(win.entries).toEqual(['/index.html#/ops/3']);
  });

  it('with unsaved changes, leaving asks; staying keeps the address and the route', () => {
    const { router, win, asked } = setup('#/plans/new', false);
    let dirty = true;
    const remove = router.addGuard({ dirty: () => dirty });
    expect(router.navigate({ view: 'dashboard' })).toBe(false);
    expect(router.current()).toEqual({ view: 'plans', create: true });
    expect(win.entries).toHaveLength(1);
    expect(asked).toHaveLength(1);
    // Saved: the flag is read at the moment of leaving, so the save's own navigation goes through unasked.
    dirty = false;
    expect(router.navigate({ view: 'plans', planId: 'home' })).toBe(true);
    expect(asked).toHaveLength(1);
    remove();
  });

  it('Back with unsaved changes asks; staying puts the form back in the address bar', () => {
    const { router, win, asked } = setup('#/dashboard', false);
    router.navigate({ view: 'repos', create: true });
    router.addGuard({ dirty: () => true });
    win.go(-1);
    expect(asked).toHaveLength(1);
    expect(router.current()).toEqual({ view: 'repos', create: true });
    expect(win.hash).toBe('#/repos/new');
  });

  it('Back with unsaved changes, and the user chose to leave: it leaves', () => {
    const { router, win } = setup('#/dashboard', true);
    router.navigate({ view: 'repos', create: true });
    router.addGuard({ dirty: () => true });
    win.go(-1);
    expect(router.current()).toEqual({ view: 'dashboard' });
  });

  it('a reload or close asks only while a form is dirty', () => {
    const { router, win } = setup('#/settings');
    expect(win.unload()).toBe(false);
    let dirty = true;
    router.addGuard({ dirty: () => dirty });
    expect(win.unload()).toBe(true);
    dirty = false;
    expect(win.unload()).toBe(false);
  });

  it('stops listening when stopped', () => {
    const { router, win, stop } = setup('#/dashboard');
    router.navigate({ view: 'settings' });
    stop();
    win.go(-1);
    expect(router.current()).toEqual({ view: 'settings' });
  });
});

describe('memory router', () => {
  it('keeps the route and honours guards', () => {
    const router = createMemoryRouter({ view: 'dashboard' }, () => false);
    router.navigate({ view: 'settings' });
    expect(router.current()).toEqual({ view: 'settings' });
    router.addGuard({ dirty: () => true });
    expect(router.navigate({ view: 'dashboard' })).toBe(false);
  });
});

import type { StateCreator } from 'zustand/vanilla';
import type { Operation } from '../../../main/common/index.js';
import type { Language } from '../i18n/index.js';
import type { AppStoreState, CancelSlice, ConnectionSlice, OpsCache, OpsSlice, PrefsSlice, StateSlice } from './types.js';

type Slice<T> = StateCreator<AppStoreState, [], [], T>;

// O(1): the state is already whole and immutable by convention; derived lookups are built lazily by selectors.
export const createStateSlice: Slice<StateSlice> = (set) => ({
  appState: null,
  applyState: (appState) => set({ appState }),
});

export const createConnectionSlice: Slice<ConnectionSlice> = (set) => ({
  connection: 'connecting',
  setConnection: (connection) => set({ connection }),
});

export const emptyOpsCache = (generation = 0): OpsCache => ({
  filter: {},
  items: [],
  hasMore: true,
  loading: false,
  error: null,
  generation,
});

export const createOpsSlice: Slice<OpsSlice> = (set, get) => ({
  ops: emptyOpsCache(),
  setOpsFilter: (filter) => set({ ops: { ...emptyOpsCache(get().ops.generation + 1), filter } }),
  opsLoadStarted: () => set({ ops: { ...get().ops, loading: true, error: null } }),
  opsPageLoaded: (generation, page, pageSize) => {
    const ops = get().ops;
    if (generation !== ops.generation) return;
    const known = new Set(ops.items.map((o) => o.id));
    const fresh = page.filter((o) => !known.has(o.id));
    set({ ops: { ...ops, items: ops.items.concat(fresh), hasMore: page.length >= pageSize, loading: false } });
  },
  opsHeadLoaded: (generation, page, pageSize) => {
    const ops = get().ops;
    if (generation !== ops.generation) return;
    const newestKnown = ops.items[0]?.id;
    const oldestInPage = page[page.length - 1]?.id;
    // A full head page that does not reach what the cache holds leaves a gap between them: start over from the
    // head (older pages load again as the list is scrolled) rather than show a list with holes.
    const gap = page.length >= pageSize && newestKnown !== undefined && oldestInPage !== undefined && oldestInPage > newestKnown;
    if (gap || ops.items.length === 0) {
      set({ ops: { ...ops, items: page, hasMore: page.length >= pageSize } });
      return;
    }
    set({ ops: { ...ops, items: mergeHead(ops.items, page) } });
  },
  opsLoadFailed: (generation, message) => {
    const ops = get().ops;
    if (generation !== ops.generation) return;
    set({ ops: { ...ops, loading: false, error: message } });
  },
});

/** Puts operations newer than the cache on top and replaces the ones it already holds. */
export function mergeHead(items: Operation[], head: Operation[]): Operation[] {
  if (head.length === 0) return items;
  const newestKnown = items.length > 0 ? items[0]!.id : -Infinity;
  const byId = new Map(head.map((o) => [o.id, o] as const));
  const newer = head.filter((o) => o.id > newestKnown);
  let changed = newer.length > 0;
  const refreshed = items.map((o) => {
    const h = byId.get(o.id);
    if (h && h !== o) {
      changed = true;
      return h;
    }
    return o;
  });
  return changed ? newer.concat(refreshed) : items;
}

export const createCancelSlice: Slice<CancelSlice> = (set, get) => ({
  cancelsRequested: new Set(),
  cancelRequested: (opId) => set({ cancelsRequested: new Set(get().cancelsRequested).add(opId) }),
  cancelFailed: (opId) => {
    const next = new Set(get().cancelsRequested);
    next.delete(opId);
    set({ cancelsRequested: next });
  },
});

export interface PrefsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
export const LANGUAGE_KEY = 'backstay.language';

export function createPrefsSlice(storage: PrefsStorage | null, initialLanguage: Language): Slice<PrefsSlice> {
  return (set) => ({
    language: initialLanguage,
    view: 'dashboard',
    focusOpId: null,
    setLanguage: (language) => {
      try {
        storage?.setItem(LANGUAGE_KEY, language);
      } catch {
        // private mode or storage disabled: the choice lasts for this page only
      }
      set({ language });
    },
    setView: (view) => set({ view }),
    openOperation: (opId) => set({ view: 'operations', focusOpId: opId }),
    clearFocusOp: () => set({ focusOpId: null }),
  });
}

// Repositories where a dead process may have left a stale lock, remembered in the oplog's meta table when the
// process that found them cannot run restic (e.g. `backstay ops`), so that the next engine removes them.
import type { OpStore } from './store.js';

const KEY = 'reconcile.pendingUnlock';

export function rememberReposToUnlock(store: OpStore, repoIds: string[]): void {
  if (repoIds.length === 0) return;
  const merged = new Set([...takeReposToUnlock(store, false), ...repoIds]);
  store.setMeta(KEY, JSON.stringify([...merged]));
}

export function takeReposToUnlock(store: OpStore, clear = true): string[] {
  const raw = store.getMeta(KEY);
  if (clear && raw !== null) store.setMeta(KEY, null);
  try {
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

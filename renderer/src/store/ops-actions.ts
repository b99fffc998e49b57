// Loading the operation log into the ops page cache, page by page (ops.list with beforeId).
import type { BackstayClient } from '../client/index.js';
import { toRpcError } from '../client/index.js';
import type { AppStore } from './store.js';

export const OPS_PAGE_SIZE = 200;

export async function loadOlderOps(client: BackstayClient, store: AppStore, pageSize = OPS_PAGE_SIZE): Promise<void> {
  const { ops } = store.getState();
  if (ops.loading || !ops.hasMore) return;
  const generation = ops.generation;
  const last = ops.items[ops.items.length - 1];
  store.getState().opsLoadStarted();
  try {
    const page = await client.invoke('ops.list', {
      ...ops.filter,
      limit: pageSize,
      ...(last ? { beforeId: last.id } : {}),
    });
    store.getState().opsPageLoaded(generation, page.ops, pageSize);
  } catch (err) {
    store.getState().opsLoadFailed(generation, toRpcError(err).message);
  }
}

/** Re-reads the newest page, e.g. when an operation started or ended. */
export async function refreshOpsHead(client: BackstayClient, store: AppStore, pageSize = 50): Promise<void> {
  const { ops } = store.getState();
  const generation = ops.generation;
  try {
    const page = await client.invoke('ops.list', { ...ops.filter, limit: pageSize });
    store.getState().opsHeadLoaded(generation, page.ops);
  } catch (err) {
    store.getState().opsLoadFailed(generation, toRpcError(err).message);
  }
}

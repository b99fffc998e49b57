// The operation log: loading it into the ops page cache page by page (ops.list with beforeId), reading one
// operation and its output, and what can be done about a live one (cancel, keep waiting).
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

export const OPS_HEAD_SIZE = 50;

/** Re-reads the newest page, e.g. when an operation started or ended. */
export async function refreshOpsHead(client: BackstayClient, store: AppStore, pageSize = OPS_HEAD_SIZE): Promise<void> {
  const { ops } = store.getState();
  const generation = ops.generation;
  try {
    const page = await client.invoke('ops.list', { ...ops.filter, limit: pageSize });
    store.getState().opsHeadLoaded(generation, page.ops, pageSize);
  } catch (err) {
    store.getState().opsLoadFailed(generation, toRpcError(err).message);
  }
}

export interface OpsHeadRefresher {
  /** Asks for a refresh: runs now if none is in flight, else once more when the one in flight ends. */
  request(): void;
  stop(): void;
}

/**
 * Coalesces head refreshes so that a burst of state changes costs at most one ops.list in flight and one queued
 * behind it, spaced at least `minIntervalMs` apart: live without hammering the host.
 */
export function createOpsHeadRefresher(
  client: BackstayClient,
  store: AppStore,
  options: { minIntervalMs?: number; setTimeout?: (fn: () => void, ms: number) => unknown; clearTimeout?: (h: unknown) => void } = {},
): OpsHeadRefresher {
  const minIntervalMs = options.minIntervalMs ?? 500;
  const schedule = options.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));
  const unschedule = options.clearTimeout ?? ((h: unknown) => globalThis.clearTimeout(h as number));
  let inFlight = false;
  let again = false;
  let stopped = false;
  let lastStart = -Infinity;
  let timer: unknown = null;

  const run = (): void => {
    timer = null;
    if (stopped) return;
    inFlight = true;
    again = false;
    lastStart = Date.now();
    void refreshOpsHead(client, store).finally(() => {
      inFlight = false;
      if (again) request();
    });
  };
  const request = (): void => {
    if (stopped) return;
    if (inFlight || timer !== null) {
      again = again || inFlight;
      return;
    }
    const wait = lastStart + minIntervalMs - Date.now();
    if (wait > 0) timer = schedule(run, wait);
    else run();
  };
  return {
    request,
    stop() {
      stopped = true;
      if (timer !== null) unschedule(timer);
      timer = null;
    },
  };
}

const LOG_PAGE = 500;

export function createOpsActions(client: BackstayClient, store: AppStore) {
  return {
    get: (opId: number) => client.invoke('ops.get', { opId }),
    /** Up to `limit` lines of an operation's output after sequence number `afterSeq` (from the start when undefined). */
    log: (opId: number, afterSeq: number | undefined, limit = LOG_PAGE) =>
      client.invoke('ops.log', { opId, limit, ...(afterSeq !== undefined ? { afterSeq } : {}) }),
    loadOlder: () => loadOlderOps(client, store),
    headRefresher: () => createOpsHeadRefresher(client, store),
    /**
     * Marks the cancel as requested at once (the button goes disabled before the state confirms it) and gives the
     * button back when the host refuses.
     */
    async cancel(opId: number) {
      store.getState().cancelRequested(opId);
      try {
        return await client.invoke('ops.cancel', { opId });
      } catch (err) {
        store.getState().cancelFailed(opId);
        throw err;
      }
    },
    keepWaiting: (opId: number) => client.invoke('ops.keepWaiting', { opId }),
  };
}

// Transport in a browser tab opened from `backstay serve`: POST /api/rpc for calls, SSE /api/events for states.
import type { AppState, RpcMethod, RpcParams, RpcResult } from '../../../main/common/index.js';
import { createHttpDownloader } from './download.js';
import { issuesFromData, RpcError, type BackstayClient, type ConnectionStatus, type StateSubscriber } from './types.js';

type EventSourceLike = Pick<EventSource, 'addEventListener' | 'close' | 'readyState'> & {
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
};

export interface HttpClientEnv {
  token: string | null;
  fetch: typeof fetch;
  createEventSource: (url: string) => EventSourceLike;
  /** Where the page was served from; '' means same origin. */
  baseUrl?: string;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** Where a finished download goes (the page's save); absent: this client offers no downloads. */
  saveDownload?: (blob: Blob, fileName: string) => void;
}

const EVENT_SOURCE_CLOSED = 2;
const MAX_RETRY_MS = 15_000;

export function createHttpClient(env: HttpClientEnv): BackstayClient {
  const base = env.baseUrl ?? '';
  const schedule = env.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));
  const unschedule = env.clearTimeout ?? ((h: unknown) => globalThis.clearTimeout(h as number));
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const announce = (s: ConnectionStatus): void => statusListeners.forEach((l) => l(s));

  async function post(method: string, params: unknown): Promise<Response> {
    if (!env.token) throw new RpcError('UNAUTHORIZED', 'This page is not signed in.');
    try {
      return await env.fetch(`${base}/api/rpc`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${env.token}` },
        body: JSON.stringify({ method, params }),
      });
    } catch {
      throw new RpcError('NETWORK', 'Backstay is not answering. Is `backstay serve` still running?');
    }
  }

  async function invoke<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    const res = await post(method, params);
    if (res.status === 401) announce('unauthorized');
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new RpcError('INTERNAL', `Backstay answered ${res.status} without a readable body.`);
    }
    const b = body as { result?: unknown; error?: { code?: string; message?: string; data?: unknown } };
    if (!res.ok || b.error) {
      throw new RpcError(b.error?.code ?? 'INTERNAL', b.error?.message ?? `Backstay answered ${res.status}.`, issuesFromData(b.error?.data));
    }
    return b.result as RpcResult<M>;
  }

  function subscribeState(subscriber: StateSubscriber): () => void {
    const onStatus = (s: ConnectionStatus): void => subscriber.onStatus?.(s);
    statusListeners.add(onStatus);
    let source: EventSourceLike | null = null;
    let retryTimer: unknown = null;
    let retryMs = 1000;
    let stopped = false;

    if (!env.token) {
      onStatus('unauthorized');
      return () => statusListeners.delete(onStatus);
    }

    const open = (): void => {
      if (stopped) return;
      const es = env.createEventSource(`${base}/api/events?token=${encodeURIComponent(env.token!)}`);
      source = es;
      es.onopen = () => {
        retryMs = 1000;
        onStatus('connected');
      };
      es.addEventListener('state', (ev: Event) => {
        let state: AppState;
        try {
          state = JSON.parse((ev as MessageEvent<string>).data) as AppState;
        } catch {
          return; // a torn event is dropped; the next whole state supersedes it anyway
        }
        subscriber.onState(state);
      });
      es.onerror = () => {
        if (stopped) return;
        if (es.readyState !== EVENT_SOURCE_CLOSED) {
          onStatus('reconnecting'); // the browser retries by itself
          return;
        }
        // The browser gave up (a non-200 answer, such as 401): find out why, then retry ourselves.
        es.close();
        void whyClosed().then((status) => {
          if (stopped) return;
          onStatus(status);
          if (status === 'unauthorized') return;
          retryTimer = schedule(open, retryMs);
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        });
      };
    };

    async function whyClosed(): Promise<ConnectionStatus> {
      try {
        const res = await post('state.get', {});
        return res.status === 401 ? 'unauthorized' : 'reconnecting';
      } catch {
        return 'reconnecting';
      }
    }

    onStatus('connecting');
    open();
    return () => {
      stopped = true;
      statusListeners.delete(onStatus);
      if (retryTimer !== null) unschedule(retryTimer);
      source?.close();
    };
  }

  const download = env.saveDownload ? createHttpDownloader({ token: env.token, fetch: env.fetch, baseUrl: base, save: env.saveDownload }) : undefined;
  return { transport: 'http', canUseKeychain: false, canStartAtLogin: false, invoke, subscribeState, ...(download ? { download } : {}) };
}

import { describe, expect, it, vi } from 'vitest';
import type { AppState, BackstayBridge } from '../../../main/common/index.js';
import { appState } from '../../test-support/fixtures.js';
import { createClient, pickTransport, RpcError, type ClientWindow, type ConnectionStatus } from './index.js';
import { createHttpClient } from './http.js';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

function browserWindow(hash: string, fetchImpl: typeof fetch = vi.fn(), EventSourceImpl?: unknown): ClientWindow & { replaced: string[] } {
  const replaced: string[] = [];
  return {
    replaced,
    location: { hash, pathname: '/', search: '' },
    history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    sessionStorage: memoryStorage(),
    fetch: fetchImpl,
    EventSource: EventSourceImpl as typeof EventSource,
  };
}

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  listeners = new Map<string, ((ev: Event) => void)[]>();
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, cb: (ev: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), cb]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: string) {
    this.listeners.get(type)?.forEach((cb) => cb({ data } as MessageEvent));
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('transport choice', () => {
  it('uses the preload bridge when window.backstay exists, else HTTP', () => {
    const bridge: BackstayBridge = { invoke: vi.fn(), onState: vi.fn(() => () => {}), ackState: vi.fn() };
    expect(pickTransport({ backstay: bridge })).toBe('bridge');
    expect(pickTransport({})).toBe('http');
    expect(createClient({ ...browserWindow(''), backstay: bridge }).transport).toBe('bridge');
    expect(createClient(browserWindow('#token=abc')).transport).toBe('http');
  });

  it('only the desktop client offers the keychain', () => {
    const bridge: BackstayBridge = { invoke: vi.fn(), onState: vi.fn(() => () => {}), ackState: vi.fn() };
    expect(createClient({ ...browserWindow(''), backstay: bridge }).canUseKeychain).toBe(true);
    expect(createClient(browserWindow('#token=abc')).canUseKeychain).toBe(false);
  });
});

describe('bridge client', () => {
  it('acknowledges each state after it was applied', () => {
    let deliver: (s: AppState) => void = () => {};
    const order: string[] = [];
    const bridge: BackstayBridge = {
      invoke: vi.fn(),
      onState: (cb) => {
        deliver = cb;
        return () => {};
      },
      ackState: (v) => void order.push(`ack ${v}`),
    };
    const client = createClient({ ...browserWindow(''), backstay: bridge });
    const statuses: ConnectionStatus[] = [];
    client.subscribeState({ onState: (s) => void order.push(`apply ${s.version}`), onStatus: (s) => void statuses.push(s) });
    deliver(appState({ version: 7 }));
    deliver(appState({ version: 8 }));
    expect(order).toEqual(['apply 7', 'ack 7', 'apply 8', 'ack 8']);
    expect(statuses).toEqual(['connected']);
  });

  it('turns an IPC error into an RpcError with the words', async () => {
    const bridge: BackstayBridge = {
      invoke: vi.fn(async () => {
        throw Object.assign(new Error("Error invoking remote method 'rpc': Error: Unknown plan: x"), { code: 'UNKNOWN_PLAN' });
      }) as BackstayBridge['invoke'],
      onState: () => () => {},
      ackState: () => {},
    };
    const client = createClient({ ...browserWindow(''), backstay: bridge });
    const err = await client.invoke('plans.backup', { planId: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'UNKNOWN_PLAN', message: 'Unknown plan: x' });
  });
});

describe('HTTP client', () => {
  it('takes the token from the hash, keeps it for the tab and clears the address bar', () => {
    const win = browserWindow('#token=s3cr%2Bt');
    const fetchImpl = vi.fn(async () => json(200, { result: appState() }));
    win.fetch = fetchImpl;
    const client = createClient(win);
    expect(win.sessionStorage.getItem('backstay.token')).toBe('s3cr+t');
    expect(win.replaced).toEqual(['/']);
    void client.invoke('state.get', {});
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/rpc');
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer s3cr+t');
    expect(JSON.parse(init.body as string)).toEqual({ method: 'state.get', params: {} });
  });

  it('falls back to the token kept in sessionStorage after a reload', () => {
    const win = browserWindow('');
    win.sessionStorage.setItem('backstay.token', 'kept');
    FakeEventSource.instances = [];
    win.EventSource = FakeEventSource as unknown as typeof EventSource;
    createClient(win).subscribeState({ onState: () => {} });
    expect(FakeEventSource.instances[0]!.url).toBe('/api/events?token=kept');
  });

  it('returns results and throws RpcError {code, message} for error bodies', async () => {
    const client = createHttpClient({
      token: 't',
      fetch: vi.fn(async (_u, init) => {
        const { method } = JSON.parse((init as RequestInit).body as string);
        return method === 'plans.backup' ? json(200, { result: { opId: 5 } }) : json(404, { error: { code: 'UNKNOWN_OPERATION', message: 'No operation 9.' } });
      }) as typeof fetch,
      createEventSource: () => new FakeEventSource('') as never,
    });
    await expect(client.invoke('plans.backup', { planId: 'home' })).resolves.toEqual({ opId: 5 });
    const err = await client.invoke('ops.get', { opId: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'UNKNOWN_OPERATION', message: 'No operation 9.' });
  });

  it('says the server is gone when fetch itself fails', async () => {
    const client = createHttpClient({ token: 't', fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))), createEventSource: () => new FakeEventSource('') as never });
    await expect(client.invoke('state.get', {})).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('applies SSE state events and reports a broken stream as reconnecting', () => {
    FakeEventSource.instances = [];
    const client = createHttpClient({ token: 't k', fetch: vi.fn(), createEventSource: (u) => new FakeEventSource(u) as never });
    const states: number[] = [];
    const statuses: ConnectionStatus[] = [];
    const stop = client.subscribeState({ onState: (s) => void states.push(s.version), onStatus: (s) => void statuses.push(s) });
    const es = FakeEventSource.instances[0]!;
    expect(es.url).toBe('/api/events?token=t%20k');
    es.readyState = 1;
    es.onopen?.(new Event('open'));
    es.emit('state', JSON.stringify(appState({ version: 3 })));
    es.emit('state', '{torn');
    es.readyState = 0; // the browser is retrying by itself
    es.onerror?.(new Event('error'));
    expect(states).toEqual([3]);
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting']);
    stop();
    expect(es.closed).toBe(true);
  });

  it('asks why a closed stream closed: 401 means sign in again, anything else retries', async () => {
    FakeEventSource.instances = [];
    let answer = 401;
    const timers: (() => void)[] = [];
    const client = createHttpClient({
      token: 't',
      fetch: vi.fn(async () => json(answer, answer === 401 ? { error: { code: 'UNAUTHORIZED', message: 'no' } } : { result: appState() })),
      createEventSource: (u) => new FakeEventSource(u) as never,
      setTimeout: (fn) => timers.push(fn),
    });
    const statuses: ConnectionStatus[] = [];
    client.subscribeState({ onState: () => {}, onStatus: (s) => void statuses.push(s) });
    const first = FakeEventSource.instances[0]!;
    first.readyState = 2;
    first.onerror?.(new Event('error'));
    await vi.waitFor(() => expect(statuses.at(-1)).toBe('unauthorized'));
    expect(timers).toHaveLength(0);

    // A second subscription on a server that answers again (e.g. a restart): reconnect after a delay.
    answer = 200;
    client.subscribeState({ onState: () => {}, onStatus: (s) => void statuses.push(s) });
    const second = FakeEventSource.instances[1]!;
    second.readyState = 2;
    second.onerror?.(new Event('error'));
    await vi.waitFor(() => expect(timers).toHaveLength(1));
    expect(statuses.at(-1)).toBe('reconnecting');
    timers[0]!();
    expect(FakeEventSource.instances).toHaveLength(3);
  });

  it('without a token reports unauthorized at once and opens no stream', () => {
    FakeEventSource.instances = [];
    const client = createHttpClient({ token: null, fetch: vi.fn(), createEventSource: (u) => new FakeEventSource(u) as never });
    const statuses: ConnectionStatus[] = [];
    client.subscribeState({ onState: () => {}, onStatus: (s) => void statuses.push(s) });
    expect(statuses).toEqual(['unauthorized']);
    expect(FakeEventSource.instances).toHaveLength(0);
  });
});

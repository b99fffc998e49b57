import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/index.js';
import { HostClient } from './client.js';
import { CONTENT_SECURITY_POLICY, startServer, type RunningServer, type ServerOptions } from './server.js';
import { createFakeEngine, makeAppState, progressState, silentLogger, type FakeEngine } from './testing/fake-engine.js';
import { request, stuckSseClient, waitFor } from './testing/http.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvw';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(
  engine: FakeEngine = createFakeEngine(),
  extra: Partial<ServerOptions> = {},
): Promise<{ server: RunningServer; engine: FakeEngine; errors: string[] }> {
  const errors: string[] = [];
  const logger = { info() {}, warn() {}, error: (m: string, f?: Record<string, unknown>) => errors.push(`${m} ${JSON.stringify(f)}`) };
  const server = await startServer({ engine, port: 0, host: '127.0.0.1', token: TOKEN, staticDir: null, logger, ...extra });
  cleanups.push(() => server.close());
  cleanups.push(() => engine.publisher.close());
  return { server, engine, errors };
}

const auth = { Authorization: `Bearer ${TOKEN}` };
const rpcBody = (method: string, params?: unknown) => JSON.stringify({ method, params });

function fakeRpcEngine(): FakeEngine {
  return createFakeEngine({
    handlers: {
      'plans.backup': (params) => {
        const planId = (params as { planId?: unknown }).planId;
        if (typeof planId !== 'string') throw new BackstayError('BAD_PARAMS', 'planId must be a string.');
        if (planId !== 'home') throw new BackstayError('UNKNOWN_PLAN', `No plan "${planId}".`);
        return { opId: 7 };
      },
      'ops.cancel': () => {
        throw new Error('database exploded at /secret/path');
      },
    },
  });
}

describe('serve: who may ask', () => {
  it('requires the bearer token for /api (401 with JSON code) and compares it exactly', async () => {
    const { server } = await start(fakeRpcEngine());
    const post = (headers: Record<string, string>) =>
      request(server.port, { method: 'POST', path: '/api/rpc', headers, body: rpcBody('state.get') });
    for (const headers of [{} as Record<string, string>, { Authorization: 'Bearer wrong' }, { Authorization: `Bearer ${TOKEN}x` }, { Authorization: `Basic ${TOKEN}` }, { Authorization: `Bearer ${TOKEN.slice(0, -1)}` }]) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe('UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await post(auth)).status).toBe(200);
    // ?token= is for EventSource only; not accepted for rpc.
    const viaQuery = await request(server.port, { method: 'POST', path: `/api/rpc?token=${TOKEN}`, body: rpcBody('state.get') });
    expect(viaQuery.status).toBe(401);
    // Unknown API paths do not reveal themselves without the token.
    expect((await request(server.port, { path: '/api/nothing' })).status).toBe(401);
    const unknown = await request(server.port, { path: '/api/nothing', headers: auth });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('NOT_FOUND');
  });

  it('refuses a foreign Host (DNS rebinding) with 403 on every path, and accepts the loopback names', async () => {
    const { server } = await start();
    const port = server.port;
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `127.0.0.2:${port}`]) {
      for (const p of ['/', '/api/rpc', '/metrics']) {
        const res = await request(port, { path: p, headers: { ...auth, Host: host } });
        expect(res.status, `${host} ${p}`).toBe(403);
        expect(JSON.parse(res.body).error.code).toBe('FORBIDDEN');
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const res = await request(port, { method: 'POST', path: '/api/rpc', headers: { ...auth, Host: host }, body: rpcBody('state.get') });
      expect(res.status, host).toBe(200);
    }
  });

  it('refuses a foreign Origin with 403 even with the token; its own origin is fine', async () => {
    const { server } = await start();
    const port = server.port;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      const res = await request(port, { method: 'POST', path: '/api/rpc', headers: { ...auth, Origin: origin }, body: rpcBody('state.get') });
      expect(res.status, origin).toBe(403);
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const res = await request(port, { method: 'POST', path: '/api/rpc', headers: { ...auth, Origin: origin }, body: rpcBody('state.get') });
      expect(res.status, origin).toBe(200);
    }
  });

  it('refuses an oversized body with 413, declared or streamed', async () => {
    const { server, engine } = await start(createFakeEngine(), { bodyLimitBytes: 1024 * 1024 });
    const big = JSON.stringify({ method: 'state.get', params: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    for (const chunked of [false, true]) {
      const res = await request(server.port, { method: 'POST', path: '/api/rpc', headers: auth, body: big, chunked });
      expect(res.status, `chunked=${chunked}`).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    }
    expect(engine.calls).toHaveLength(0);
    // Just under the limit still works.
    const ok = JSON.stringify({ method: 'state.get', params: { pad: 'x'.repeat(1000 * 1024) } });
    expect((await request(server.port, { method: 'POST', path: '/api/rpc', headers: auth, body: ok })).status).toBe(200);
  });
});

describe('serve: POST /api/rpc', () => {
  it('calls the engine rpc with host "serve" and returns {result}', async () => {
    const { server, engine } = await start(fakeRpcEngine());
    const res = await request(server.port, { method: 'POST', path: '/api/rpc', headers: auth, body: rpcBody('plans.backup', { planId: 'home' }) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ result: { opId: 7 } });
    expect(engine.calls.at(-1)).toEqual({ method: 'plans.backup', params: { planId: 'home' }, host: 'serve' });
    // Missing params are {}.
    await request(server.port, { method: 'POST', path: '/api/rpc', headers: auth, body: JSON.stringify({ method: 'state.get' }) });
    expect(engine.calls.at(-1)!.params).toEqual({});
  });

  it('maps errors to codes and statuses: unknown method, bad params, unknown plan, bad JSON, wrong shape', async () => {
    const { server } = await start(fakeRpcEngine());
    const cases: Array<[string, number, string]> = [
      [rpcBody('no.such', {}), 404, 'UNKNOWN_METHOD'],
      [rpcBody('plans.backup', { planId: 5 }), 400, 'BAD_PARAMS'],
      [rpcBody('plans.backup', { planId: 'work' }), 404, 'UNKNOWN_PLAN'],
      ['{"method": "state.get",', 400, 'BAD_PARAMS'],
      ['', 400, 'BAD_PARAMS'],
      ['[1,2]', 400, 'BAD_PARAMS'],
      ['{"method": 42}', 400, 'BAD_PARAMS'],
    ];
    for (const [body, status, code] of cases) {
      const res = await request(server.port, { method: 'POST', path: '/api/rpc', headers: auth, body });
      expect(res.status, body).toBe(status);
      const parsed = JSON.parse(res.body);
      expect(parsed.error.code, body).toBe(code);
      expect(typeof parsed.error.message).toBe('string');
    }
  });

  it('turns a non-Backstay error into 500 INTERNAL with a generic message; details go to the log only', async () => {
    const { server, errors } = await start(fakeRpcEngine());
    const res = await request(server.port, { method: 'POST', path: '/api/rpc', headers: auth, body: rpcBody('ops.cancel', { opId: 1 }) });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).error.code).toBe('INTERNAL');
    expect(res.body).not.toContain('/secret/path');
    expect(errors.join('\n')).toContain('/secret/path');
  });
});

describe('serve: GET /api/events', () => {
  it('sends a state at once, then at most uiUpdateHz a second during a flood, only on change', async () => {
    const engine = createFakeEngine({ initial: progressState(1, 0, 10) });
    const { server } = await start(engine);
    const client = new HostClient({ port: server.port, token: TOKEN });
    const received: Array<{ at: number; version: number }> = [];
    const abort = new AbortController();
    const following = client.events((s) => received.push({ at: performance.now(), version: s.version }), abort.signal);
    await waitFor(() => received.length === 1, 5000, 'first state');
    expect(received[0]!.version).toBe(1);

    let version = 1;
    const flood = setInterval(() => {
      for (let i = 0; i < 20; i++) engine.publisher.publish(progressState(++version, version * 1000, 10));
    }, 1);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(flood);
    const during = received.filter((r) => r.at > t0);
    // 10 Hz over 1.5 s: ~15; never more than the rate allows.
    expect(during.length).toBeGreaterThanOrEqual(11);
    expect(during.length).toBeLessThanOrEqual(16);
    for (let i = 1; i < received.length; i++) expect(received[i]!.at - received[i - 1]!.at).toBeGreaterThan(80);
    // The last change arrives, and then nothing more while nothing changes.
    await waitFor(() => received.at(-1)!.version === version, 2000, 'latest version');
    const count = received.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(received.length).toBe(count);
    abort.abort();
    await following;
  });

  it('accepts ?token= (EventSource), sends keepalive comments, and cleans up when the client goes', async () => {
    const { server, engine } = await start(createFakeEngine(), { keepaliveMs: 30 });
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      import('node:http').then(({ default: http }) => {
        const req = http.get({ host: '127.0.0.1', port: server.port, path: `/api/events?token=${TOKEN}`, agent: false }, resolve);
        req.on('error', reject);
      });
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    await waitFor(() => text.includes('event: state\ndata: {"version":1,') && text.includes(': keepalive\n\n'), 3000, 'state and keepalive');
    expect(engine.publisher.subscriberCount).toBe(1);
    res.destroy();
    await waitFor(() => engine.publisher.subscriberCount === 0 && server.stats().eventStreams === 0, 3000, 'cleanup');
  });

  it('30 clients that never read cost at most one state each while a reading client keeps its rate', async () => {
    const HZ = 20;
    const PAD = 256 * 1024; // big states so the non-readers' socket buffers fill within the test
    const engine = createFakeEngine({ initial: progressState(1, 0, HZ, PAD) });
    const { server } = await start(engine);
    const eventSize = `event: state\ndata: ${JSON.stringify(progressState(999999, 999999999, HZ, PAD))}\n\n`.length;

    const stuck: net.Socket[] = [];
    for (let i = 0; i < 30; i++) stuck.push(await stuckSseClient(server.port, TOKEN));
    cleanups.push(() => stuck.forEach((s) => s.destroy()));
    await waitFor(() => engine.publisher.subscriberCount === 30, 5000, '30 subscribers');

    const gc = await exposeGc();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    const client = new HostClient({ port: server.port, token: TOKEN });
    const received: number[] = [];
    const abort = new AbortController();
    const following = client.events((s) => received.push(s.version), abort.signal);

    let version = 1;
    let maxBuffered = 0;
    let maxPending = 0;
    const flood = setInterval(() => {
      for (let i = 0; i < 5; i++) engine.publisher.publish(progressState(++version, version, HZ, PAD));
      const stats = server.stats();
      maxBuffered = Math.max(maxBuffered, stats.maxBufferedBytes);
      maxPending = Math.max(maxPending, stats.maxPending);
    }, 1);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 2500));
    clearInterval(flood);
    const elapsed = (performance.now() - t0) / 1000;

    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const stats = server.stats();
    // The non-readers really are backed up (otherwise this test would prove nothing)...
    expect(stats.eventStreams).toBe(31);
    expect(version).toBeGreaterThan(1000);
    expect(stats.totalBufferedBytes).toBeGreaterThan(10 * eventSize);
    // ...yet each holds at most one state in our buffers and at most one pending in the publisher.
    expect(maxBuffered).toBeLessThanOrEqual(eventSize + 64);
    expect(maxPending).toBeLessThanOrEqual(1);
    // Without flow control this would be 30 clients x 20 Hz x 2.5 s x 256 KiB = ~375 MB.
    expect(heapGrowth).toBeLessThan(40 * 1024 * 1024);
    // The reading client still gets the configured rate (within scheduling slack).
    expect(received.length).toBeGreaterThanOrEqual(Math.floor(HZ * elapsed * 0.7));
    expect(received.length).toBeLessThanOrEqual(Math.ceil(HZ * elapsed) + 2);

    // Vanished clients are cleaned up.
    stuck.forEach((s) => s.destroy());
    await waitFor(() => engine.publisher.subscriberCount === 1 && server.stats().eventStreams === 1, 5000, 'cleanup of 30');
    abort.abort();
    await following;
    await waitFor(() => engine.publisher.subscriberCount === 0, 5000, 'cleanup of the reader');
  });

  it('a client that resumes reading gets the latest state', async () => {
    const PAD = 256 * 1024;
    const engine = createFakeEngine({ initial: progressState(1, 0, 20, PAD) });
    const { server } = await start(engine);
    const socket = await stuckSseClient(server.port, TOKEN);
    cleanups.push(() => void socket.destroy());
    let version = 1;
    const flood = setInterval(() => engine.publisher.publish(progressState(++version, version, 20, PAD)), 1);
    await waitFor(() => server.stats().totalBufferedBytes > 0, 5000, 'backpressure');
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(flood);
    expect(server.stats().maxPending).toBe(1);
    let tail = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (tail = (tail + c).slice(-2 * PAD)));
    socket.resume();
    await waitFor(() => tail.includes(`data: {"version":${version},`), 5000, 'latest version after resume');
    expect(server.stats().maxPending).toBe(0);
  });
});

describe('serve: /metrics and static files', () => {
  it('/metrics needs the token and returns Prometheus text', async () => {
    const { server } = await start(createFakeEngine({ initial: makeAppState(3) }));
    expect((await request(server.port, { path: '/metrics' })).status).toBe(401);
    const res = await request(server.port, { path: '/metrics', headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('backstay_up 1\n');
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-static-'));
    cleanups.push(() => fs.rm(root, { recursive: true, force: true }));
    const dist = path.join(root, 'dist');
    await fs.mkdir(path.join(dist, 'assets'), { recursive: true });
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Backstay UI</title>');
    await fs.writeFile(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    await fs.writeFile(path.join(root, 'secret.txt'), 'SECRET');
    await fs.symlink(path.join(root, 'secret.txt'), path.join(dist, 'link.txt'));
    const { server } = await start(createFakeEngine(), { staticDir: dist });

    const index = await request(server.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.body).toContain('Backstay UI');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const js = await request(server.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');

    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/link.txt', '/assets', '/nope.js', '/%00', '/%E0%A4%A']) {
      const res = await request(server.port, { path: p });
      expect(res.status, p).toBe(404);
      expect(res.body, p).not.toContain('SECRET');
    }
  });

  it('without a built renderer, / says how to build it', async () => {
    const { server } = await start(createFakeEngine(), { staticDir: '/nonexistent/dist/renderer' });
    const res = await request(server.port, { path: '/' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('npm run build');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('serve: close', () => {
  it('ends event streams and stops listening, even with stuck clients', async () => {
    const { server, engine } = await start(createFakeEngine({ initial: progressState(1, 0, 20, 256 * 1024) }));
    const stuck = await Promise.all([1, 2, 3].map(() => stuckSseClient(server.port, TOKEN)));
    cleanups.push(() => stuck.forEach((s) => s.destroy()));
    await waitFor(() => engine.publisher.subscriberCount === 3, 5000, 'subscribers');
    await server.close();
    expect(engine.publisher.subscriberCount).toBe(0);
    await expect(request(server.port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});

async function exposeGc(): Promise<() => void> {
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

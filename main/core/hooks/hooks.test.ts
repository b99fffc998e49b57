import { promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operation } from '../../common/operation.js';
import { describeHookResult, runHooks } from './hooks.js';

const op: Operation = {
  id: 42,
  kind: 'backup',
  trigger: 'schedule',
  planId: 'home',
  repoId: 'nas',
  status: 'success',
  createdAt: '2026-11-25T10:00:00.000Z',
  startedAt: '2026-11-25T10:00:01.000Z',
  endedAt: '2026-11-25T10:05:00.000Z',
  snapshotId: '4f1c2a3b',
  error: null,
  progress: null,
  summary: { dataAdded: 123 },
  stalledSince: null,
  stall: null,
  itemErrors: [],
  retryOf: null,
  ownerPid: 1,
  ownerStartedAt: null,
  resticPid: null,
  params: null,
};

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-hooks-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;

async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Alive and not a zombie (a killed orphan stays a zombie until init reaps it, which can take a while). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) said it exists
  }
}

describe('command hooks', () => {
  it('runs with the operation as JSON on stdin and BACKSTAY_* in the environment; only for its events', async () => {
    const out = path.join(dir, 'out.json');
    const envOut = path.join(dir, 'env.txt');
    const command = `cat > ${q(out)}; echo "$BACKSTAY_EVENT $BACKSTAY_OP_ID $BACKSTAY_PLAN $BACKSTAY_STATUS $BACKSTAY_REPO" > ${q(envOut)}; echo hello`;
    const results = await runHooks(
      'success',
      op,
      [
        { on: ['success', 'warning'], command },
        { on: ['error'], command: `touch ${q(path.join(dir, 'wrong-event'))}` },
      ],
      { timeoutMs: 10_000 },
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: true, exitCode: 0, timedOut: false, event: 'success', output: 'hello' });
    expect(JSON.parse(await fs.readFile(out, 'utf8'))).toEqual(op);
    expect((await fs.readFile(envOut, 'utf8')).trim()).toBe('success 42 home success nas');
    await expect(fs.stat(path.join(dir, 'wrong-event'))).rejects.toThrow();
  });

  it('a failing command is reported with its exit code and output', async () => {
    const [result] = await runHooks('error', op, [{ on: ['error'], command: 'echo oops >&2; exit 3' }], { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, exitCode: 3, error: 'exited with code 3', output: 'oops' });
    expect(describeHookResult(result!)).toMatch(/^hook command "echo oops >&2; exit 3" on error: failed, exited with code 3 \(\d+ ms\)$/);
  });

  it('a hanging command is killed at its timeout, with everything it started', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const started = Date.now();
    const [result] = await runHooks(
      'start',
      op,
      [{ on: ['start'], command: `sleep 60 & echo $! > ${q(pidFile)}; wait`, timeoutMs: 300 }],
      { timeoutMs: 60_000 },
    );
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ ok: false, timedOut: true, error: 'timed out after 300 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3_000);
    const childPid = Number(await fs.readFile(pidFile, 'utf8'));
    await waitUntil(() => !isAlive(childPid), 2_000);
  });

  it('a hanging hook does not hold up a quick one (they run side by side)', async () => {
    const started = Date.now();
    const results = await runHooks(
      'stall',
      op,
      [
        { on: ['stall'], command: 'sleep 60', timeoutMs: 400 },
        { on: ['stall'], command: 'true' },
      ],
      { timeoutMs: 10_000 },
    );
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(results[1]!.durationMs).toBeLessThan(results[0]!.durationMs);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('webhooks', () => {
  let server: http.Server;
  let port: number;
  const received: { method?: string; type?: string; body: unknown; url?: string }[] = [];
  let respond: (res: http.ServerResponse) => void;

  beforeEach(async () => {
    received.length = 0;
    respond = (res) => res.end('ok');
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body), url: req.url });
        respond(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs {event, operation} as JSON; the secret part of the URL is kept out of the result', async () => {
    const [result] = await runHooks('success', op, [{ on: ['success'], url: `http://127.0.0.1:${port}/ping/secret-uuid` }], {
      timeoutMs: 5_000,
    });
    expect(result).toMatchObject({ ok: true, httpStatus: 200, timedOut: false, hook: `POST http://127.0.0.1:${port}/…` });
    expect(received).toEqual([{ method: 'POST', type: 'application/json', body: { event: 'success', operation: op }, url: '/ping/secret-uuid' }]);
    expect(JSON.stringify(result)).not.toContain('secret-uuid');
  });

  it('an HTTP error status is a failed hook', async () => {
    respond = (res) => {
      res.statusCode = 500;
      res.end('no');
    };
    const [result] = await runHooks('error', op, [{ on: ['error'], url: `http://127.0.0.1:${port}/fail` }], { timeoutMs: 5_000 });
    expect(result).toMatchObject({ ok: false, httpStatus: 500, error: 'HTTP 500 Internal Server Error' });
  });

  it('a server that never answers is aborted at the timeout', async () => {
    respond = () => undefined; // hold the request open
    const started = Date.now();
    const [result] = await runHooks('start', op, [{ on: ['start'], url: `http://127.0.0.1:${port}/hang`, timeoutMs: 300 }], {
      timeoutMs: 60_000,
    });
    expect(result).toMatchObject({ ok: false, timedOut: true, error: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a URL nothing listens on fails cleanly (connection refused)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const [result] = await runHooks('error', op, [{ on: ['error'], url: `http://127.0.0.1:${deadPort}/` }], { timeoutMs: 5_000 });
    expect(result).toMatchObject({ ok: false, timedOut: false, httpStatus: null });
    expect(result!.error).toContain('ECONNREFUSED');
  });
});

describe('a time limit beyond what one timer holds (2^31-1 ms) does not fire at once', () => {
  const LONGER_THAN_A_TIMER_MS = 2 ** 31 + 60_000;
  it.each([
    ['a command hook', { on: ['success' as const], command: 'sleep 0.3' }],
    ['a webhook', { on: ['success' as const], url: 'http://127.0.0.1:1/' }],
  ])('%s', async (_what, hook) => {
    let server: http.Server | null = null;
    let config = hook as { on: ['success']; command?: string; url?: string };
    if (config.url) {
      // Answers after 300 ms: a limit that fired at once would abort it first.
      server = http.createServer((_req, res) => setTimeout(() => res.end('ok'), 300));
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      config = { ...config, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
    }
    try {
      const [result] = await runHooks('success', op, [config], { timeoutMs: LONGER_THAN_A_TIMER_MS });
      expect(result).toMatchObject({ ok: true, timedOut: false });
    } finally {
      server?.closeAllConnections();
      server?.close();
    }
  });
});

it('never rejects, whatever the hook list holds', async () => {
  const results = await runHooks('cancel', op, [{ on: ['cancel'], url: 'not a url' }], { timeoutMs: 1_000 });
  expect(results).toHaveLength(1);
  expect(results[0]!.ok).toBe(false);
});

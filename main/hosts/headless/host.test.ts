import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/index.js';
import { HostClient, HostUnreachableError } from './client.js';
import { startHeadlessHost } from './host.js';
import { readServeInfo, serveInfoPath, writeServeInfo } from './serve-info.js';
import { startServer } from './server.js';
import { createFakeEngine, silentLogger } from './testing/fake-engine.js';
import { waitFor } from './testing/http.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-serve-'));
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('startHeadlessHost', () => {
  it('writes serve.json (0600) with a fresh token, prints the ready line, and removes the file on close', async () => {
    const engine = createFakeEngine({ dataDir });
    const host = await startHeadlessHost({ engine, port: 0, staticDir: null, logger: silentLogger });
    try {
      const ready = JSON.parse(host.readyLine);
      expect(ready).toEqual({ ready: true, url: `http://127.0.0.1:${host.server.port}/#token=${host.token}`, port: host.server.port, token: host.token });
      expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stat = await fs.stat(serveInfoPath(dataDir));
      expect(stat.mode & 0o777).toBe(0o600);
      const info = await readServeInfo(dataDir);
      expect(info).toMatchObject({ pid: process.pid, port: host.server.port, token: host.token });

      // `backstay backup` finds it and can talk to it.
      const client = await HostClient.forDataDir(dataDir);
      expect(client).not.toBeNull();
      const state = await client!.rpc('state.get', {});
      expect(state.version).toBe(1);
    } finally {
      await host.close();
    }
    await expect(fs.stat(serveInfoPath(dataDir))).rejects.toThrow(/ENOENT/);
    expect(await HostClient.forDataDir(dataDir)).toBeNull();
  });

  it('refuses to start when another live host serves the data directory', async () => {
    await writeServeInfo(dataDir, { pid: process.ppid, port: 1, token: 't', startedAt: new Date().toISOString() });
    const engine = createFakeEngine({ dataDir });
    const error = await startHeadlessHost({ engine, port: 0, staticDir: null, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackstayError);
    expect((error as BackstayError).code).toBe('ALREADY_RUNNING');
  });

  it('ignores the serve.json of a dead host, and replaces it', async () => {
    await writeServeInfo(dataDir, { pid: await deadPid(), port: 1, token: 't', startedAt: new Date().toISOString() });
    expect(await readServeInfo(dataDir)).toBeNull();
    const host = await startHeadlessHost({ engine: createFakeEngine({ dataDir }), port: 0, staticDir: null, logger: silentLogger });
    expect((await readServeInfo(dataDir))?.port).toBe(host.server.port);
    await host.close();
  });

  it('readServeInfo returns null for garbage', async () => {
    await fs.writeFile(serveInfoPath(dataDir), '{"pid": "x"');
    expect(await readServeInfo(dataDir)).toBeNull();
    await fs.writeFile(serveInfoPath(dataDir), JSON.stringify({ pid: process.pid, port: 0, token: 'x', startedAt: '' }));
    expect(await readServeInfo(dataDir)).toBeNull();
  });
});

describe('HostClient', () => {
  it('maps host errors to BackstayError with the code, and a dead host to HostUnreachableError', async () => {
    const engine = createFakeEngine({
      handlers: { 'plans.backup': () => { throw new BackstayError('UNKNOWN_PLAN', 'No plan "x".'); } },
    });
    const server = await startServer({ engine, port: 0, token: 'tok', staticDir: null, logger: silentLogger });
    const client = new HostClient({ port: server.port, token: 'tok' });
    const error = await client.rpc('plans.backup', { planId: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackstayError);
    expect((error as BackstayError).code).toBe('UNKNOWN_PLAN');
    expect((error as BackstayError).message).toBe('No plan "x".');

    const wrong = new HostClient({ port: server.port, token: 'nope' });
    const unauthorized = await wrong.events(() => {}, new AbortController().signal).catch((e: unknown) => e);
    expect((unauthorized as BackstayError).code).toBe('UNAUTHORIZED');

    // The stream ending (host shutting down) is reported, not silently resolved.
    const following = client.events(() => {}, new AbortController().signal);
    await waitFor(() => engine.publisher.subscriberCount === 1, 5000, 'subscribed');
    await server.close();
    await expect(following).rejects.toBeInstanceOf(HostUnreachableError);
    await expect(client.rpc('state.get', {})).rejects.toBeInstanceOf(HostUnreachableError);
  });

  it('events() resolves on abort and rejects when onState throws', async () => {
    const engine = createFakeEngine();
    const server = await startServer({ engine, port: 0, token: 'tok', staticDir: null, logger: silentLogger });
    try {
      const client = new HostClient({ port: server.port, token: 'tok' });
      const abort = new AbortController();
      let got = 0;
      const following = client.events(() => {
        got++;
        abort.abort();
      }, abort.signal);
      await expect(following).resolves.toBeUndefined();
      expect(got).toBe(1);
      await expect(client.events(() => { throw new Error('bad consumer'); }, new AbortController().signal)).rejects.toThrow('bad consumer');
    } finally {
      await server.close();
    }
  });
});

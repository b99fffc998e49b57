// `__proto__`, `constructor` and `prototype` in RPC params over HTTP (issue 10, item 8): refused like any unknown
// key, with the path, never dropped. The body is sent as raw JSON text, as a client would send it, to a real engine.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineInternals } from '../../main/core/engine.js';
import { startHeadlessHost, type HeadlessHost } from '../../main/hosts/headless/host.js';
import { silentLogger } from '../../main/hosts/headless/testing/fake-engine.js';
import { request } from '../../main/hosts/headless/testing/http.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';

let ws: Workspace;
let engine: EngineInternals;
let host: HeadlessHost;

beforeAll(async () => {
  ws = await createWorkspace({ files: 1 });
  await ws.writeConfig();
  engine = await startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger: silentLogger, configWatch: false });
  host = await startHeadlessHost({ engine, port: 0, staticDir: null, logger: silentLogger });
});
afterAll(async () => {
  await host?.close();
  await engine?.shutdown();
  await ws?.cleanup();
});

const post = (body: string) =>
  request(host.server.port, {
    method: 'POST',
    path: '/api/rpc',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', Host: `127.0.0.1:${host.server.port}` },
    body,
  });

/** method, params as JSON text with KEY where the reserved key goes, and the path the error names. */
const CASES: [string, string, (string | number)[]][] = [
  ['config.saveRepo', '{"repo": {"id": "nas", "uri": "/srv/r", "password": {"file": "/p"}, "env": {"A": "1", "KEY": "x"}}}', ['repo', 'env', 'KEY']],
  ['config.saveRepo', '{"repo": {"id": "nas", "uri": "/srv/r", "password": {"file": "/p", "KEY": {}}}}', ['repo', 'password', 'KEY']],
  ['config.saveSettings', '{"settings": {"language": "en", "KEY": {"uiUpdateHz": 60}}}', ['settings', 'KEY']],
  ['config.savePlan', '{"plan": {"id": "p", "repo": "local", "paths": ["/x"], "retention": {"keepLast": 1, "KEY": 1}}}', ['plan', 'retention', 'KEY']],
  ['plans.backup', '{"planId": "home", "KEY": {"trigger": "tray"}}', ['KEY']],
  ['ops.list', '{"limit": 5, "KEY": 1}', ['KEY']],
];

describe('reserved keys in RPC params over HTTP', () => {
  const cases = CASES.flatMap(([method, params, at]) =>
    ['__proto__', 'constructor', 'prototype'].map((key) => [method, key, params.replace('KEY', key), at.map((p) => (p === 'KEY' ? key : p))] as const),
  );
  it.each(cases)('%s with %s: 400 BAD_PARAMS naming the path; nothing saved or run', async (method, _key, params, at) => {
    const before = await readFile(path.join(ws.dataDir, 'config.json'), 'utf8');
    const res = await post(`{"method": "${method}", "params": ${params}}`);
    expect(res.status).toBe(400);
    const { error } = JSON.parse(res.body) as { error: { code: string; message: string; data?: { issues: { path: unknown[]; code: string }[] } } };
    expect(error.code).toBe('BAD_PARAMS');
    expect(error.message).toContain(`${at.join('.')}: unknown key`);
    expect(error.data?.issues).toContainEqual(expect.objectContaining({ path: at, code: 'unknown_key' }));
    expect(error.data!.issues.filter((i) => JSON.stringify(i.path) === JSON.stringify(at))).toHaveLength(1);
    expect(await readFile(path.join(ws.dataDir, 'config.json'), 'utf8')).toBe(before);
  });

  it('in the request object itself', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await post(`{"method": "state.get", "params": {}, "${key}": {"method": "ops.list"}}`);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining(key) });
    }
    expect((await post('{"method": "state.get", "params": {}}')).status).toBe(200);
  });
});

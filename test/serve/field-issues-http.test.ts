// A refused save over `serve`'s HTTP API carries every field problem in `error.data.issues` (additive to the
// contract's {code, message}), and the browser client turns it back into an RpcError with those issues.
import { afterEach, describe, expect, it } from 'vitest';
import { FieldIssuesError, type FieldIssue } from '../../main/common/index.js';
import { startServer, type RunningServer } from '../../main/hosts/headless/server.js';
import { createFakeEngine, silentLogger } from '../../main/hosts/headless/testing/fake-engine.js';
import { request } from '../../main/hosts/headless/testing/http.js';
import { createHttpClient } from '../../renderer/src/client/http.js';
import { RpcError } from '../../renderer/src/client/types.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvw';
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const issues: FieldIssue[] = [
  { path: ['plan', 'paths', 1], code: 'not_absolute', message: 'a path must be absolute' },
  { path: ['plan', 'schedule', 'cron'], code: 'invalid_cron', message: 'invalid cron "61 * * * *": Invalid value for minute: 61' },
];

describe('field issues over HTTP', () => {
  it('answers 400 with error.data.issues, and the browser client keeps them', async () => {
    const engine = createFakeEngine({
      handlers: {
        'config.savePlan': () => {
          throw new FieldIssuesError('BAD_PARAMS', 'Invalid params for config.savePlan (2 problems): ...', issues);
        },
      },
    });
    server = await startServer({ engine, port: 0, host: '127.0.0.1', token: TOKEN, staticDir: null, logger: silentLogger });
    const res = await request(server.port, {
      method: 'POST',
      path: '/api/rpc',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ method: 'config.savePlan', params: {} }),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'BAD_PARAMS', message: 'Invalid params for config.savePlan (2 problems): ...', data: { issues } } });

    const client = createHttpClient({
      token: TOKEN,
      fetch: globalThis.fetch,
      baseUrl: `http://127.0.0.1:${server.port}`,
      createEventSource: () => {
        throw new Error('not used');
      },
    });
    const error = await client.invoke('config.savePlan', { plan: { id: 'x', repo: 'r', paths: [] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).issues).toEqual(issues);
    await engine.publisher.close();
  });
});

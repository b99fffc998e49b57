// Every RPC method of the engine, called as a careless or hostile client would: wrong types, unknown ids, ids of the
// wrong shape, paths that climb out, numbers out of range. Each answer is either a result or a typed error the
// window can word (an ErrorCode, never INTERNAL), it comes within a bound, it names no secret, and the engine is
// still well afterwards. Real engine, real restic 0.14, a repository with one snapshot. Besides a fixed list of
// wrong shapes, each method gets params made from its own schema (test/helpers/params-from-schema.ts), so that
// hostile values reach its handler and not only the schema.
import { describe, expect, it } from 'vitest';
import { BackstayError, ERROR_CODES } from '../../main/common/errors.js';
import { silentLogger } from '../../main/core/logging.js';
import type { Operation } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';
import { paramsFromSchema } from '../helpers/params-from-schema.js';
import { buildMethodTable } from '../../main/core/rpc/methods.js';

const fixture = useEngineFixture();

/** Methods that would stop or reshape the test's engine rather than answer (they are tested where they belong). */
const LEFT_OUT = new Set<string>(['config.deletePlan', 'config.deleteRepo']);

const CALL_BOUND_MS = 20_000;

async function finished(engine: EngineInternals, opId: number): Promise<Operation> {
  let op: Operation | null = null;
  await waitUntil(async () => {
    op = await engine.rpc.invoke('ops.get', { opId });
    return !['queued', 'running', 'stalled', 'cancelling'].includes(op.status);
  }, 60_000, `operation ${opId} to end`);
  return op!;
}

function candidates(snapshotId: string): unknown[] {
  return [
    null,
    42,
    'x',
    [],
    {},
    { planId: 'nope' },
    { repoId: 'nope' },
    { opId: 999_999 },
    { opId: -1 },
    { opId: 1.5 },
    { planId: '../../etc' },
    { repoId: 'local', snapshotId: 'zzzz' },
    { repoId: 'local', snapshotId: 'deadbeef' },
    { repoId: 'local', snapshotId, path: '/../../etc/passwd' },
    { repoId: 'local', snapshotId, path: 'relative/path' },
    { repoId: 'local', snapshotId, paths: ['/nope'], target: 'relative' },
    { repoId: 'local', path: '/' },
    { repoId: 'local', limit: 1e12 },
    { path: '/proc/self/../../' },
    { minutes: -5 },
    { minutes: 1e9 },
    { until: 'yesterday' },
    { pattern: '*'.repeat(10_000) },
  ];
}

describe('every RPC method against adversarial params', () => {
  it('answers a result or a typed error, in time, with no secret, and the engine stays well', async () => {
    const ws = await fixture.workspace({ files: 2 });
    await ws.writeConfig();
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger: silentLogger, configWatch: false });
    const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'home' });
    const done = await finished(engine, opId);
    expect(done.status).toBe('success');
    const password = ws.password;

    const problems: string[] = [];
    let calls = 0;
    const tally = new Map<string, number>();
    const schemas = buildMethodTable(engine) as unknown as Record<string, { params: Parameters<typeof paramsFromSchema>[0] }>;
    const snapshotId = done.snapshotId!;
    // Harmless on this machine: no "/" or path outside the test's folder (a location of "/" would be created there).
    const pools = {
      strings: ['nope', 'local', 'home', snapshotId, snapshotId.slice(0, 8), '../../etc', '', 'x'.repeat(3000), `${ws.root}/out`, `${ws.sourceDir}/file-0.bin`, ws.sourceDir, '*', 'a\u0000b', 'ü名', '2026-13-45T99:00:00Z'],
      numbers: [0, -1, 1.5, 999_999, 1e12, Number.MAX_SAFE_INTEGER, 1],
    };
    // What changes the repository's password or the config goes last, so the rest meets the repository as it was.
    const last = (m: string) => (/^(config\.(save|import)|repos\.setPassword)/.test(m) ? 1 : 0);
    const order = engine.rpc.methods.filter((m) => !LEFT_OUT.has(m)).sort((a, b) => last(a) - last(b) || a.localeCompare(b));
    for (const method of order) {
      for (const params of [...candidates(snapshotId), ...paramsFromSchema(schemas[method]!.params, pools, 24)]) {
        calls += 1;
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CALL_BOUND_MS)));
        const answer = await Promise.race([engine.rpc.call(method, params, { host: 'serve' }).then((r) => ({ r }), (e: unknown) => ({ e })), bound]);
        clearTimeout(timer);
        const what = `${method}(${JSON.stringify(params)?.slice(0, 80)})`;
        if (answer === 'timeout') {
          problems.push(`${what}: no answer in ${CALL_BOUND_MS} ms`);
          continue;
        }
        if ('e' in answer) {
          const e = answer.e;
          tally.set(e instanceof BackstayError ? e.code : 'untyped', (tally.get(e instanceof BackstayError ? e.code : 'untyped') ?? 0) + 1);
          if (!(e instanceof BackstayError)) problems.push(`${what}: untyped ${String(e)}`);
          else if (!(ERROR_CODES as readonly string[]).includes(e.code) || e.code === 'INTERNAL') problems.push(`${what}: ${e.code} ${e.message}`);
          else if (e.message.includes(password) || String(e.detail ?? '').includes(password)) problems.push(`${what}: the password in the error`);
        } else if ((tally.set('ok', (tally.get('ok') ?? 0) + 1), JSON.stringify(answer.r ?? null).includes(password))) {
          problems.push(`${what}: the password in the answer`);
        }
        if (Date.now() - started > CALL_BOUND_MS) problems.push(`${what}: ${Date.now() - started} ms`);
      }
    }
    expect(problems).toEqual([]);
    // The shaped params get past the schemas: a good share of the calls reach the handlers (measured: about 370).
    const pastSchemas = [...tally].filter(([code]) => code !== 'BAD_PARAMS').reduce((n, [, count]) => n + count, 0);
    expect(pastSchemas).toBeGreaterThan(250);
    expect(calls).toBeGreaterThan(500);
    // Still well: it answers, and nothing it started is left looking alive.
    expect((await engine.rpc.invoke('state.get', {})).version).toBeGreaterThan(0);
    await waitUntil(async () => (await engine.rpc.invoke('ops.list', { limit: 1000 })).ops.every((o) => !['queued', 'running', 'stalled', 'cancelling'].includes(o.status)), 300_000, 'every operation to end');
  }, 600_000);
});

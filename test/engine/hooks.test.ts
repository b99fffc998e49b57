// Hooks through the engine with real restic 0.14 (issue 6, "Hooks"): command hooks, global and per plan, fire
// once per event with the operation on stdin; a hook that hangs is killed at hookTimeoutSeconds, never holds up
// the backup, and its result is logged on the operation.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OpLogLine, Operation } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { isPidAlive } from '../../main/core/process/process-identity.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();

const hookLines = (e: EngineInternals, opId: number): OpLogLine[] =>
  e.store.readLog(opId).filter((l) => l.stream === 'backstay' && l.text.startsWith('hook '));

/** Hook results are logged when the hooks finish, after the operation: wait for `count` of them. */
async function waitForHookResults(e: EngineInternals, opId: number, count: number): Promise<OpLogLine[]> {
  await waitUntil(() => hookLines(e, opId).length >= count, 15_000, `${count} hook results on operation ${opId}`);
  return hookLines(e, opId);
}

async function readLines(file: string): Promise<string[]> {
  return existsSync(file) ? (await readFile(file, 'utf8')).split('\n').filter(Boolean) : [];
}

async function backup(e: EngineInternals, planId: string): Promise<Operation> {
  const { opId } = await e.rpc.invoke('plans.backup', { planId });
  return e.orchestrator.waitFor(opId);
}

describe('hooks through the engine', () => {
  it('fire once per event, global and per plan, with the operation as JSON on stdin', async () => {
    const ws = await fixture.workspace({ files: 2 });
    const events = path.join(ws.root, 'events.txt');
    const planEvents = path.join(ws.root, 'plan-events.txt');
    const q = (p: string) => `'${p}'`;
    await ws.writeConfig({
      plans: [
        {
          id: 'home',
          repo: 'local',
          paths: [ws.sourceDir],
          hooks: [{ on: ['success'], command: `echo "plan $BACKSTAY_PLAN $BACKSTAY_OP_ID" >> ${q(planEvents)}` }],
        },
        { id: 'unplugged', repo: 'local', paths: [path.join(ws.root, 'no-such-drive')] },
      ],
      settings: {
        hooks: [
          {
            on: ['start', 'success', 'error'],
            command:
              `echo "$BACKSTAY_EVENT $BACKSTAY_OP_ID $BACKSTAY_STATUS" >> ${q(events)}; ` +
              `cat > ${q(ws.root)}/stdin-$BACKSTAY_EVENT-$BACKSTAY_OP_ID.json`,
          },
        ],
      },
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });

    const ok = await backup(engine, 'home');
    expect(ok.status).toBe('success');
    // global start, global success, plan success
    const okResults = await waitForHookResults(engine, ok.id, 3);
    expect(okResults).toHaveLength(3);
    for (const line of okResults) expect(line.text).toMatch(/: ok \(\d+ ms\)$/);
    expect(await readLines(events)).toEqual([`start ${ok.id} running`, `success ${ok.id} success`]);
    expect(await readLines(planEvents)).toEqual([`plan home ${ok.id}`]);
    const onStdin = JSON.parse(await readFile(path.join(ws.root, `stdin-success-${ok.id}.json`), 'utf8')) as Operation;
    expect(onStdin.id).toBe(ok.id);
    expect(onStdin.status).toBe('success');
    expect(onStdin.snapshotId).toBe(ok.snapshotId);

    // A backup that fails (its source is gone): start and error, once each; the plan's success hook is not its.
    const failed = await backup(engine, 'unplugged');
    expect(failed.status).toBe('error');
    expect(await waitForHookResults(engine, failed.id, 2)).toHaveLength(2);
    expect(await readLines(events)).toEqual([
      `start ${ok.id} running`,
      `success ${ok.id} success`,
      `start ${failed.id} running`,
      `error ${failed.id} error`,
    ]);
    expect(await readLines(planEvents)).toHaveLength(1);
    const errorStdin = JSON.parse(await readFile(path.join(ws.root, `stdin-error-${failed.id}.json`), 'utf8')) as Operation;
    expect(errorStdin.error?.code).toBe('SOURCE_MISSING');
  });

  it('a hanging hook is stopped at hookTimeoutSeconds without delaying the backup, and its timeout is logged', async () => {
    const ws = await fixture.workspace({ files: 2 });
    const started = path.join(ws.root, 'hung.txt');
    await ws.writeConfig({
      settings: {
        hookTimeoutSeconds: 1,
        // `exec`: the shell becomes the sleep, so the pid written is the process that must be killed.
        hooks: [{ on: ['start', 'success'], command: `echo "$BACKSTAY_EVENT $$" >> '${started}'; exec sleep 30` }],
      },
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });

    const t0 = Date.now();
    const op = await backup(engine, 'home');
    const tookMs = Date.now() - t0;
    expect(op.status).toBe('success');
    // The hooks hang for 30 s; the backup does not wait for them.
    expect(tookMs).toBeLessThan(15_000);

    const results = await waitForHookResults(engine, op.id, 2);
    for (const line of results) expect(line.text).toMatch(/failed, timed out after 1000 ms/);
    const resultAt = (event: string) => Date.parse(results.find((l) => l.text.includes(` on ${event}:`))!.time);
    // restic was started while the start hook was still running, and the backup ended before the success hook did.
    const resticLine = engine.store.readLog(op.id).find((l) => l.stream === 'backstay' && l.text.startsWith('restic backup'))!;
    expect(Date.parse(resticLine.time)).toBeLessThan(resultAt('start'));
    expect(Date.parse(op.endedAt!)).toBeLessThan(resultAt('success'));

    // Both hooks really ran, and neither is left running.
    const ran = await readLines(started);
    expect(ran.map((l) => l.split(' ')[0]).sort()).toEqual(['start', 'success']);
    for (const line of ran) expect(isPidAlive(Number(line.split(' ')[1]))).toBe(false);
  });
});

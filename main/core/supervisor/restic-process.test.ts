// The supervisor against the scriptable fake restic, for what real restic cannot be made to do on demand.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeFakeRestic, type FakeResticScript } from '../../../test/helpers/fake-restic.js';
import { ResticProcess, type SupervisorEvent } from './restic-process.js';
import { isAlive } from './process-tree.js';

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

async function run(script: FakeResticScript, opts: Partial<ConstructorParameters<typeof ResticProcess>[0]> = {}) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-sup-'));
  const { binary } = await makeFakeRestic(dir, script);
  const events: SupervisorEvent[] = [];
  const proc = new ResticProcess({
    binary,
    args: ['backup', '--json'],
    env: { PATH: process.env.PATH ?? '' },
    kind: 'backup',
    stallAfterMs: 60_000,
    cancelGraceMs: 500,
    termGraceMs: 500,
    onEvent: (e) => events.push(e),
    ...opts,
  });
  proc.start();
  return { proc, events };
}

describe('ResticProcess', () => {
  it('parses restic 0.17+ output: error.message, exit_error, full snapshot id', async () => {
    const snapshot = 'a'.repeat(64);
    const { proc } = await run({
      version: 'restic 0.18.0 compiled with go1.22 on linux/amd64',
      steps: [
        { stdout: '{"message_type":"status","percent_done":0.5,"total_files":2,"files_done":1,"total_bytes":100,"bytes_done":50}' },
        { stderr: '{"message_type":"error","error":{"message":"open /x: permission denied"},"during":"archival","item":"/x"}' },
        { stdout: `{"message_type":"summary","files_new":1,"data_added":50,"snapshot_id":"${snapshot}"}` },
        { stderr: '{"message_type":"exit_error","code":3,"message":"warning: at least one source file could not be read"}' },
      ],
      exitCode: 3,
    });
    const outcome = await proc.done;
    expect(outcome.exitCode).toBe(3);
    expect(outcome.snapshotId).toBe(snapshot);
    expect(outcome.itemErrors).toEqual([{ path: '/x', during: 'archival', message: 'open /x: permission denied' }]);
    expect(outcome.exitError?.code).toBe(3);
    expect(outcome.progress.bytesDone).toBe(50);
  });

  it('keeps garbage and over-long lines as log lines and carries on', async () => {
    const { proc, events } = await run({ steps: [{ garbage: true }, { longLine: 10 * 1024 * 1024 }, { stdout: '{"message_type":"summary","snapshot_id":"deadbeef"}' }], exitCode: 0 });
    const outcome = await proc.done;
    expect(outcome.snapshotId).toBe('deadbeef');
    const logs = events.filter((e) => e.type === 'log');
    expect(logs.some((e) => e.type === 'log' && e.text.endsWith('[line cut]') && e.text.length < 100_000)).toBe(true);
  });

  it('escalates to SIGTERM and SIGKILL when restic ignores SIGINT, in bounded time', async () => {
    const { proc, events } = await run({ steps: [{ ignoreSigint: true }, { ignoreSigterm: true }, { stdout: '{"message_type":"status","bytes_done":1}' }, { hang: true }] });
    await waitFor(() => events.some((e) => e.type === 'progress'));
    const pid = proc.pid!;
    const started = Date.now();
    proc.cancel('user');
    const outcome = await proc.done;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.cancelReason).toBe('user');
    expect(outcome.signal).toBe('SIGKILL');
    expect(events.filter((e) => e.type === 'cancelling').map((e) => (e as { signal: string }).signal)).toEqual(['SIGINT', 'SIGTERM', 'SIGKILL']);
    expect(isAlive(pid)).toBe(false);
  });

  it('leaves no child of restic behind (rclone, ssh) after a cancel', async () => {
    const { proc, events } = await run({ steps: [{ spawnChild: { detached: true } }, { stdout: '{"message_type":"status","bytes_done":1}' }, { ignoreSigint: true }, { hang: true }] });
    await waitFor(() => events.some((e) => e.type === 'log' && /child pid \d+/.test(e.text)));
    const childLine = events.find((e) => e.type === 'log' && /child pid \d+/.test(e.text)) as { text: string };
    const childPid = Number(/child pid (\d+)/.exec(childLine.text)![1]);
    expect(isAlive(childPid)).toBe(true);
    proc.cancel('user');
    await proc.done;
    await waitFor(() => !isAlive(childPid));
  });

  it('reports a stall when status lines repeat the same bytes, and resumes on progress', async () => {
    const { proc, events } = await run(
      {
        steps: [
          { repeatStatus: { bytesDone: 10, everyMs: 50, count: 20 } },
          { stdout: '{"message_type":"status","bytes_done":20}' },
        ],
        exitCode: 0,
      },
      { stallAfterMs: 400 },
    );
    await proc.done;
    const kinds = events.map((e) => e.type).filter((t) => t === 'stalled' || t === 'resumed');
    expect(kinds).toEqual(['stalled', 'resumed']);
    const stalled = events.find((e) => e.type === 'stalled') as Extract<SupervisorEvent, { type: 'stalled' }>;
    expect(stalled.evidence.bytesDone).toBe(10);
  });

  it('drains a flood of status lines without falling behind', async () => {
    const { proc, events } = await run({ steps: [{ floodStatus: 50_000 }], exitCode: 0 });
    const outcome = await proc.done;
    expect(outcome.exitCode).toBe(0);
    expect(events.filter((e) => e.type === 'progress').length).toBe(50_000);
  });

  it('reports a binary that cannot be started', async () => {
    const proc = new ResticProcess({ binary: '/nonexistent/restic', args: [], env: {}, kind: 'backup', stallAfterMs: 1000, cancelGraceMs: 100 });
    proc.start();
    const outcome = await proc.done;
    expect(outcome.spawnError).toMatch(/ENOENT|not found|no such/i);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// The supervisor against the scriptable fake restic, for what real restic cannot be made to do on demand.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeFakeRestic, type FakeResticScript } from '../../../test/helpers/fake-restic.js';
import { ResticProcess, type SupervisorEvent } from './restic-process.js';
import { isAlive } from '../restic/process-tree.js';

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

describe('ResticProcess: waiting (issue 10, item 11)', () => {
  it('after 3 s without forward progress says waiting, drops rate and ETA; both come back when bytes move', async () => {
    const status = (bytes: number, eta: number) =>
      JSON.stringify({ message_type: 'status', percent_done: bytes / 100_000_000, total_files: 10, files_done: 1, total_bytes: 100_000_000, bytes_done: bytes, seconds_remaining: eta });
    const rising = (from: number) => Array.from({ length: 6 }, (_, i) => [{ stdout: status(from + (i + 1) * 100_000, 60) }, { sleepMs: 100 }]).flat();
    const { proc, events } = await run(
      {
        steps: [
          ...rising(0),
          // A frozen backend: the same bytes once every 200 ms, for 4 s (restic 0.14 does this at 0% CPU).
          { repeatStatus: { bytesDone: 600_000, everyMs: 200, count: 20, totalBytes: 100_000_000 } },
          ...rising(600_000),
          { stdout: '{"message_type":"summary","snapshot_id":"deadbeef"}' },
        ],
        exitCode: 0,
      },
      { stallAfterMs: 60_000, ioBytes: () => null },
    );
    await proc.done;
    const waiting = events.filter((e): e is Extract<SupervisorEvent, { type: 'waiting' }> => e.type === 'waiting');
    expect(waiting.map((e) => e.since === null)).toEqual([false, true]);
    const start = events.indexOf(waiting[0]!);
    const end = events.indexOf(waiting[1]!);
    const progressDuring = events.slice(start, end).filter((e): e is Extract<SupervisorEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progressDuring.length).toBeGreaterThan(0);
    for (const p of progressDuring) {
      expect(p.progress).not.toHaveProperty('etaSeconds');
      expect(p.progress).not.toHaveProperty('bytesPerSecond');
    }
    const before = events.slice(0, start).filter((e): e is Extract<SupervisorEvent, { type: 'progress' }> => e.type === 'progress');
    expect(before.some((e) => e.progress.etaSeconds === 60 && (e.progress.bytesPerSecond ?? 0) > 0)).toBe(true);
    const after = events.slice(end).filter((e) => e.type === 'progress').at(-1) as Extract<SupervisorEvent, { type: 'progress' }>;
    expect(after.progress.bytesPerSecond).toBeGreaterThan(0);
    expect(after.progress.etaSeconds).toBe(60);
    // Not a stall (60 s threshold), only waiting.
    expect(events.some((e) => e.type === 'stalled')).toBe(false);
  });

  it('never says waiting for a command whose silence is normal (waitingAfterMs null)', async () => {
    const { proc, events } = await run({ steps: [{ sleepMs: 3600 }], exitCode: 0 }, { waitingAfterMs: null, ioBytes: () => null });
    await proc.done;
    expect(events.some((e) => e.type === 'waiting')).toBe(false);
  });
});

describe('ResticProcess: long cancel grace (issue 10, item 2)', () => {
  it('a 30-day cancelGraceSeconds does not send SIGTERM at once (a plain setTimeout would, after 1 ms)', async () => {
    const { proc, events } = await run(
      { steps: [{ ignoreSigint: true }, { stdout: '{"message_type":"status","bytes_done":1}' }, { hang: true }] },
      { cancelGraceMs: 30 * 24 * 3600 * 1000 },
    );
    await waitFor(() => events.some((e) => e.type === 'progress'));
    const pid = proc.pid!;
    proc.cancel('user');
    // Bounded wait for an absence: long enough for a timer that overflowed to have fired many times over.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(events.filter((e) => e.type === 'cancelling').map((e) => (e as { signal: string }).signal)).toEqual(['SIGINT']);
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const outcome = await proc.done;
    expect(outcome.signal).toBe('SIGKILL');
  });
});

describe('ResticProcess: a failed start (issue 10, item 7)', () => {
  it('E2BIG (100,000 excludes on the command line): the code and a short message, never the argv', async () => {
    const args = ['backup', '--json'];
    for (let i = 0; i < 100_000; i += 1) args.push('--exclude', `/home/someone/projects/pattern-number-${i}`);
    const proc = new ResticProcess({ binary: process.execPath, args, env: {}, kind: 'backup', stallAfterMs: 1000, cancelGraceMs: 100 });
    proc.start();
    const outcome = await proc.done;
    expect(outcome.spawnErrorCode).toBe('E2BIG');
    expect(outcome.spawnError!.length).toBeLessThanOrEqual(301);
    expect(outcome.spawnError).not.toContain('pattern-number');
    expect(JSON.stringify(outcome).length).toBeLessThan(4096);
  });

  it('EACCES (not executable) and ENOENT (missing) keep their codes', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-sup-'));
    const notExecutable = path.join(dir, 'restic');
    await writeFile(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    for (const [binary, code] of [[notExecutable, 'EACCES'], [path.join(dir, 'missing'), 'ENOENT']] as const) {
      const proc = new ResticProcess({ binary, args: ['backup'], env: {}, kind: 'backup', stallAfterMs: 1000, cancelGraceMs: 100 });
      proc.start();
      const outcome = await proc.done;
      expect(outcome.spawnErrorCode).toBe(code);
      expect(outcome.spawnError).toContain(code);
    }
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

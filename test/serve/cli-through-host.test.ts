// `backstay backup PLAN --json` with `backstay serve` running on the same data directory: the CLI asks the host
// (one supervisor: the serve process), prints its JSON lines, and SIGINT to the CLI cancels the operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { jsonLines } from '../helpers/cli.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { killIfRunning, resticProcessesMentioning, spawnBackstay, startServeProcess, uploadLimitFlags, writeRandomFiles, type ChildCli, type ServeProcess } from './serve-harness.js';

let ws: Workspace;
let serve: ServeProcess | null = null;
let cli: ChildCli | null = null;

beforeAll(async () => {
  ws = await createWorkspace({ files: 0 });
  const mediumDir = path.join(ws.root, 'medium');
  const bigDir = path.join(ws.root, 'big');
  await mkdir(mediumDir);
  await mkdir(bigDir);
  // At 1 MiB/s: 3 MiB lasts long enough for progress lines, 16 MiB long enough to be interrupted.
  await writeRandomFiles(mediumDir, 3, 1024 * 1024);
  await writeRandomFiles(bigDir, 2, 8 * 1024 * 1024);
  await ws.writeConfig({
    repos: [{ id: 'slow', uri: ws.repoPath, password: { file: ws.passwordFile }, flags: uploadLimitFlags(1024) }],
    plans: [
      { id: 'home', repo: 'slow', paths: [mediumDir] },
      { id: 'big', repo: 'slow', paths: [bigDir] },
    ],
    settings: { uiUpdateHz: 10, cancelGraceSeconds: 5 },
  });
  serve = await startServeProcess(ws.dataDir);
});

afterAll(async () => {
  await killIfRunning(cli);
  if (serve) {
    const exit = await serve.stop('SIGTERM', 20_000).catch(() => null);
    await killIfRunning(serve);
    expect(exit).toEqual({ code: 0, signal: null });
  }
  await ws?.cleanup();
});

describe('backstay backup with serve running', () => {
  it('asks the host: one supervisor (serve), queued/started/progress/finished lines with the opId, exit 0', async () => {
    cli = spawnBackstay(['backup', 'home', '--json', '--data-dir', ws.dataDir]);
    const exit = await cli.exited;
    expect(exit, cli.stderr()).toEqual({ code: 0, signal: null });
    const events = jsonLines(cli.lines.join('\n'));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('queued');
    expect(types.at(-1)).toBe('finished');
    expect(types).toContain('started');
    expect(types).toContain('progress');
    expect(types.indexOf('started')).toBeLessThan(types.indexOf('progress'));
    const opId = events[0]!.opId as number;
    expect(opId).toBeGreaterThan(0);
    expect(events.every((e) => e.opId === opId)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'success' });
    expect(events.at(-1)!.snapshotId).toBeTruthy();

    const op = await serve!.client.rpc('ops.get', { opId });
    expect(op.status).toBe('success');
    // The host ran restic, not the CLI: a second supervisor would record its own pid.
    expect(op.ownerPid).toBe(serve!.pid);
    expect(op.ownerPid).not.toBe(cli.pid);
  });

  it('SIGINT to the CLI cancels the operation on the host: exit 130, the op is cancelled, no restic left', async () => {
    cli = spawnBackstay(['backup', 'big', '--json', '--data-dir', ws.dataDir]);
    const c = cli;
    const progressLine = await c.waitForLine((l) => l.includes('"type":"progress"'), 30_000, 'a progress line');
    const opId = (JSON.parse(progressLine) as { opId: number }).opId;
    const live = await serve!.client.rpc('ops.get', { opId });
    expect(live.status).toBe('running');
    expect(live.ownerPid).toBe(serve!.pid);

    const signalledAt = Date.now();
    c.child.kill('SIGINT');
    const exit = await c.exited;
    expect(exit, c.stderr()).toEqual({ code: 130, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    const events = jsonLines(c.lines.join('\n'));
    expect(events.at(-1)).toMatchObject({ type: 'finished', opId, status: 'cancelled' });

    const op = await serve!.client.rpc('ops.get', { opId });
    expect(op.status).toBe('cancelled');
    expect(resticProcessesMentioning(ws.root)).toEqual([]);
    // The host is unharmed and idle.
    const state = await serve!.client.rpc('state.get', {});
    expect(state.running).toEqual([]);
  });
});

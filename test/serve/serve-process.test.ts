// The real `backstay serve` process (CONTRACT.md): its ready line, the token on /api, a real restic backup started
// and read over HTTP, and SIGTERM while a backup runs (exit 0, the operation `cancelled`, no restic left).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Operation } from '../../main/common/index.js';
import { openOplog } from '../../main/core/oplog/open-oplog.js';
import { isAlive } from '../../main/core/restic/process-tree.js';
import { request } from '../../main/hosts/headless/testing/http.js';
import { waitUntil } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { killIfRunning, resticProcessesMentioning, startServeProcess, uploadLimitFlags, writeRandomFiles, type ServeProcess } from './serve-harness.js';

let ws: Workspace;
let serve: ServeProcess | null = null;

const TERMINAL = ['success', 'warning', 'error', 'cancelled', 'interrupted'];

beforeAll(async () => {
  ws = await createWorkspace({ files: 5, fileBytes: 64 * 1024 });
  const bigDir = path.join(ws.root, 'big');
  await mkdir(bigDir);
  // 16 MiB at 1 MiB/s: this backup is still running for many seconds when the test signals serve.
  await writeRandomFiles(bigDir, 2, 8 * 1024 * 1024);
  await ws.writeConfig({
    repos: [
      { id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile } },
      { id: 'slow', uri: ws.repoPath, password: { file: ws.passwordFile }, flags: uploadLimitFlags(1024) },
    ],
    plans: [
      { id: 'home', repo: 'local', paths: [ws.sourceDir] },
      { id: 'big', repo: 'slow', paths: [bigDir] },
    ],
    settings: { cancelGraceSeconds: 5 },
  });
  serve = await startServeProcess(ws.dataDir);
});

afterAll(async () => {
  await killIfRunning(serve);
  await ws?.cleanup();
});

async function getOp(opId: number): Promise<Operation> {
  return serve!.client.rpc('ops.get', { opId });
}

describe('backstay serve (the real process)', () => {
  it('prints the ready line and answers 401 on /api without the right token', async () => {
    const s = serve!;
    expect(s.port).toBeGreaterThan(0);
    expect(s.token.length).toBeGreaterThanOrEqual(32);
    expect(s.lines[0]).toBe(JSON.stringify({ ready: true, url: `http://127.0.0.1:${s.port}/#token=${s.token}`, port: s.port, token: s.token }));

    const host = `127.0.0.1:${s.port}`;
    const body = JSON.stringify({ method: 'state.get', params: {} });
    const json = { 'Content-Type': 'application/json', Host: host };
    const none = await request(s.port, { method: 'POST', path: '/api/rpc', headers: json, body });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBeTruthy();
    const wrong = await request(s.port, { method: 'POST', path: '/api/rpc', headers: { ...json, Authorization: `Bearer ${s.token}x` }, body });
    expect(wrong.status).toBe(401);
    const events = await request(s.port, { path: '/api/events', headers: { Host: host } });
    expect(events.status).toBe(401);
    // The token is not echoed in any refusal.
    expect(none.body + wrong.body + events.body).not.toContain(s.token);

    const ok = await request(s.port, { method: 'POST', path: '/api/rpc', headers: { ...json, Authorization: `Bearer ${s.token}` }, body });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.plans.map((p: { id: string }) => p.id)).toEqual(['home', 'big']);
  });

  it('runs a real restic backup started over HTTP to success, visible through ops.get and ops.list', async () => {
    const s = serve!;
    const { opId } = await s.client.rpc('plans.backup', { planId: 'home' });
    expect(opId).toBeGreaterThan(0);
    let op = await getOp(opId);
    await waitUntil(async () => TERMINAL.includes((op = await getOp(opId)).status), 30_000, 'the backup to finish');
    expect(op).toMatchObject({ id: opId, kind: 'backup', trigger: 'manual', planId: 'home', repoId: 'local', status: 'success', error: null });
    // One supervisor: the serve process itself ran restic.
    expect(op.ownerPid).toBe(s.pid);
    expect(op.startedAt).toBeTruthy();
    expect(op.endedAt).toBeTruthy();
    // restic 0.14 reports the short id in its summary; later versions the full one.
    const snapshots = JSON.parse((await ws.restic(['snapshots', '--json'])).stdout) as Array<{ id: string }>;
    expect(op.snapshotId).toBeTruthy();
    expect(snapshots.filter((snap) => snap.id.startsWith(op.snapshotId!))).toHaveLength(1);

    const { ops } = await s.client.rpc('ops.list', { planId: 'home' });
    expect(ops[0]).toMatchObject({ id: opId, status: 'success', snapshotId: op.snapshotId });
    const missing = await s.client.rpc('ops.get', { opId: opId + 1000 }).catch((e: unknown) => e as Error);
    expect(missing).toBeInstanceOf(Error);
  });

  it('SIGTERM while a backup runs: exit 0, the operation is cancelled in the oplog, no restic process left', async () => {
    const s = serve!;
    const { opId } = await s.client.rpc('plans.backup', { planId: 'big' });
    let op = await getOp(opId);
    await waitUntil(
      async () => (op = await getOp(opId)).status === 'running' && (op.progress?.bytesDone ?? 0) > 0 && op.resticPid !== null,
      30_000,
      'the big backup to make progress',
    );
    const resticPid = op.resticPid!;
    expect(isAlive(resticPid)).toBe(true);

    const signalledAt = Date.now();
    const exit = await s.stop('SIGTERM', 20_000);
    expect(exit).toEqual({ code: 0, signal: null });
    // restic answers SIGINT at once on a local repository; well inside the grace period.
    expect(Date.now() - signalledAt).toBeLessThan(15_000);

    const oplog = openOplog(ws.dataDir);
    try {
      const final = oplog.get(opId)!;
      expect(final.status).toBe('cancelled');
      expect(final.endedAt).toBeTruthy();
      expect(oplog.listLive()).toEqual([]);
    } finally {
      oplog.close();
    }
    expect(resticProcessesMentioning(ws.root)).toEqual([]);
    expect(isAlive(resticPid)).toBe(false);
    // serve.json is gone: a later `backstay backup` runs the job itself instead of calling a dead host.
    expect(existsSync(path.join(ws.dataDir, 'serve.json'))).toBe(false);
  });
});

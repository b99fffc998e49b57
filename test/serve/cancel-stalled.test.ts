// The story of DESIGN.md, over HTTP against the real `backstay serve`: a backup to an HTTP backend (rclone serve
// restic) whose backend freezes (SIGSTOP). The event stream must show the operation `stalled` within
// stallAfterSeconds + 2 s, `ops.cancel` must end it `cancelled` in bounded time with no restic left, and once the
// backend thaws a new backup must succeed.
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../main/common/index.js';
import { isAlive } from '../../main/core/restic/process-tree.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';
import { killIfRunning, resticProcessesMentioning, SnapshotRecorder, startServeProcess, writeRandomFiles } from './serve-harness.js';

const STALL_AFTER_SECONDS = 2;
const CANCEL_GRACE_SECONDS = 2;
const TERMINAL = ['success', 'warning', 'error', 'cancelled', 'interrupted'];

const fixture = useEngineFixture();

describe('ops.cancel over HTTP of a backup whose backend froze', () => {
  it('shows stalled on the event stream, cancels in bounded time with no restic left, and the next backup succeeds', async () => {
    const ws = await fixture.workspace({ init: false, files: 0 });
    // Random (restic cannot deduplicate it) and large enough that the upload is still going when rclone freezes.
    await writeRandomFiles(ws.sourceDir, 12, 16 * 1024 * 1024);
    const rclone = await fixture.serveOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'home', repo: 'http', paths: [ws.sourceDir] }],
      settings: { stallAfterSeconds: STALL_AFTER_SECONDS, cancelGraceSeconds: CANCEL_GRACE_SECONDS, uiUpdateHz: 10 },
    });
    const s = await startServeProcess(ws.dataDir);
    fixture.onTeardown(() => s.stop('SIGTERM', 20_000).catch(() => killIfRunning(s)));
    const r = new SnapshotRecorder(s.client);
    fixture.onTeardown(() => r.stop());

    const { opId } = await s.client.rpc('plans.backup', { planId: 'home' });
    await waitUntil(() => (r.running(opId)?.progress?.bytesDone ?? 0) > 0, 30_000, 'the backup to make progress');
    const resticPid = (await s.client.rpc('ops.get', { opId })).resticPid!;
    expect(resticPid).toBeGreaterThan(0);
    expect(r.sawStatus(opId, 'stalled')).toBe(false);

    rclone.freeze();
    const frozenAt = Date.now();
    await waitUntil(() => r.running(opId)?.status === 'stalled', (STALL_AFTER_SECONDS + 5) * 1000, 'stalled on the event stream');
    const seenAt = Date.now();
    const stalled = r.running(opId)!;
    expect(stalled.stalledSince).toBeTruthy();
    expect(stalled.stall?.bytesDone).toBeGreaterThan(0);
    // restic may still read ahead into its buffers for a moment after the freeze: the clock starts at the last
    // forward progress (the stall evidence), or at the freeze if that came later. The stream shows `stalled` within
    // stallAfterSeconds + 2 s of it.
    const lastProgressAt = Math.max(frozenAt, Date.parse(stalled.stall!.since));
    expect(seenAt - lastProgressAt, `seen ${seenAt - frozenAt} ms after the freeze, last progress ${lastProgressAt - frozenAt} ms after it`).toBeLessThanOrEqual((STALL_AFTER_SECONDS + 2) * 1000);
    expect(isAlive(resticPid)).toBe(true);

    const cancelledAt = Date.now();
    expect(await s.client.rpc('ops.cancel', { opId })).toEqual({ ok: true });
    let op: Operation = await s.client.rpc('ops.get', { opId });
    // SIGINT, SIGTERM after the grace period, SIGKILL a few seconds later: bounded.
    const bound = (CANCEL_GRACE_SECONDS + 3 + 2) * 1000;
    await waitUntil(async () => TERMINAL.includes((op = await s.client.rpc('ops.get', { opId })).status), bound + 2000, 'the cancel');
    expect(Date.now() - cancelledAt).toBeLessThan(bound);
    expect(op.status).toBe('cancelled');
    await waitUntil(() => r.running(opId) === undefined, 3000, 'the event stream to drop the operation');
    expect(isAlive(resticPid)).toBe(false);
    expect(resticProcessesMentioning(ws.root)).toEqual([]);

    rclone.thaw();
    const { opId: second } = await s.client.rpc('plans.backup', { planId: 'home' });
    let next: Operation = await s.client.rpc('ops.get', { opId: second });
    await waitUntil(async () => TERMINAL.includes((next = await s.client.rpc('ops.get', { opId: second })).status), 45_000, 'the next backup');
    expect(next.status).toBe('success');
    expect(next.snapshotId).toBeTruthy();
  });
});

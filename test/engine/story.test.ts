// The story DESIGN.md exists for, for real: a backup over HTTP (restic -> rclone serve restic) whose backend freezes.
// The operation must become `stalled` with evidence, cancel must end it in bounded time with no restic left, and
// after the backend thaws a new backup must succeed.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { RunningOp } from '../../main/common/index.js';
import { UNLOCK_AFTER_CANCEL_TIMEOUT_MS } from '../../main/core/jobs/orchestrator.js';
import { silentLogger } from '../../main/core/logging.js';
import { isPidAlive as isAlive } from '../../main/core/process/process-identity.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();

const STALL_AFTER_SECONDS = 2;
const CANCEL_GRACE_SECONDS = 2;

describe('a frozen HTTP backend (rclone SIGSTOP)', () => {
  it('is reported as stalled, cancel ends it with no restic left, and the next backup succeeds', { timeout: 90_000 }, async () => {
    const ws = await fixture.workspace({ init: false, files: 0 });
    // Enough data that the backup is still uploading when the backend freezes (random: restic cannot dedupe it).
    for (let i = 0; i < 12; i += 1) await writeFile(path.join(ws.sourceDir, `big-${i}.bin`), randomBytes(16 * 1024 * 1024));
    const rclone = await fixture.serveOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'home', repo: 'http', paths: [ws.sourceDir] }],
      settings: { stallAfterSeconds: STALL_AFTER_SECONDS, cancelGraceSeconds: CANCEL_GRACE_SECONDS },
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const e = engine;
    const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    const running = () => e.state().running.find((r) => r.opId === opId);
    await waitUntil(() => (running()?.progress?.bytesDone ?? 0) > 0, 30_000, 'the backup to make progress');
    const resticPid = e.store.get(opId)!.resticPid!;
    expect(resticPid).toBeGreaterThan(0);

    rclone.freeze();
    const frozenAt = Date.now();
    await waitUntil(() => running()?.status === 'stalled', (STALL_AFTER_SECONDS + 4) * 1000, 'stalled');
    // The stall is detected within stallAfterSeconds + 2 s of the last progress (the freeze, at the latest).
    expect(Date.now() - frozenAt).toBeLessThanOrEqual((STALL_AFTER_SECONDS + 2) * 1000 + 500);
    const stall = running()!.stall!;
    expect(stall.bytesDone).toBeGreaterThan(0);
    expect(Date.parse(stall.since)).toBeLessThanOrEqual(Date.now());
    expect(stall.cpuSeconds).not.toBeNull();
    // A second process reading the oplog sees it stalled too.
    await waitUntil(() => e.store.get(opId)!.status === 'stalled', 3000, 'stalled in the oplog');

    const cancelledAt = Date.now();
    await e.rpc.invoke('ops.cancel', { opId });
    // From the request on it is `cancelling` (not running, not stalled), in state and in the oplog.
    expect(running()?.status).toBe('cancelling');
    expect(running()?.cancel?.stage).toBe('interrupt');
    expect(e.store.get(opId)!.status).toBe('cancelling');
    const seen: Array<RunningOp | undefined> = [];
    e.stateStore.addSink({ publish: (state) => void seen.push(state.running.find((r) => r.opId === opId)) });
    const op = await e.orchestrator.waitFor(opId);
    // Every state until the end said cancelling; the stage went from "asked" to "forcing" (restic hung on SIGINT).
    const live = seen.filter((r): r is RunningOp => r !== undefined);
    expect(live.every((r) => r.status === 'cancelling')).toBe(true);
    expect(live.some((r) => r.cancel?.stage === 'terminate')).toBe(true);
    const cancelMs = Date.now() - cancelledAt;
    expect(op.status).toBe('cancelled');
    // SIGINT, then SIGTERM after the grace period, then SIGKILL 3 s later: bounded.
    expect(cancelMs).toBeLessThan((CANCEL_GRACE_SECONDS + 3 + 2) * 1000);
    expect(isAlive(resticPid)).toBe(false);
    expect(e.state().running.some((r) => r.opId === opId)).toBe(false);

    // restic was forced, so Backstay removes its lock: an `unlock` of its own, visible while it runs, and bounded
    // although the backend is still frozen.
    const unlock = () => e.store.list({ kind: 'unlock' })[0];
    await waitUntil(() => unlock() !== undefined, 3000, 'the unlock after the cancel');
    expect(unlock()).toMatchObject({ trigger: 'system', params: { afterCancelOf: opId } });
    expect(e.state().running.some((r) => r.opId === unlock()!.id)).toBe(true);
    const unlockStarted = Date.now();
    const unlocked = await e.orchestrator.waitFor(unlock()!.id);
    expect(Date.now() - unlockStarted).toBeLessThan(UNLOCK_AFTER_CANCEL_TIMEOUT_MS + 10_000);
    expect(unlocked.status).toBe('error');
    expect(unlocked.error?.code).toBe('RESTIC_KILLED');
    expect(unlocked.error?.message).toMatch(/did not finish within 20 s/);
    expect(e.state().running).toHaveLength(0);

    rclone.thaw();
    const { opId: second } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    const next = await e.orchestrator.waitFor(second);
    expect(next.status).toBe('success');
    expect(next.snapshotId).toBeTruthy();
  });
});

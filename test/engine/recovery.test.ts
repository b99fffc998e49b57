// The recovery policy in the engine (issue 6, "Recovery policy"), with real restic 0.14: a backup over an HTTP
// backend that freezes (rclone serve restic, SIGSTOP) becomes stalled, is cancelled by the policy, and its retry
// (trigger "retry", retryOf the first) succeeds once the backend is back. A transient network failure is retried;
// a wrong password is not.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Operation } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();

// The policy exists only where schedules run (serve, Electron), hence runSchedules: true throughout.
const RECOVERY_SETTINGS = {
  retryStalled: true,
  stallAfterSeconds: 2,
  stalledCancelAfterSeconds: 2,
  retryBackoffSeconds: 0,
  retryAttempts: 2,
  cancelGraceSeconds: 2,
};

const retriesOf = (e: EngineInternals, opId: number): Operation[] => e.store.list({ kind: 'backup' }).filter((op) => op.retryOf === opId);

describe('recovery policy', () => {
  it('cancels a backup stalled on a frozen backend and retries it; the retry succeeds once the backend is back', async () => {
    const ws = await fixture.workspace({ init: false, files: 0 });
    // Random data (restic cannot deduplicate it), enough that the upload is still going when rclone freezes.
    for (let i = 0; i < 6; i += 1) await writeFile(path.join(ws.sourceDir, `big-${i}.bin`), randomBytes(16 * 1024 * 1024));
    const rclone = await fixture.serveOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'home', repo: 'http', paths: [ws.sourceDir] }],
      settings: RECOVERY_SETTINGS,
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: true, logger: silentLogger });
    const e = engine;

    const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    const running = () => e.state().running.find((r) => r.opId === opId);
    await waitUntil(() => (running()?.progress?.bytesDone ?? 0) > 0, 30_000, 'the backup to make progress');
    rclone.freeze();
    const frozenAt = Date.now();
    await waitUntil(() => running()?.status === 'stalled', 8_000, 'the backup to be stalled');

    // Nobody cancels it: the policy does, stalledCancelAfterSeconds later (then SIGINT, SIGTERM, SIGKILL bounded).
    const first = await e.orchestrator.waitFor(opId);
    // Thawed before the retry's timer (a macrotask, even at backoff 0) can fire: this runs as a microtask.
    rclone.thaw();
    const tookS = (Date.now() - frozenAt) / 1000;
    expect(first.status).toBe('cancelled');
    expect(first.error?.code).toBe('CANCELLED');
    expect(first.error?.message).toMatch(/no progress/i);
    expect(first.trigger).toBe('manual');
    // stall (2 s) + cancel after (2 s) + grace (2 s) + kill: bounded, with slack for a loaded machine.
    expect(tookS).toBeLessThan(20);

    await waitUntil(() => retriesOf(e, opId).length > 0, 10_000, 'the retry to be queued');
    const [retry] = retriesOf(e, opId);
    expect(retry!.trigger).toBe('retry');
    expect(retry!.planId).toBe('home');
    const retried = await e.orchestrator.waitFor(retry!.id);
    expect(retried.status, JSON.stringify(retried.error)).toBe('success');
    expect(retried.snapshotId).not.toBeNull();
    // One retry was enough: no second one follows a success.
    expect(retriesOf(e, retried.id)).toHaveLength(0);
    expect(e.store.list({ kind: 'backup' })).toHaveLength(2);
    const snapshots = JSON.parse((await ws.restic(['snapshots', '--json'], rclone.uri)).stdout) as unknown[];
    expect(snapshots).toHaveLength(1);
  });

  it('retries a backup that failed for a network reason, up to retryAttempts, but never one with a wrong password', async () => {
    const ws = await fixture.workspace({ files: 1 });
    // Port 9 (discard) on loopback: nothing listens, so restic fails at once with "connection refused".
    await ws.writeConfig({
      repos: [
        { id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile } },
        { id: 'offline', uri: 'rest:http://127.0.0.1:9/', password: { file: ws.passwordFile } },
      ],
      plans: [
        { id: 'home', repo: 'local', paths: [ws.sourceDir] },
        { id: 'away', repo: 'offline', paths: [ws.sourceDir] },
      ],
      settings: RECOVERY_SETTINGS,
    });
    await writeFile(ws.passwordFile, 'not-the-password');
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: true, logger: silentLogger });
    const e = engine;

    const wrong = await e.orchestrator.waitFor((await e.rpc.invoke('plans.backup', { planId: 'home' })).opId);
    expect(wrong.status).toBe('error');
    expect(wrong.error?.code).toBe('WRONG_PASSWORD');

    // The control: a transient failure is retried twice (retryAttempts 2), each retry pointing at the one before.
    const network = await e.orchestrator.waitFor((await e.rpc.invoke('plans.backup', { planId: 'away' })).opId);
    expect(network.error?.code).toBe('NETWORK');
    let last = network;
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      await waitUntil(() => retriesOf(e, last.id).length === 1, 10_000, `retry ${attempt}`);
      const retry = await e.orchestrator.waitFor(retriesOf(e, last.id)[0]!.id);
      expect(retry.trigger).toBe('retry');
      expect(retry.status).toBe('error');
      expect(retry.error?.code).toBe('NETWORK');
      last = retry;
    }

    // A retry at backoff 0 is queued by a 0 ms timer after the failure; give that timer ample time to fire.
    // Nothing is awaited here because nothing should happen: this is the bounded wait for an absence.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The wrong-password backup, which ended first, is not retried...
    expect(retriesOf(e, wrong.id)).toHaveLength(0);
    // ...and the network failure gives up after retryAttempts.
    expect(retriesOf(e, last.id)).toHaveLength(0);
    expect(e.store.list({ planId: 'home' })).toHaveLength(1);
    expect(e.store.list({ planId: 'away' })).toHaveLength(3);
  });
});

// Cancelling is a status of its own (issue 10, item 10), and rate/ETA come only from forward progress (item 11),
// through the real engine with the scriptable fake restic. Every state snapshot is recorded (a sink on the state
// store sees each commit), so "never flips back to running" is checked at every change, not at a few samples.
import { describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppState, RunningOp } from '../../main/common/index.js';
import { startEngine, type EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { makeFakeRestic, type FakeResticScript, type FakeResticStep } from '../helpers/fake-restic.js';
import { waitUntil } from '../helpers/rclone.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();
let ws: Workspace | null = null;
let engine: EngineInternals | null = null;

const V014 = 'restic 0.14.0 compiled with go1.19.8 on linux/amd64';
const status = (bytes: number, eta = 30) =>
  JSON.stringify({ message_type: 'status', percent_done: bytes / 100_000_000, total_files: 10, files_done: 1, total_bytes: 100_000_000, bytes_done: bytes, seconds_remaining: eta });
const rising = (from: number, count: number, everyMs = 100): FakeResticStep[] =>
  Array.from({ length: count }, (_, i) => [{ stdout: status(from + (i + 1) * 100_000) }, { sleepMs: everyMs }]).flat();

async function withFake(script: FakeResticScript, settings: Record<string, unknown>) {
  ws = await fixture.workspace({ init: false, files: 1 });
  const fakeDir = path.join(ws.root, 'fake');
  await mkdir(fakeDir);
  const { binary } = await makeFakeRestic(fakeDir, { version: V014, ...script });
  await ws.writeConfig({ settings: { resticBinary: binary, ...settings } });
  const e = await startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  engine = e;
  const snapshots: AppState[] = [];
  e.stateStore.addSink({ publish: (state) => void snapshots.push(state) });
  return { e, snapshots };
}

const entry = (state: AppState, opId: number): RunningOp | undefined => state.running.find((r) => r.opId === opId);

describe('cancelling a stalled backup', () => {
  it('is `cancelling` from the request to the end (state, oplog, ops.get/list), never running or stalled again, then cancelled and the unlock shows as its own operation', async () => {
    const { e, snapshots } = await withFake(
      {
        steps: [
          { ignoreSigint: true },
          ...rising(0, 5),
          // Frozen: the same bytes for 3 s (stalled after 1 s), then it moves again while being cancelled.
          { repeatStatus: { bytesDone: 500_000, everyMs: 200, count: 15, totalBytes: 100_000_000 } },
          ...rising(500_000, 40),
          { hang: true },
        ],
        commands: { unlock: { steps: [{ stderr: 'successfully removed locks' }], exitCode: 0 } },
      },
      { stallAfterSeconds: 1, cancelGraceSeconds: 3 },
    );
    const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    await waitUntil(() => entry(e.state(), opId)?.status === 'stalled', 10_000, 'the backup to be stalled');

    const requestedFrom = Date.now();
    await e.rpc.invoke('ops.cancel', { opId });
    const firstCancelledIndex = snapshots.length - 1;
    const first = entry(e.state(), opId)!;
    expect(first.status).toBe('cancelling');
    expect(first.cancel?.stage).toBe('interrupt');
    expect(Date.parse(first.cancel!.requestedAt)).toBeGreaterThanOrEqual(requestedFrom - 5);
    expect((await e.rpc.invoke('ops.get', { opId })).status).toBe('cancelling');
    expect((await e.rpc.invoke('ops.list', {})).ops.find((o) => o.id === opId)?.status).toBe('cancelling');

    // A second request is idempotent: the same request time, no second escalation.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await e.rpc.invoke('ops.cancel', { opId });
    expect(entry(e.state(), opId)!.cancel!.requestedAt).toBe(first.cancel!.requestedAt);

    // restic moves again while we wait for it to stop: still cancelling.
    await waitUntil(() => (entry(e.state(), opId)?.progress?.bytesDone ?? 0) > 600_000, 10_000, 'progress during the cancel');
    expect(entry(e.state(), opId)!.status).toBe('cancelling');
    expect(e.store.get(opId)!.status).toBe('cancelling');

    const op = await e.orchestrator.waitFor(opId);
    expect(op.status).toBe('cancelled');
    expect(op.error?.code).toBe('CANCELLED');

    const during = snapshots.slice(firstCancelledIndex).map((s) => entry(s, opId)).filter((r): r is RunningOp => r !== undefined);
    expect(during.length).toBeGreaterThan(3);
    for (const r of during) {
      expect(r.status).toBe('cancelling');
      expect(r.cancel?.requestedAt).toBe(first.cancel!.requestedAt);
      expect(r.progress ?? {}).not.toHaveProperty('etaSeconds');
      expect(r.progress ?? {}).not.toHaveProperty('bytesPerSecond');
    }
    // The stage follows the escalation: asked to stop, then forced (restic ignored SIGINT).
    const stages = during.map((r) => r.cancel!.stage).filter((s, i, all) => s !== all[i - 1]);
    expect(stages).toEqual(['interrupt', 'terminate']);

    // The unlock Backstay runs after a forced stop is an operation of its own, visible while it runs, and ends.
    await waitUntil(() => e.store.list({ kind: 'unlock' }).some((o) => o.status === 'success'), 10_000, 'the unlock to end');
    const [unlock] = e.store.list({ kind: 'unlock' });
    expect(unlock).toMatchObject({ trigger: 'system', repoId: 'local', planId: 'home', params: { afterCancelOf: opId } });
    expect(snapshots.some((s) => s.running.some((r) => r.opId === unlock!.id && r.kind === 'unlock'))).toBe(true);
    expect(e.store.readLog(opId).some((l) => l.text.includes(`operation ${unlock!.id}`))).toBe(true);
    await waitUntil(() => e.state().running.length === 0, 5000, 'nothing live');
  });

  it('a queued backup that is cancelled ends cancelled at once', async () => {
    const { e } = await withFake({ steps: [{ stdout: status(100) }, { hang: true }] }, { maxParallelOperations: 1, cancelGraceSeconds: 1 });
    await ws!.writeConfig({
      settings: { resticBinary: e.config().settings.resticBinary, maxParallelOperations: 1, cancelGraceSeconds: 1 },
      plans: [
        { id: 'home', repo: 'local', paths: [ws!.sourceDir] },
        { id: 'work', repo: 'local', paths: [ws!.sourceDir] },
      ],
    });
    await e.reloadConfig();
    const { opId: first } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    const { opId: second } = await e.rpc.invoke('plans.backup', { planId: 'work' });
    expect(entry(e.state(), second)?.status).toBe('queued');
    await e.rpc.invoke('ops.cancel', { opId: second });
    expect((await e.orchestrator.waitFor(second)).status).toBe('cancelled');
    await e.rpc.invoke('ops.cancel', { opId: first });
    expect((await e.orchestrator.waitFor(first)).status).toBe('cancelled');
  });
});

describe('rate and ETA only from forward progress', () => {
  it('after 3 s without forward progress: waitingSince, and no ETA or rate; both back when it moves', async () => {
    const { e, snapshots } = await withFake(
      {
        steps: [
          ...rising(0, 10),
          { repeatStatus: { bytesDone: 1_000_000, everyMs: 200, count: 22, totalBytes: 100_000_000 } },
          ...rising(1_000_000, 15),
          { stdout: JSON.stringify({ message_type: 'summary', files_new: 1, snapshot_id: 'deadbeef' }) },
        ],
        exitCode: 0,
      },
      { stallAfterSeconds: 60 },
    );
    const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    const op = await e.orchestrator.waitFor(opId);
    expect(op.status).toBe('success');
    const seen = snapshots.map((s) => entry(s, opId)).filter((r): r is RunningOp => r !== undefined && r.status !== 'queued');
    const waitingIndex = seen.findIndex((r) => r.waitingSince);
    expect(waitingIndex).toBeGreaterThan(0);
    const waiting = seen[waitingIndex]!;
    expect(waiting.status).toBe('running');
    expect(waiting.progress).not.toHaveProperty('etaSeconds');
    expect(waiting.progress).not.toHaveProperty('bytesPerSecond');
    // Since the last forward progress, about 3 s before it was said.
    expect(seen.slice(0, waitingIndex).some((r) => (r.progress?.bytesPerSecond ?? 0) > 0 && r.progress?.etaSeconds === 30)).toBe(true);
    const whileWaiting = seen.filter((r) => r.waitingSince);
    for (const r of whileWaiting) {
      expect(r.progress).not.toHaveProperty('etaSeconds');
      expect(r.progress).not.toHaveProperty('bytesPerSecond');
    }
    const resumedIndex = seen.findIndex((r, i) => i > waitingIndex && !r.waitingSince);
    expect(resumedIndex).toBeGreaterThan(waitingIndex);
    expect(seen.slice(resumedIndex).some((r) => (r.progress?.bytesPerSecond ?? 0) > 0 && r.progress?.etaSeconds === 30)).toBe(true);
    expect(seen.every((r) => r.status !== 'stalled')).toBe(true);
  });
});

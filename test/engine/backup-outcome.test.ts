// How a backup ends, through the real engine with the scriptable fake restic (issue 10, item 1): only a saved snapshot
// with a restic-looking id is `success`/`warning`; everything else is NO_SNAPSHOT (or `cancelled`), and the plan's
// lastSuccessAt and /metrics follow the status.
import { describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { metricsText } from '../../main/hosts/headless/metrics.js';
import { makeFakeRestic, type FakeResticScript, type FakeResticStep } from '../helpers/fake-restic.js';
import { waitUntil } from '../helpers/rclone.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

const V014 = 'restic 0.14.0 compiled with go1.19.8 on linux/amd64';
const status = (bytes: number) =>
  JSON.stringify({ message_type: 'status', percent_done: bytes / 10_000, total_files: 2, files_done: 1, total_bytes: 10_000, bytes_done: bytes });
const summary = (snapshotId?: string) =>
  JSON.stringify({ message_type: 'summary', files_new: 2, data_added: 1234, total_files_processed: 2, ...(snapshotId !== undefined ? { snapshot_id: snapshotId } : {}) });

async function withFake(script: FakeResticScript, settings: Record<string, unknown> = {}): Promise<EngineInternals> {
  const ws = await fixture.workspace({ init: false, files: 1 });
  const fakeDir = path.join(ws.root, 'fake');
  await mkdir(fakeDir);
  const { binary } = await makeFakeRestic(fakeDir, { version: V014, ...script });
  await ws.writeConfig({ settings: { resticBinary: binary, ...settings } });
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  return engine;
}

async function backup(e: EngineInternals) {
  const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
  return e.orchestrator.waitFor(opId);
}

const lastSuccessSeconds = (e: EngineInternals) =>
  /backstay_plan_last_success_timestamp_seconds\{plan="home",repo="local"\} (\S+)/.exec(metricsText(e.state()))?.[1];

interface Row {
  name: string;
  steps: FakeResticStep[];
  exitCode: number;
  status: string;
  code: string | null;
  snapshotId: string | null;
}
const ROWS: Row[] = [
  { name: 'exit 0 without a summary', steps: [{ stdout: status(5000) }], exitCode: 0, status: 'error', code: 'NO_SNAPSHOT', snapshotId: null },
  { name: 'exit 0 after garbage output only', steps: [{ garbage: true }], exitCode: 0, status: 'error', code: 'NO_SNAPSHOT', snapshotId: null },
  { name: 'exit 0, a summary without snapshot_id', steps: [{ stdout: summary() }], exitCode: 0, status: 'error', code: 'NO_SNAPSHOT', snapshotId: null },
  { name: 'exit 0, a summary with "?" as id', steps: [{ stdout: summary('?') }], exitCode: 0, status: 'error', code: 'NO_SNAPSHOT', snapshotId: null },
  { name: 'exit 3 without a summary', steps: [{ stderr: 'error: open /x: permission denied' }], exitCode: 3, status: 'error', code: 'NO_SNAPSHOT', snapshotId: null },
  { name: 'exit 0 with an 8-hex id (the control)', steps: [{ stdout: summary('deadbeef') }], exitCode: 0, status: 'success', code: null, snapshotId: 'deadbeef' },
  { name: 'exit 3 with a 64-hex id (the control)', steps: [{ stdout: summary('ab'.repeat(32)) }], exitCode: 3, status: 'warning', code: 'PARTIAL', snapshotId: 'ab'.repeat(32) },
];

describe('the engine reports a backup as saved only with a snapshot', () => {
  for (const row of ROWS) {
    it(`${row.name} -> ${row.status}${row.code ? ` ${row.code}` : ''}`, async () => {
      const e = await withFake({ steps: [{ stdout: status(1000) }, ...row.steps], exitCode: row.exitCode });
      const op = await backup(e);
      expect(op.status).toBe(row.status);
      expect(op.error?.code ?? null).toBe(row.code);
      expect(op.snapshotId).toBe(row.snapshotId);
      const stored = e.store.get(op.id)!;
      expect(stored.status).toBe(row.status);
      const plan = e.state().plans.find((p) => p.id === 'home')!;
      if (row.code === 'NO_SNAPSHOT') {
        expect(op.error!.message).toMatch(/without saving a snapshot/);
        expect(op.error!.detail).toBeTruthy();
        expect(op.error!.detail!.length).toBeLessThanOrEqual(2000);
        expect(plan.lastSuccessAt).toBeNull();
        expect(lastSuccessSeconds(e)).toBe('0');
        // No retention run follows a backup that saved nothing.
        expect(e.store.list({ kind: 'forget' })).toHaveLength(0);
      } else {
        expect(plan.lastSuccessAt).toBe(op.endedAt);
        expect(Number(lastSuccessSeconds(e))).toBeGreaterThan(0);
      }
    });
  }

  it('garbage output: restic\'s last words are kept on the operation', async () => {
    const e = await withFake({ steps: [{ garbage: true }, { stderr: 'something odd happened' }], exitCode: 0 });
    const op = await backup(e);
    expect(op.error?.code).toBe('NO_SNAPSHOT');
    expect(op.error!.detail).toContain('this is not json');
    expect(op.error!.detail).toContain('something odd happened');
  });

  // restic that, asked to stop, still exits 0 (or 3): cancelled unless it saved a snapshot.
  const CANCEL_ROWS: Array<{ name: string; onSigint: { steps?: FakeResticStep[]; exit: number }; status: string; snapshotId: string | null }> = [
    { name: 'exit 0 without a summary', onSigint: { exit: 0 }, status: 'cancelled', snapshotId: null },
    { name: 'exit 3 without a summary', onSigint: { exit: 3 }, status: 'cancelled', snapshotId: null },
    { name: 'exit 0 with a summary without id', onSigint: { steps: [{ stdout: summary() }], exit: 0 }, status: 'cancelled', snapshotId: null },
    { name: 'exit 0 with a saved snapshot', onSigint: { steps: [{ stdout: summary('cafebabe') }], exit: 0 }, status: 'success', snapshotId: 'cafebabe' },
  ];
  for (const row of CANCEL_ROWS) {
    it(`cancel, then ${row.name} -> ${row.status}`, async () => {
      const e = await withFake({ steps: [{ onSigint: row.onSigint }, { stdout: status(1000) }, { hang: true }] });
      const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
      await waitUntil(() => (e.state().running.find((r) => r.opId === opId)?.progress?.bytesDone ?? 0) > 0, 10_000, 'progress');
      await e.rpc.invoke('ops.cancel', { opId });
      const op = await e.orchestrator.waitFor(opId);
      expect(op.status).toBe(row.status);
      expect(op.snapshotId).toBe(row.snapshotId);
      expect(e.state().plans.find((p) => p.id === 'home')!.lastSuccessAt).toBe(row.status === 'success' ? op.endedAt : null);
    });
  }
});

// The "real sockets" test: `serve` (engine + headless host in this process, so that its heap can be
// measured) with a real restic backup running and 20 SSE connections whose client never reads, plus one client that
// reads. The backup must finish, the host's memory must stay flat, each stuck client must cost at most one pending
// snapshot, and the reader must still get snapshots at uiUpdateHz.
import { describe, expect, it } from 'vitest';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import type net from 'node:net';
import path from 'node:path';
import { silentLogger } from '../../main/core/logging.js';
import { HostClient } from '../../main/hosts/headless/client.js';
import { startHeadlessHost } from '../../main/hosts/headless/host.js';
import { stuckSseClient } from '../../main/hosts/headless/testing/http.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';
import { exposeGc, SnapshotRecorder, writeRandomFiles } from './serve-harness.js';

const UI_HZ = 10;
const STUCK_CLIENTS = 20;
const MB = 1024 * 1024;

const fixture = useEngineFixture();

describe('serve with 20 SSE clients that never read, during a real restic backup', () => {
  it('finishes the backup, keeps host memory flat and one pending snapshot per client, and feeds the reader at uiUpdateHz', async () => {
    const gc = exposeGc();
    const ws = await fixture.workspace({ files: 0 });
    // Real bytes for restic to read for several seconds with a progress line every few tens of ms: a sparse file
    // (zeros, no disk space; restic still reads, chunks and hashes every byte) plus random data it must store.
    await writeRandomFiles(ws.sourceDir, 2, 4 * MB);
    await truncate(await touch(path.join(ws.sourceDir, 'sparse.img')), 3 * 1024 * MB);
    // Many plans make each snapshot large (~100 KB, like a busy host's), so that a stuck client's kernel buffers
    // fill within a second and the server's write() really returns false: the case this test is about.
    const extraPlans = Array.from({ length: 400 }, (_, i) => ({
      id: `plan-${i}`,
      repo: 'local',
      paths: [path.join(ws.root, 'elsewhere', `some-long-directory-name-to-make-the-state-realistically-large-${i}`)],
    }));
    await ws.writeConfig({
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir] }, ...extraPlans],
      settings: { uiUpdateHz: UI_HZ },
    });
    const e = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger: silentLogger });
    const h = await startHeadlessHost({ engine: e, port: 0, staticDir: null, logger: silentLogger });
    fixture.onTeardown(() => h.close());
    const stuck: net.Socket[] = [];
    fixture.onTeardown(() => {
      for (const socket of stuck) socket.destroy();
    });
    const snapshotBytes = JSON.stringify(e.state()).length;
    expect(snapshotBytes).toBeGreaterThan(64 * 1024);

    for (let i = 0; i < STUCK_CLIENTS; i += 1) stuck.push(await stuckSseClient(h.server.port, h.token));
    await waitUntil(() => e.publisher.subscriberCount === STUCK_CLIENTS, 10_000, 'the stuck clients to subscribe');
    const r = new SnapshotRecorder(new HostClient({ port: h.server.port, token: h.token }));
    fixture.onTeardown(() => r.stop());
    await waitUntil(() => r.snapshots.length > 0, 10_000, 'the reader to connect');

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let maxPending = 0;
    let maxBlocked = 0;
    let maxTotalBuffered = 0;
    const sample = () => {
      const stats = h.server.stats();
      maxPending = Math.max(maxPending, stats.maxPending);
      maxBlocked = Math.max(maxBlocked, stats.blockedStreams);
      maxTotalBuffered = Math.max(maxTotalBuffered, stats.totalBufferedBytes);
    };
    const sampler = setInterval(sample, 20);

    try {
      const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
      await waitUntil(() => (r.running(opId)?.progress?.bytesDone ?? 0) > 0, 30_000, 'the reader to see progress');
      const windowStart = Date.now();
      const op = await e.orchestrator.waitFor(opId);
      const windowEnd = Date.now();
      sample();
      expect(op.status).toBe('success');
      expect(op.snapshotId).toBeTruthy();

      // Every stuck client really was blocked (write() returned false), and none ever had more than one snapshot
      // pending in the publisher or more than about one in our own buffers.
      expect(maxBlocked).toBe(STUCK_CLIENTS);
      expect(maxPending).toBeLessThanOrEqual(1);
      expect(maxTotalBuffered).toBeLessThanOrEqual(STUCK_CLIENTS * 2 * snapshotBytes);

      // The reader: about uiUpdateHz while the backup ran (restic changed the state several times as often), never more.
      const seconds = (windowEnd - windowStart) / 1000;
      const delivered = r.snapshots.filter((s) => s.at >= windowStart && s.at <= windowEnd).length;
      expect(seconds).toBeGreaterThan(1);
      expect(delivered).toBeLessThanOrEqual(Math.ceil(seconds * UI_HZ) + 2);
      expect(delivered).toBeGreaterThanOrEqual(Math.floor(seconds * UI_HZ * 0.6));
      // ... and it sees the end.
      await waitUntil(() => r.latest()?.running.length === 0, 5000, 'the reader to see the backup end');
      expect(r.latest()!.plans.find((p) => p.id === 'home')!.lastOp).toMatchObject({ opId, status: 'success' });

      // Memory: what the host holds now (the stuck clients still connected) is what it held before the backup.
      gc();
      const heapGrowthMB = (process.memoryUsage().heapUsed - heapBefore) / MB;
      expect(heapGrowthMB).toBeLessThan(8);
      console.info(
        `sse-backpressure: snapshot ${Math.round(snapshotBytes / 1024)} KB, backup ${seconds.toFixed(1)} s, reader ${(delivered / seconds).toFixed(1)}/s, ` +
          `heap growth ${heapGrowthMB.toFixed(2)} MB, blocked ${maxBlocked}/${STUCK_CLIENTS}, max pending ${maxPending}, max buffered ${Math.round(maxTotalBuffered / 1024)} KB`,
      );
    } finally {
      clearInterval(sampler);
    }
  });
});

async function touch(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
  return file;
}

// One host process of the real-restic serve-sse bench: the engine and the headless host on a prepared data
// directory, driven over IPC by bench/serve-sse/real-backup.ts, so that RSS and event-loop delay are the host's
// alone (the SSE clients live in the parent process).
//
//   parent -> {type:'start', streams}   child -> {type:'ready', port, token, snapshotBytes}
//   child  -> {type:'result', ...}      parent -> {type:'exit'}
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { summaryOf } from '../../main/common/index.js';
import { startEngine } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { startHeadlessHost } from '../../main/hosts/headless/host.js';
import { waitFor } from '../../main/hosts/headless/testing/http.js';

export interface HostRunResult {
  type: 'result';
  status: string;
  wallSeconds: number;
  /** restic's own figure from its summary. */
  resticSeconds: number | null;
  bytesProcessed: number | null;
  startEpochMs: number;
  endEpochMs: number;
  rssBeforeMB: number;
  rssGrowthMB: number;
  rssPeakGrowthMB: number;
  heapGrowthMB: number;
  /** Buffers outside the V8 heap (socket write buffers live here). */
  externalGrowthMB: number;
  /** CPU time of the host process during the backup: the clients' cost, less sensitive to a busy machine. */
  hostCpuSeconds: number;
  loopDelayP50ms: number;
  loopDelayP99ms: number;
  loopDelayMaxms: number;
  maxPending: number;
  maxBlockedStreams: number;
  maxBufferedKB: number;
  stateVersions: number;
}

const MB = 1024 * 1024;
const round = (n: number) => Math.round(n * 100) / 100;

function send(message: unknown): void {
  process.send!(message);
}

function nextMessage<T extends { type: string }>(type: T['type']): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: T) => {
      if (message?.type !== type) return;
      process.off('message', onMessage);
      resolve(message);
    };
    process.on('message', onMessage);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
  const dataDir = values['data-dir'];
  if (!dataDir || !process.send) throw new Error('host-run is started by bench/serve-sse.ts with --data-dir and an IPC channel');
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('host-run needs node --expose-gc');

  const engine = await startEngine({ dataDir, host: 'serve', runSchedules: false, logger: silentLogger });
  const host = await startHeadlessHost({ engine, port: 0, staticDir: null, logger: silentLogger });
  await engine.resolveRestic();
  send({ type: 'ready', port: host.server.port, token: host.token, snapshotBytes: JSON.stringify(engine.state()).length });

  const { streams } = await nextMessage<{ type: 'start'; streams: number }>('start');
  await waitFor(() => host.server.stats().eventStreams === streams, 30_000, 'the SSE clients');
  gc();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let maxPending = 0;
  let maxBlocked = 0;
  let maxBuffered = 0;
  const sample = () => {
    const stats = host.server.stats();
    maxPending = Math.max(maxPending, stats.maxPending);
    maxBlocked = Math.max(maxBlocked, stats.blockedStreams);
    maxBuffered = Math.max(maxBuffered, stats.totalBufferedBytes);
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  };
  const sampler = setInterval(sample, 50);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const versionBefore = engine.state().version;

  loop.enable();
  const cpuBefore = process.cpuUsage();
  const startEpochMs = Date.now();
  const started = performance.now();
  const { opId } = await engine.rpc.invoke('plans.backup', { planId: 'bench' });
  const op = await engine.orchestrator.waitFor(opId);
  const wallSeconds = (performance.now() - started) / 1000;
  const endEpochMs = Date.now();
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();
  clearInterval(sampler);
  sample();
  gc();
  const after = process.memoryUsage();
  const summary = summaryOf(op, 'backup') ?? {};

  const result: HostRunResult = {
    type: 'result',
    status: op.status,
    wallSeconds: round(wallSeconds),
    resticSeconds: summary.totalDuration !== undefined ? round(summary.totalDuration) : null,
    bytesProcessed: summary.totalBytesProcessed ?? null,
    startEpochMs,
    endEpochMs,
    rssBeforeMB: round(before.rss / MB),
    rssGrowthMB: round((after.rss - before.rss) / MB),
    rssPeakGrowthMB: round((rssPeak - before.rss) / MB),
    heapGrowthMB: round((after.heapUsed - before.heapUsed) / MB),
    externalGrowthMB: round((after.external - before.external) / MB),
    hostCpuSeconds: round((cpu.user + cpu.system) / 1e6),
    loopDelayP50ms: round(loop.percentile(50) / 1e6),
    loopDelayP99ms: round(loop.percentile(99) / 1e6),
    loopDelayMaxms: round(loop.max / 1e6),
    maxPending,
    maxBlockedStreams: maxBlocked,
    maxBufferedKB: Math.round(maxBuffered / 1024),
    stateVersions: engine.state().version - versionBefore,
  };
  send(result);

  await nextMessage('exit');
  await host.close();
  await engine.shutdown();
  process.disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

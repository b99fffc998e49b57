// The synthetic workload of the serve-sse bench (`--mode fake`): the real HTTP server over a fake engine (a real
// StatePublisherImpl, no restic), N SSE clients that never read plus one that reads, and progress snapshots
// published at --rate per second for --seconds (restic 0.14 prints up to 60 status lines a second; the default rate
// is a far harsher flood). Runs 0 non-readers first as the baseline and reports host RSS / heap growth, event-loop
// delay p99, the reader's delivery rate, and the largest per-client buffer and publisher backlog.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type net from 'node:net';
import { HostClient } from '../../main/hosts/headless/client.js';
import { startServer } from '../../main/hosts/headless/server.js';
import { createFakeEngine, progressState, silentLogger } from '../../main/hosts/headless/testing/fake-engine.js';
import { stuckSseClient, waitFor } from '../../main/hosts/headless/testing/http.js';

const TOKEN = 'bench-token';

export interface FakeBenchOptions {
  seconds: number;
  clients: number;
  rate: number;
  hz: number;
  pad: number;
}

const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

interface Result {
  nonReaders: number;
  seconds: number;
  publishes: number;
  snapshotBytes: number;
  rssGrowthMB: number;
  rssPeakGrowthMB: number;
  heapGrowthMB: number;
  loopDelayP99ms: number;
  loopDelayMaxms: number;
  readerEventsPerSecond: number;
  maxBufferedBytes: number;
  maxPending: number;
  blockedClientsAtEnd: number;
}

async function scenario(nonReaders: number, opts: FakeBenchOptions): Promise<Result> {
  const { seconds: SECONDS, rate: RATE, hz: HZ, pad: PAD } = opts;
  const engine = createFakeEngine({ initial: progressState(1, 0, HZ, PAD) });
  const server = await startServer({ engine, port: 0, token: TOKEN, staticDir: null, logger: silentLogger });
  const stuck: net.Socket[] = [];
  const abort = new AbortController();
  try {
    for (let i = 0; i < nonReaders; i++) stuck.push(await stuckSseClient(server.port, TOKEN));
    await waitFor(() => engine.publisher.subscriberCount === nonReaders, 10_000, 'subscribers');

    let received = 0;
    const reader = new HostClient({ port: server.port, token: TOKEN })
      .events(() => received++, abort.signal)
      .catch(() => {});
    await waitFor(() => received === 1, 10_000, 'reader connected');

    gc();
    const rssBefore = process.memoryUsage().rss;
    const heapBefore = process.memoryUsage().heapUsed;
    let rssPeak = rssBefore;
    let maxBuffered = 0;
    let maxPending = 0;

    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const receivedAtStart = received;
    // Publish in 10 ms ticks, catching up to RATE per second, the way a busy parser feeds the state store.
    let version = 1;
    let blockedAtEnd = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.floor(((performance.now() - started) / 1000) * RATE) - (version - 1);
        for (let i = 0; i < due; i++) engine.publisher.publish(progressState(++version, version * 4096, HZ, PAD));
        const stats = server.stats();
        blockedAtEnd = stats.blockedStreams;
        maxBuffered = Math.max(maxBuffered, stats.maxBufferedBytes);
        maxPending = Math.max(maxPending, stats.maxPending);
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
        if (performance.now() - started >= SECONDS * 1000) {
          clearInterval(tick);
          resolve();
        }
      }, 10);
    });
    const elapsed = (performance.now() - started) / 1000;
    loop.disable();
    gc();
    const mem = process.memoryUsage();
    return {
      nonReaders,
      seconds: round(elapsed),
      publishes: version - 1,
      snapshotBytes: JSON.stringify(engine.publisher.current()).length,
      rssGrowthMB: round((mem.rss - rssBefore) / MB),
      rssPeakGrowthMB: round((rssPeak - rssBefore) / MB),
      heapGrowthMB: round((mem.heapUsed - heapBefore) / MB),
      loopDelayP99ms: round(loop.percentile(99) / 1e6),
      loopDelayMaxms: round(loop.max / 1e6),
      readerEventsPerSecond: round((received - receivedAtStart) / elapsed),
      maxBufferedBytes: maxBuffered,
      maxPending,
      blockedClientsAtEnd: blockedAtEnd,
    };
  } finally {
    abort.abort();
    stuck.forEach((s) => s.destroy());
    await server.close();
    engine.publisher.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export async function runFakeBench(opts: FakeBenchOptions): Promise<void> {
  const results: Result[] = [];
  for (const n of [0, opts.clients]) {
    const result = await scenario(n, opts);
    results.push(result);
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  console.table(results);
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with node --expose-gc for steadier memory figures)');
}

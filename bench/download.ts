// Bench: a download through `serve` (GET /api/download, restic dump) against `restic dump` straight to /dev/null,
// side by side in one run, and the serve process's memory while a client reads slowly. The figures that matter:
// the HTTP path costs little over restic itself, and memory does not grow with the file (backpressure).
//
//   node --expose-gc --import tsx bench/download.ts [--size-mb 256] [--slow-mibs 16]
// The client runs in the same process (so RSS growth counts its buffers too: an upper bound for the server's).
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { startEngine } from '../main/core/engine.js';
import { startServer } from '../main/hosts/headless/server.js';
import { silentLogger } from '../main/hosts/headless/testing/fake-engine.js';
import { createWorkspace } from '../test/helpers/workspace.js';

const { values } = parseArgs({ options: { 'size-mb': { type: 'string', default: '256' }, 'slow-mibs': { type: 'string', default: '16' } } });
const sizeMiB = Number(values['size-mb']);
const slowMiBs = Number(values['slow-mibs']);
const TOKEN = 'bench-download-token-0123456789abcdefghijklmn';

const ws = await createWorkspace({ files: 0 });
const file = path.join(ws.sourceDir, 'big.bin');
const out = createWriteStream(file);
for (let i = 0; i < sizeMiB; i++) if (!out.write(randomBytes(1024 * 1024))) await new Promise((r) => out.once('drain', r));
await new Promise((r) => out.end(r));
await ws.writeConfig();
const backup = await ws.restic(['backup', '--json', ws.sourceDir]);
const snapshotId = backup.stdout
  .split('\n')
  .filter((l) => l.includes('"summary"'))
  .map((l) => (JSON.parse(l) as { snapshot_id: string }).snapshot_id)[0]!;

const engine = await startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, configWatch: false });
const server = await startServer({ engine, port: 0, host: '127.0.0.1', token: TOKEN, staticDir: null, logger: silentLogger });
const query = new URLSearchParams({ repoId: 'local', snapshotId, path: file }).toString();

/** Downloads once; `bytesPerSecond` null reads as fast as it can. Returns seconds and the RSS peak growth. */
async function download(bytesPerSecond: number | null): Promise<{ seconds: number; bytes: number; rssGrowthMiB: number }> {
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const bytes = await new Promise<number>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: `/api/download?${query}`, headers: { Authorization: `Bearer ${TOKEN}` }, agent: false }, (res) => {
        let n = 0;
        res.on('data', (chunk: Buffer) => {
          n += chunk.length;
          if (bytesPerSecond !== null) {
            res.pause();
            setTimeout(() => res.resume(), (chunk.length / bytesPerSecond) * 1000);
          }
        });
        res.on('end', () => resolve(n));
        res.on('error', reject);
      })
      .on('error', reject);
  });
  clearInterval(sampler);
  return { seconds: (performance.now() - started) / 1000, bytes, rssGrowthMiB: (peak - baseRss) / 1024 / 1024 };
}

const direct = performance.now();
await execa('sh', ['-c', `restic dump ${snapshotId} "${file}" > /dev/null`], {
  env: { RESTIC_REPOSITORY: ws.repoPath, RESTIC_PASSWORD_FILE: ws.passwordFile, PATH: process.env.PATH ?? '' },
});
const directSeconds = (performance.now() - direct) / 1000;
const fast = await download(null);
const slow = await download(slowMiBs * 1024 * 1024);
if (fast.bytes !== sizeMiB * 1024 * 1024) throw new Error(`fast download got ${fast.bytes} bytes`);

console.log(
  JSON.stringify(
    {
      sizeMiB,
      resticDumpToDevNullSeconds: +directSeconds.toFixed(2),
      serveDownloadSeconds: +fast.seconds.toFixed(2),
      ratio: +(fast.seconds / directSeconds).toFixed(2),
      fastRssGrowthMiB: +fast.rssGrowthMiB.toFixed(1),
      slowClientMiBs: slowMiBs,
      slowSeconds: +slow.seconds.toFixed(1),
      slowRssGrowthMiB: +slow.rssGrowthMiB.toFixed(1),
    },
    null,
    2,
  ),
);
await server.close();
await engine.shutdown();
await ws.cleanup();

// GET /api/download over `serve` with real restic: a file's exact bytes, a folder as a tar whose listing is the
// source's, a client that leaves mid-way leaves no restic behind, and bad requests get clear answers.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../main/hosts/headless/server.js';
import { silentLogger } from '../../main/hosts/headless/testing/fake-engine.js';
import { listDescendants, isAlive } from '../../main/core/restic/process-tree.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const TOKEN = 'download-token-0123456789abcdefghijklmnopqrstuv';
const fixture = useEngineFixture();

interface Served {
  ws: Workspace;
  server: RunningServer;
  snapshotId: string;
}

async function serveBackedUp(prepare: (ws: Workspace) => Promise<void>): Promise<Served> {
  const ws = await fixture.workspace({ files: 2 });
  await prepare(ws);
  await ws.writeConfig();
  const backup = await ws.restic(['backup', '--json', ws.sourceDir]);
  expect(backup.exitCode).toBe(0);
  const summary = backup.stdout.split('\n').map((l) => (l.startsWith('{') ? (JSON.parse(l) as { message_type?: string; snapshot_id?: string }) : {}));
  const snapshotId = summary.find((m) => m.message_type === 'summary')!.snapshot_id!;
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, configWatch: false });
  const server = await startServer({ engine, port: 0, host: '127.0.0.1', token: TOKEN, staticDir: null, logger: silentLogger });
  fixture.onTeardown(() => server.close());
  return { ws, server, snapshotId };
}

function downloadUrl(snapshotId: string, p: string, repoId = 'local'): string {
  return `/api/download?${new URLSearchParams({ repoId, snapshotId, path: p }).toString()}`;
}

async function get(port: number, urlPath: string, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; complete: boolean }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** restic dump processes this test process started that are still alive. */
function liveDumps(): number[] {
  return listDescendants(process.pid).filter((pid) => {
    try {
      // /proc is Linux's; the CI and this machine run Linux.
      return isAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('dump');
    } catch {
      return false;
    }
  });
}

async function waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('GET /api/download', () => {
  it('streams a file byte for byte, named with RFC 6266 filename* (UTF-8 safe)', async () => {
    const content = randomBytes(300_000);
    const name = 'Résumé "final" 报告.bin';
    const { ws, server, snapshotId } = await serveBackedUp((w) => writeFile(path.join(w.sourceDir, name), content));
    const res = await get(server.port, downloadUrl(snapshotId, path.join(ws.sourceDir, name)));
    expect(res.status).toBe(200);
    expect(res.complete).toBe(true);
    expect(res.body.equals(content)).toBe(true);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-length']).toBe(String(content.length));
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ _final_ __.bin"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('streams a folder as a tar whose listing is the source folder', async () => {
    const { ws, server, snapshotId } = await serveBackedUp(async (w) => {
      await mkdir(path.join(w.sourceDir, 'docs', 'deep'), { recursive: true });
      await writeFile(path.join(w.sourceDir, 'docs', 'a.txt'), 'alpha');
      await writeFile(path.join(w.sourceDir, 'docs', 'deep', 'b.txt'), 'beta');
    });
    const res = await get(server.port, downloadUrl(snapshotId, path.join(ws.sourceDir, 'docs')));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-tar');
    expect(res.headers['content-disposition']).toContain(`filename="docs.tar"`);
    const tarFile = path.join(ws.root, 'docs.tar');
    await writeFile(tarFile, res.body);
    const listing = String((await execa('tar', ['-tf', tarFile])).stdout)
      .split('\n')
      .map((l) => l.replace(/^\/+/, '').replace(/\/$/, ''))
      .filter((l) => l.endsWith('.txt'));
    const rel = (p: string) => path.join(ws.sourceDir, p).replace(/^\/+/, '');
    expect(listing.sort()).toEqual([rel('docs/a.txt'), rel('docs/deep/b.txt')].sort());
    const outDir = path.join(ws.root, 'untar');
    await mkdir(outDir);
    await execa('tar', ['-xf', tarFile, '-C', outDir]);
    expect(await readFile(path.join(outDir, rel('docs/deep/b.txt')), 'utf8')).toBe('beta');
    // "/" is the whole snapshot, named after it.
    const whole = await get(server.port, downloadUrl(snapshotId, '/'));
    expect(whole.status).toBe(200);
    expect(whole.headers['content-disposition']).toContain(`filename="snapshot-${snapshotId.slice(0, 8)}.tar"`);
    await writeFile(tarFile, whole.body);
    expect(String((await execa('tar', ['-tf', tarFile])).stdout)).toContain(rel('docs/deep/b.txt'));
  });

  it('a client that disconnects mid-way leaves no restic running', async () => {
    const big = randomBytes(48 * 1024 * 1024);
    const { ws, server, snapshotId } = await serveBackedUp((w) => writeFile(path.join(w.sourceDir, 'big.bin'), big));
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: server.port, path: downloadUrl(snapshotId, path.join(ws.sourceDir, 'big.bin')), headers: { Authorization: `Bearer ${TOKEN}` }, agent: false },
        (res) => {
          res.on('data', (c: Buffer) => {
            received += c.length;
            // Some bytes are in: restic is running and blocked on the client. Leave.
            if (received > 256 * 1024 && liveDumps().length > 0) {
              req.destroy();
              resolve();
            }
          });
          res.on('end', () => reject(new Error('the whole file arrived before the client could leave')));
        },
      );
      req.on('error', () => undefined);
    });
    expect(received).toBeLessThan(big.length);
    await waitFor(() => liveDumps().length === 0);
  });

  it('bad input: unknown snapshot, a path not in the snapshot, missing parameters, no token', async () => {
    const { ws, server, snapshotId } = await serveBackedUp(async () => undefined);
    const unknown = await get(server.port, downloadUrl('deadbeef', path.join(ws.sourceDir, 'file-0.bin')));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString()).error.code).toBe('UNKNOWN_SNAPSHOT');
    const absent = await get(server.port, downloadUrl(snapshotId, path.join(ws.sourceDir, 'nope.txt')));
    expect(absent.status).toBe(404);
    expect(JSON.parse(absent.body.toString()).error.code).toBe('PATH_NOT_IN_SNAPSHOT');
    const relative = await get(server.port, downloadUrl(snapshotId, 'file-0.bin'));
    expect(JSON.parse(relative.body.toString()).error.code).toBe('PATH_NOT_IN_SNAPSHOT');
    const missing = await get(server.port, `/api/download?repoId=local&snapshotId=${snapshotId}`);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body.toString()).error).toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('"path"') });
    const noToken = await get(server.port, downloadUrl(snapshotId, path.join(ws.sourceDir, 'file-0.bin')), {});
    expect(noToken.status).toBe(401);
    expect(noToken.headers['www-authenticate']).toContain('Bearer');
    // The token in the query (as an EventSource may send it) is not accepted here: downloads need the header.
    const queryToken = await get(server.port, `${downloadUrl(snapshotId, path.join(ws.sourceDir, 'file-0.bin'))}&token=${TOKEN}`, {});
    expect(queryToken.status).toBe(401);
    const unknownRepo = await get(server.port, downloadUrl(snapshotId, path.join(ws.sourceDir, 'file-0.bin'), 'elsewhere'));
    expect(JSON.parse(unknownRepo.body.toString()).error.code).toBe('UNKNOWN_REPO');
  });
});

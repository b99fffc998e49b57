// The download route's own rules, over a Dumper it controls (test/serve/download.test.ts runs real restic): the
// file name header cannot be broken by any name, and a client that stops reading is dropped and restic stopped.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dumper } from '../../core/snapshots/dump.js';
import { contentDisposition, handleDownload } from './download.js';

describe('contentDisposition', () => {
  it.each([
    ['notes.txt', `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`],
    ['报告 (final).tar', `attachment; filename="__ (final).tar"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%28final%29.tar`],
    ['a"b\\c.txt', `attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`],
    ['x\r\nSet-Cookie: y', `attachment; filename="x__Set-Cookie: y"; filename*=UTF-8''x%0D%0ASet-Cookie%3A%20y`],
    ["it's;100%", `attachment; filename="it's_100_"; filename*=UTF-8''it%27s%3B100%25`],
    ['', `attachment; filename="download"; filename*=UTF-8''`],
  ])('%j', (name, header) => {
    expect(contentDisposition(name)).toBe(header);
    // Whatever the name, the header is one line of visible ASCII.
    expect(header).toMatch(/^[\x20-\x7e]*$/);
  });
});

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(null));
  server = null;
});

describe('a client that stops reading', () => {
  it('is dropped after the idle timeout, and the dump is cancelled', async () => {
    let cancelled = false;
    const stdout = new PassThrough();
    // Endless bytes, as fast as the response takes them.
    const pump = setInterval(() => stdout.write(Buffer.alloc(64 * 1024)), 1);
    const dumps: Dumper = {
      describe: () => Promise.reject(new Error('unused')),
      open: async () => ({
        kind: 'file',
        fileName: 'big.bin',
        size: null,
        snapshot: { id: 'a'.repeat(64), shortId: 'aaaaaaaa', time: '', paths: [], tags: [], hostname: '' },
        stdout,
        done: new Promise(() => undefined),
        cancel: () => {
          cancelled = true;
          clearInterval(pump);
          stdout.destroy();
        },
      }),
    };
    const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
    server = http.createServer((req, res) => {
      void handleDownload(req, res, new URL(`http://127.0.0.1${req.url}`), dumps, logger, { idleTimeoutMs: 300 });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    // A raw socket that sends its request and never reads: the server's writes stop, the socket goes idle.
    const socket = net.connect(port, '127.0.0.1');
    socket.pause();
    socket.write(`GET /api/download?repoId=nas&snapshotId=abc&path=%2Fbig.bin HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const started = Date.now();
    const deadline = started + 10_000;
    while (!cancelled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(pump);
    socket.destroy();
    expect(cancelled).toBe(true);
  });
});

// Downloads over both transports: the browser tab's authenticated GET, and the desktop host's save-then-follow.
import { describe, expect, it } from 'vitest';
import type { DownloadProgress, RpcMethod } from '../../../main/common/index.js';
import { createBridgeDownloader, createHttpDownloader, fileNameFromDisposition, type DownloadProgressInfo } from './download.js';
import { RpcError } from './types.js';

const REQUEST = { repoId: 'nas', snapshotId: 'abc123', path: '/home/me/报告.txt' };

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
}

describe('fileNameFromDisposition', () => {
  it.each([
    [`attachment; filename="__.txt"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt`, '报告.txt'],
    [`attachment; filename="plain.tar"`, 'plain.tar'],
    [`attachment; filename="x"; filename*=UTF-8''%E6%8A`, 'x'],
    [null, 'fallback'],
  ])('%s -> %s', (header, name) => {
    expect(fileNameFromDisposition(header, 'fallback')).toBe(name);
  });
});

describe('browser tab: GET /api/download', () => {
  it('sends the token, reports progress, and saves the bytes under the server-given name', async () => {
    const saved: { text: string; name: string }[] = [];
    const progress: DownloadProgressInfo[] = [];
    let asked: { url: string; auth: string | null } | null = null;
    const download = createHttpDownloader({
      token: 'tok',
      fetch: (async (url: string, init: RequestInit) => {
        asked = { url, auth: new Headers(init.headers).get('Authorization') };
        return new Response(streamOf(['hello ', 'world']), {
          headers: { 'Content-Length': '11', 'Content-Disposition': `attachment; filename="__.txt"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt` },
        });
      }) as typeof fetch,
      save: (blob, name) => void blob.text().then((text) => saved.push({ text, name })),
    });
    const outcome = await download(REQUEST, { onProgress: (p) => progress.push(p), signal: new AbortController().signal });
    expect(outcome).toEqual({ status: 'saved', fileName: '报告.txt', bytes: 11 });
    expect(asked).toEqual({ url: `/api/download?repoId=nas&snapshotId=abc123&path=${encodeURIComponent('/home/me/报告.txt')}`, auth: 'Bearer tok' });
    expect(progress.at(-1)).toEqual({ bytes: 11, total: 11 });
    await expect.poll(() => saved).toEqual([{ text: 'hello world', name: '报告.txt' }]);
  });

  it("turns the server's error into an RpcError with its code", async () => {
    const download = createHttpDownloader({
      token: 'tok',
      fetch: (async () => new Response(JSON.stringify({ error: { code: 'PATH_NOT_IN_SNAPSHOT', message: 'not there' } }), { status: 404 })) as unknown as typeof fetch,
      save: () => undefined,
    });
    const err = await download(REQUEST, { onProgress: () => undefined, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('PATH_NOT_IN_SNAPSHOT');
  });

  it('a body shorter than its Content-Length is a failure, never a saved file', async () => {
    const saved: string[] = [];
    const download = createHttpDownloader({
      token: 'tok',
      fetch: (async () => new Response(streamOf(['half']), { headers: { 'Content-Length': '100' } })) as unknown as typeof fetch,
      save: (_b, name) => saved.push(name),
    });
    const err = await download(REQUEST, { onProgress: () => undefined, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect((err as RpcError).code).toBe('RESTIC_FAILED');
    expect(saved).toEqual([]);
  });

  it('an abort ends as cancelled, nothing saved', async () => {
    const abort = new AbortController();
    const download = createHttpDownloader({
      token: 'tok',
      fetch: (async (_url: string, init: RequestInit) => {
        abort.abort();
        throw Object.assign(new Error('aborted'), { name: 'AbortError', signal: init.signal });
      }) as unknown as typeof fetch,
      save: () => {
        throw new Error('must not save');
      },
    });
    expect(await download(REQUEST, { onProgress: () => undefined, signal: abort.signal })).toEqual({ status: 'cancelled' });
  });
});

describe('desktop: the host saves, the window follows', () => {
  function host(progress: DownloadProgress[], downloadId: number | null = 7) {
    const calls: { method: RpcMethod; params: unknown }[] = [];
    const invoke = (async (method: RpcMethod, params: unknown) => {
      calls.push({ method, params });
      if (method === 'download.save') return { downloadId, fileName: '报告.txt' };
      if (method === 'download.cancel') return { ok: true };
      if (method === 'download.progress') return progress.length > 1 ? progress.shift() : progress[0];
      throw new Error(`unexpected ${method}`);
    }) as Parameters<typeof createBridgeDownloader>[0];
    return { calls, invoke };
  }
  const p = (status: DownloadProgress['status'], bytes: number, error: DownloadProgress['error'] = null): DownloadProgress => ({ status, bytes, total: 10, fileName: '报告.txt', error });

  it('follows the progress to the end', async () => {
    const { invoke, calls } = host([p('running', 3), p('running', 6), p('done', 10)]);
    const seen: number[] = [];
    const outcome = await createBridgeDownloader(invoke, async () => undefined)(REQUEST, { onProgress: (x) => seen.push(x.bytes), signal: new AbortController().signal });
    expect(outcome).toEqual({ status: 'saved', fileName: '报告.txt', bytes: 10 });
    expect(seen).toEqual([3, 6, 10]);
    expect(calls[0]).toEqual({ method: 'download.save', params: REQUEST });
  });

  it('a closed save dialog is a cancel, with no download started', async () => {
    const { invoke, calls } = host([], null);
    expect(await createBridgeDownloader(invoke, async () => undefined)(REQUEST, { onProgress: () => undefined, signal: new AbortController().signal })).toEqual({ status: 'cancelled' });
    expect(calls.map((c) => c.method)).toEqual(['download.save']);
  });

  it('cancel asks the host once to stop (it removes the partial file)', async () => {
    const abort = new AbortController();
    const { invoke, calls } = host([p('running', 3), p('cancelled', 3)]);
    const outcome = await createBridgeDownloader(invoke, async () => abort.abort())(REQUEST, { onProgress: () => undefined, signal: abort.signal });
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(calls.filter((c) => c.method === 'download.cancel')).toEqual([{ method: 'download.cancel', params: { downloadId: 7 } }]);
  });

  it("a failed download throws the host's error", async () => {
    const { invoke } = host([p('failed', 2, { code: 'RESTIC_FAILED', message: 'restic dump failed' })]);
    const err = await createBridgeDownloader(invoke, async () => undefined)(REQUEST, { onProgress: () => undefined, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect((err as RpcError).code).toBe('RESTIC_FAILED');
  });
});

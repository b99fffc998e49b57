// Downloading a file (or a folder as .tar) of a snapshot, over whichever transport this window has:
// - in a browser tab (`serve`): GET /api/download with the Bearer token, read as a stream (progress, cancel), then
//   handed to the browser's own save as a file;
// - in the desktop app: the host shows a save dialog and writes restic's output to the chosen file itself; the
//   window follows its progress and can cancel it (the host then removes the partial file).
import type { RpcMethod, RpcParams, RpcResult } from '../../../main/common/index.js';
import { RpcError } from './types.js';

export interface DownloadRequest {
  repoId: string;
  snapshotId: string;
  path: string;
}

export interface DownloadProgressInfo {
  bytes: number;
  /** null: not known until the end (a folder's tar). */
  total: number | null;
}

export interface DownloadOptions {
  onProgress(progress: DownloadProgressInfo): void;
  signal: AbortSignal;
}

export type DownloadOutcome = { status: 'saved'; fileName: string; bytes: number } | { status: 'cancelled' };

export type Downloader = (request: DownloadRequest, opts: DownloadOptions) => Promise<DownloadOutcome>;

/** The name in a Content-Disposition header: filename* (RFC 8187, UTF-8) when present, else the plain one. */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="([^"]*)"/i.exec(header);
  return plain?.[1] || fallback;
}

function baseName(p: string): string {
  return p.replace(/\/+$/, '').split('/').pop() || 'download';
}

export interface HttpDownloadEnv {
  token: string | null;
  fetch: typeof fetch;
  baseUrl?: string;
  /** Gives the finished bytes to the browser to save (an <a download> click in a page). */
  save(blob: Blob, fileName: string): void;
}

export function createHttpDownloader(env: HttpDownloadEnv): Downloader {
  return async (request, opts) => {
    if (!env.token) throw new RpcError('UNAUTHORIZED', 'This page is not signed in.');
    const query = new URLSearchParams({ repoId: request.repoId, snapshotId: request.snapshotId, path: request.path });
    let res: Response;
    try {
      res = await env.fetch(`${env.baseUrl ?? ''}/api/download?${query.toString()}`, {
        headers: { Authorization: `Bearer ${env.token}` },
        signal: opts.signal,
      });
    } catch (err) {
      if (opts.signal.aborted) return { status: 'cancelled' };
      throw new RpcError('NETWORK', err instanceof Error ? err.message : 'Backstay is not answering.');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new RpcError(body?.error?.code ?? 'INTERNAL', body?.error?.message ?? `Backstay answered ${res.status}.`);
    }
    const fileName = fileNameFromDisposition(res.headers.get('Content-Disposition'), baseName(request.path));
    const length = Number(res.headers.get('Content-Length'));
    const total = Number.isFinite(length) && length > 0 ? length : null;
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    try {
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.length;
        opts.onProgress({ bytes, total });
      }
    } catch (err) {
      if (opts.signal.aborted) return { status: 'cancelled' };
      // The server breaks the response when restic fails after the first byte: what arrived is not the file.
      throw new RpcError('RESTIC_FAILED', err instanceof Error ? `The download broke off: ${err.message}` : 'The download broke off.');
    }
    if (total !== null && bytes !== total) throw new RpcError('RESTIC_FAILED', `The download broke off after ${bytes} of ${total} bytes.`);
    env.save(new Blob(chunks as BlobPart[]), fileName);
    return { status: 'saved', fileName, bytes };
  };
}

type Invoke = <M extends RpcMethod>(method: M, params: RpcParams<M>) => Promise<RpcResult<M>>;

/** How often the window asks the desktop host how far its download is. */
export const DESKTOP_PROGRESS_POLL_MS = 250;

export function createBridgeDownloader(invoke: Invoke, wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Downloader {
  return async (request, opts) => {
    const { downloadId, fileName } = await invoke('download.save', request);
    if (downloadId === null) return { status: 'cancelled' };
    let cancelSent = false;
    for (;;) {
      if (opts.signal.aborted && !cancelSent) {
        cancelSent = true;
        await invoke('download.cancel', { downloadId });
      }
      const p = await invoke('download.progress', { downloadId });
      opts.onProgress({ bytes: p.bytes, total: p.total });
      if (p.status === 'done') return { status: 'saved', fileName: p.fileName || fileName, bytes: p.bytes };
      if (p.status === 'cancelled') return { status: 'cancelled' };
      if (p.status === 'failed') throw new RpcError(p.error?.code ?? 'INTERNAL', p.error?.message ?? 'The download failed.');
      await wait(DESKTOP_PROGRESS_POLL_MS);
    }
  };
}

/** Saves a Blob through the page: an <a download> click, the URL released once the browser has taken it. */
export function saveBlobInPage(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

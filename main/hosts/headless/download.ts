// GET /api/download?repoId=R&snapshotId=S&path=P: a file of a snapshot (or a folder as .tar) straight from
// `restic dump`, piped to the response with backpressure, so a slow client makes restic wait instead of the bytes
// piling up in memory. A client that goes away stops restic (and whatever it started). The token, Host and Origin
// checks are the server's, before this runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BackstayError } from '../../common/errors.js';
import type { Logger } from '../../core/engine-api.js';
import type { Dumper, DumpStream } from '../../core/snapshots/dump.js';

const PARAMS = ['repoId', 'snapshotId', 'path'] as const;
/**
 * A client that takes no byte for this long (a tab put to sleep, a script that stopped reading) is dropped: restic
 * would otherwise wait on it, holding its process and the repository, for as long as the socket stays open.
 */
export const DOWNLOAD_IDLE_TIMEOUT_MS = 10 * 60_000;

/**
 * RFC 6266 / RFC 8187: an ASCII fallback for old clients and the exact UTF-8 name in `filename*`. Neither can break
 * out of the header (quotes, backslashes, control characters and path separators are replaced or encoded).
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\/%;]/g, '_') || 'download';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export async function handleDownload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  dumps: Dumper | undefined,
  logger: Logger,
  opts: { idleTimeoutMs?: number } = {},
): Promise<void> {
  if (!dumps) throw new BackstayError('NOT_FOUND', 'Downloads are not available from this host.');
  const missing = PARAMS.filter((name) => !url.searchParams.get(name));
  if (missing.length > 0) throw new BackstayError('BAD_PARAMS', `A download needs ${missing.map((m) => `"${m}"`).join(', ')} in the query.`);
  const [repoId, snapshotId, path] = PARAMS.map((name) => url.searchParams.get(name)!);
  // The client may already be gone while the snapshot is looked up: then restic is never started.
  let clientGone = false;
  const onEarlyClose = (): void => void (clientGone = true);
  res.once('close', onEarlyClose);
  const dump = await dumps.open({ repoId: repoId!, snapshotId: snapshotId!, path: path! });
  res.off('close', onEarlyClose);
  if (clientGone || res.destroyed) {
    dump.cancel();
    return;
  }
  await sendDump(req, res, dump, logger, opts.idleTimeoutMs ?? DOWNLOAD_IDLE_TIMEOUT_MS);
}

async function sendDump(req: IncomingMessage, res: ServerResponse, dump: DumpStream, logger: Logger, idleTimeoutMs: number): Promise<void> {
  res.writeHead(200, {
    'Content-Type': dump.kind === 'dir' ? 'application/x-tar' : 'application/octet-stream',
    'Content-Disposition': contentDisposition(dump.fileName),
    'Cache-Control': 'no-store',
    // A file's size is known from the index: the client can show progress, and a short body is visibly broken.
    ...(dump.size !== null ? { 'Content-Length': String(dump.size) } : {}),
  });
  let finished = false;
  res.once('close', () => {
    // Closed before the last byte: the client went away (or the server is closing). restic must not go on.
    if (!finished) dump.cancel();
  });
  res.setTimeout(idleTimeoutMs, () => res.destroy());
  // Not `end`ed by the pipe: only restic's exit code says whether what was sent is whole.
  dump.stdout.pipe(res, { end: false });
  const stdoutEnded = new Promise<void>((resolve) => {
    dump.stdout.once('end', resolve);
    dump.stdout.once('close', resolve);
  });
  try {
    await Promise.all([dump.done, stdoutEnded]);
    finished = true;
    res.end();
  } catch (error) {
    finished = true;
    // Headers are sent: the only honest signal left is a broken response (no final chunk, or a short body).
    if (!res.destroyed) {
      logger.warn('serve: download failed', { request: req.url?.split('?')[0], error: error instanceof Error ? error.message : String(error) });
      res.destroy();
    }
  }
}

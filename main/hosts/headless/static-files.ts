// `GET /` and the built renderer's files. Only files under staticDir, never a directory listing, never a path
// that escapes the folder (`..`, encoded `%2e%2e`, symlinks pointing out).
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Shown when the renderer has not been built: a page that works under the strict CSP (no inline anything). */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backstay</title></head>
<body><h1>Backstay is running</h1>
<p>The web interface has not been built. Run <code>npm run build</code> in the Backstay folder, then reload this page.</p>
<p>The API is available at <code>/api/rpc</code> and <code>/api/events</code>.</p>
</body></html>
`;

export type StaticOutcome = 'served' | 'not-found' | 'bad-path';

/** Maps a URL path to a file under root, or null if it could escape root. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  const rootResolved = path.resolve(root);
  if (resolved !== rootResolved && !resolved.startsWith(rootResolved + path.sep)) return null;
  return resolved;
}

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  staticDir: string | null,
  urlPath: string,
): Promise<StaticOutcome> {
  const isRoot = urlPath === '/' || urlPath === '/index.html';
  if (staticDir === null) {
    if (!isRoot) return 'not-found';
    sendBody(req, res, 200, 'text/html; charset=utf-8', NOT_BUILT_PAGE);
    return 'served';
  }
  const candidate = resolveStaticPath(staticDir, urlPath);
  if (candidate === null) return 'bad-path';

  let file: string;
  let size: number;
  try {
    // realpath: a symlink inside the folder must not lead out of it.
    const [real, realRoot] = await Promise.all([fs.realpath(candidate), fs.realpath(staticDir)]);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return 'bad-path';
    const stat = await fs.stat(real);
    if (!stat.isFile()) return 'not-found';
    file = real;
    size = stat.size;
  } catch {
    if (!isRoot) return 'not-found';
    sendBody(req, res, 200, 'text/html; charset=utf-8', NOT_BUILT_PAGE);
    return 'served';
  }

  res.statusCode = 200;
  res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Content-Length', size);
  // The token lives in the page, not in cookies, so caching is harmless; no-cache makes a rebuild show at once.
  res.setHeader('Cache-Control', 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return 'served';
  }
  try {
    await pipeline(createReadStream(file), res);
  } catch {
    res.destroy(); // the client went away or the file vanished mid-read: nothing sensible left to send
  }
  return 'served';
}

function sendBody(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-cache');
  res.end(req.method === 'HEAD' ? undefined : body);
}

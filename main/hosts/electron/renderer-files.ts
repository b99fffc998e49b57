// Serving the built renderer (dist/renderer) under app://backstay/ with a strict Content-Security-Policy.
// Pure so that path containment and headers are tested under Node; electron-protocol.ts wires it to
// protocol.handle.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './ipc-router.js';

/** No remote anything: scripts, styles, images and fetches only from the app itself. */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file an app:// URL names, or null when it is not ours or would leave the renderer folder. */
export function resolveRendererFile(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  // Encoded dots or backslashes are never in a built renderer's URLs; refuse rather than interpret them.
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').includes('..')) return null;
  if (rel === '' || rel === '/') rel = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, '.' + path.posix.normalize(rel));
  return file.startsWith(root + path.sep) ? file : null;
}

export interface RendererResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

export async function serveRendererRequest(url: string, rendererDir: string): Promise<RendererResponse> {
  const file = resolveRendererFile(url, rendererDir);
  const text = (status: number, body: string): RendererResponse => ({
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
    body: Buffer.from(body),
  });
  if (!file) return text(404, 'Not found');
  try {
    const body = await readFile(file);
    return { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(file), 'Cache-Control': 'no-cache' }, body };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'EISDIR' ? text(404, 'Not found') : text(500, 'Could not read the file');
  }
}

// Who may talk to `serve`: requests addressed to this loopback port (Host: against DNS rebinding), from no page
// or our own page (Origin: against cross-site requests), carrying the token.
import type { IncomingMessage } from 'node:http';
import { tokensEqual } from './token.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.toLowerCase();
  return LOOPBACK_NAMES.some((name) => host === `${name}:${port}`);
}

/** No Origin (curl, the CLI, same-origin GETs) is fine; otherwise it must be this server's own origin. */
export function isAllowedOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true;
  const origin = originHeader.toLowerCase();
  return LOOPBACK_NAMES.some((name) => origin === `http://${name}:${port}`);
}

/**
 * The token from `Authorization: Bearer T`, or from `?token=T` when allowQuery (only the event stream: an
 * EventSource cannot set headers, and a token in a URL is more likely to end up in a log).
 */
export function presentedToken(req: IncomingMessage, url: URL, allowQuery: boolean): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : null;
  }
  return allowQuery ? url.searchParams.get('token') : null;
}

export function isAuthorized(req: IncomingMessage, url: URL, token: string, allowQuery: boolean): boolean {
  const presented = presentedToken(req, url, allowQuery);
  return presented !== null && tokensEqual(presented, token);
}

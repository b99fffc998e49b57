// The HTTP side of `backstay serve`: the RPC endpoint, the event stream, /metrics and the renderer's files.
//
// Plain node:http, no framework: the surface is four routes, and what matters here (exact control of write()
// backpressure per SSE client, of body limits, of which headers are checked before anything runs) is what a
// framework would hide behind its own buffering and middleware order. It also keeps the dependency list short for
// a process that holds repository credentials.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { BackstayError, httpStatusFor, rpcErrorData, type ErrorCode } from '../../common/index.js';
import type { Engine, Logger } from '../../core/engine-api.js';
import { findReservedKeys } from '../../core/config/reserved-keys.js';
import { handleDownload } from './download.js';
import { isAllowedHost, isAllowedOrigin, isAuthorized } from './guards.js';
import { METRICS_CONTENT_TYPE, metricsText } from './metrics.js';
import { openEventStream, StateEventCache, type EventStream } from './sse.js';
import { serveStatic } from './static-files.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_KEEPALIVE_MS = 15_000;
export const DEFAULT_STUCK_CLIENT_TIMEOUT_MS = 10 * 60_000;
/**
 * A client on loopback sends its headers at once; one that takes longer is broken or holding a socket on purpose
 * (slowloris). Node answers such a request 408 when the time is up, and the socket must then really close, or every
 * slow client keeps a file descriptor for as long as it likes.
 */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** The whole request, body included (an RPC body is at most bodyLimitBytes). Not the response: SSE streams are long. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface ServerOptions {
  engine: Engine;
  /** 0: a free port. */
  port: number;
  /** Loopback only, by design; the option exists to make that visible at the call site. */
  host?: '127.0.0.1';
  token: string;
  /** The built renderer (dist/renderer); null or missing: a page saying to build it. */
  staticDir: string | null;
  logger: Logger;
  bodyLimitBytes?: number;
  keepaliveMs?: number;
  stuckClientTimeoutMs?: number;
  /** Time for a request's headers to arrive (default DEFAULT_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs?: number;
  /** Time for a whole request to arrive (default DEFAULT_REQUEST_TIMEOUT_MS; at least headersTimeoutMs). */
  requestTimeoutMs?: number;
}

export interface ServerStats {
  /** Open TCP connections, of any kind (requests, keep-alive, event streams, half-sent headers). */
  connections: number;
  eventStreams: number;
  /** Largest user-space buffer of any event stream client, in bytes. */
  maxBufferedBytes: number;
  totalBufferedBytes: number;
  /** Event streams whose socket refuses more bytes right now (a client that stopped reading). */
  blockedStreams: number;
  /** Largest publisher backlog of any event stream client: 0 or 1 by construction. */
  maxPending: number;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT (without the token). */
  readonly url: string;
  readonly port: number;
  stats(): ServerStats;
  /** Ends event streams, closes every connection, stops listening. Idempotent. */
  close(): Promise<void>;
}

class HttpError extends BackstayError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
  }
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const bodyLimit = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const streams = new Set<EventStream>();
  const cache = new StateEventCache();
  let streamSeq = 0;
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    // Host and Origin before anything else, token before any work: a page on another site (or one that
    // rebinds its DNS name to 127.0.0.1) learns nothing, not even which paths exist.
    if (!isAllowedHost(req.headers.host, port)) {
      throw new HttpError('FORBIDDEN', 'This server answers only requests addressed to 127.0.0.1, localhost or [::1] on its own port.');
    }
    if (!isAllowedOrigin(req.headers.origin, port)) {
      throw new HttpError('FORBIDDEN', 'Requests from other web pages are refused.');
    }
    const rawUrl = req.url ?? '/';
    if (!rawUrl.startsWith('/')) throw new HttpError('BAD_PARAMS', 'Malformed request target.');
    const url = new URL(`http://127.0.0.1${rawUrl}`);
    const { pathname } = url;
    const method = req.method ?? 'GET';

    if (pathname === '/api' || pathname.startsWith('/api/')) {
      const isEvents = pathname === '/api/events';
      requireToken(req, url, opts.token, isEvents && method === 'GET');
      if (pathname === '/api/rpc' && method === 'POST') return handleRpc(req, res);
      if (pathname === '/api/download' && method === 'GET') return handleDownload(req, res, url, opts.engine.dumps, opts.logger);
      if (isEvents && method === 'GET') {
        const stream = openEventStream(req, res, {
          publisher: opts.engine.publisher,
          cache,
          logger: opts.logger,
          name: `sse#${++streamSeq}`,
          keepaliveMs: opts.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
          stuckTimeoutMs: opts.stuckClientTimeoutMs ?? DEFAULT_STUCK_CLIENT_TIMEOUT_MS,
          onClose: () => streams.delete(stream),
        });
        streams.add(stream);
        return;
      }
      throw new HttpError('NOT_FOUND', `No API endpoint ${method} ${pathname}.`);
    }

    if (pathname === '/metrics' && (method === 'GET' || method === 'HEAD')) {
      // Required here too: Prometheus sends it with `authorization: {credentials: TOKEN}` in the scrape config.
      requireToken(req, url, opts.token, false);
      const body = metricsText(opts.engine.state());
      res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }

    if (method === 'GET' || method === 'HEAD') {
      const outcome = await serveStatic(req, res, opts.staticDir, pathname);
      if (outcome === 'served') return;
      if (outcome === 'bad-path') throw new HttpError('NOT_FOUND', 'Not found.');
      throw new HttpError('NOT_FOUND', `Not found: ${pathname}`);
    }
    throw new HttpError('NOT_FOUND', `Nothing answers ${method} ${pathname}.`);
  };

  const handleRpc = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, bodyLimit);
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError('BAD_PARAMS', 'The request body is not valid JSON.');
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request) || typeof (request as { method?: unknown }).method !== 'string') {
      throw new HttpError('BAD_PARAMS', 'Expected a JSON object {"method": NAME, "params": {...}}.');
    }
    // The params are checked by the dispatcher; the envelope's own reserved keys would otherwise go unseen.
    const reserved = findReservedKeys(request).find((path) => path.length === 1);
    if (reserved) throw new HttpError('BAD_PARAMS', `Unknown key ${JSON.stringify(reserved[0])} in the request object.`);
    const { method, params } = request as { method: string; params?: unknown };
    const result = await opts.engine.rpc.call(method, params ?? {}, { host: 'serve' });
    sendJson(res, 200, { result: result ?? null });
  };

  const headersTimeout = opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeout);
  const sockets = new Set<Socket>();
  const serverOptions = {
    headersTimeout,
    requestTimeout,
    // How often Node looks for requests past those limits (its default, 30 s, would let a short limit run long).
    connectionsCheckingInterval: Math.max(10, Math.min(Math.floor(headersTimeout / 4), 1000)),
  };
  const server = http.createServer(serverOptions, (req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error, opts.logger, `${req.method} ${req.url?.split('?')[0]}`));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A listener here replaces Node's default handling, so it must do what that does: answer if no response has
  // started on the socket, then destroy it. end() alone would wait for the client to close its side, which a slow or
  // hostile client never does: the socket and its file descriptor stayed open for good.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && !(inFlight && inFlight.headersSent)) {
      socket.write(clientErrorResponse(error.code));
    }
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new BackstayError('BAD_PARAMS', `Port ${opts.port} on 127.0.0.1 is already in use. Choose another with --port, or --port 0 for a free one.`)
          : error,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(opts.port, '127.0.0.1');
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (error) => opts.logger.error('serve: server error', { error: String(error) }));

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats() {
      let max = 0;
      let total = 0;
      let maxPending = 0;
      let blocked = 0;
      for (const stream of streams) {
        if (stream.bufferedBytes > 0) blocked++;
        max = Math.max(max, stream.bufferedBytes);
        total += stream.bufferedBytes;
        maxPending = Math.max(maxPending, stream.subscription.pending);
      }
      return { connections: sockets.size, eventStreams: streams.size, maxBufferedBytes: max, totalBufferedBytes: total, maxPending, blockedStreams: blocked };
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const stream of [...streams]) stream.close();
        // Event streams and keep-alive sockets would otherwise hold close() open; a stuck client never ends.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function requireToken(req: IncomingMessage, url: URL, token: string, allowQuery: boolean): void {
  if (!isAuthorized(req, url, token, allowQuery)) {
    throw new HttpError(
      'UNAUTHORIZED',
      'A valid token is required (header "Authorization: Bearer TOKEN"). `backstay serve` prints it when it starts.',
      { 'WWW-Authenticate': 'Bearer realm="backstay"' },
    );
  }
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** Reads the whole body, refusing more than `limit` bytes (413) without buffering the excess. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`, { Connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Every failure is JSON with a code. Only BackstayErrors' own words reach the client; the rest goes to the log. */
function sendError(res: ServerResponse, error: unknown, logger: Logger, what: string): void {
  if (res.headersSent) {
    logger.warn('serve: failure after the response started', { request: what, error: String(error) });
    res.destroy();
    return;
  }
  if (error instanceof BackstayError) {
    const headers = error instanceof HttpError ? error.headers : {};
    const status = httpStatusFor(error.code);
    if (status >= 500) logger.error('serve: request failed', { request: what, code: error.code, error: error.message, detail: error.detail });
    const data = rpcErrorData(error); // e.g. every field problem of a save, for the form to show on its fields
    sendJson(res, status, { error: { code: error.code, message: error.message, ...(data ? { data } : {}) } }, headers);
    return;
  }
  logger.error('serve: unexpected error', {
    request: what,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Backstay hit an unexpected error; the details are in its log.' } });
}

/** What Node itself would answer to a request it gave up on; every answer closes the connection. */
function clientErrorResponse(code: string | undefined): string {
  const status =
    code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? '408 Request Timeout'
      : code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

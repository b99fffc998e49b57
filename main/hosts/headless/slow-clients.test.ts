// Slow clients (slowloris): connections that send their headers a byte at a time, or their body never, must not keep
// a socket once the server has given up on them. Real sockets against serve's own HTTP server, with short limits.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './server.js';
import { createFakeEngine, silentLogger } from './testing/fake-engine.js';
import { request, waitFor } from './testing/http.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvw';
const HEADERS_TIMEOUT_MS = 600;
const REQUEST_TIMEOUT_MS = 1200;
const SLOW_CLIENTS = 20;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(): Promise<RunningServer> {
  const engine = createFakeEngine();
  const server = await startServer({
    engine,
    port: 0,
    host: '127.0.0.1',
    token: TOKEN,
    staticDir: null,
    logger: silentLogger,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  cleanups.push(() => server.close());
  cleanups.push(() => engine.publisher.close());
  return server;
}

interface SlowClient {
  socket: net.Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves when the server closed the connection (the client never closes its side itself). */
  closedByServer: Promise<void>;
}

/** A client that opens a connection, sends `first`, then one more header byte every `dripMs` and never finishes. */
function slowClient(port: number, first: string, dripMs: number | null): SlowClient {
  const socket = net.connect(port, '127.0.0.1');
  // Keep our side open whatever the server does: only the server can end this connection.
  socket.allowHalfOpen = true;
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  socket.on('error', () => undefined); // EPIPE/ECONNRESET once the server destroyed it
  let drip: NodeJS.Timeout | null = null;
  const closedByServer = new Promise<void>((resolve) => {
    socket.once('end', resolve); // the server's FIN
    socket.once('close', resolve);
  }).finally(() => {
    if (drip) clearInterval(drip);
  });
  socket.once('connect', () => {
    if (first) socket.write(first);
    if (dripMs !== null) drip = setInterval(() => socket.writable && socket.write('x'), dripMs);
  });
  cleanups.push(() => {
    if (drip) clearInterval(drip);
    socket.destroy();
  });
  return { socket, received: () => data, closedByServer };
}

describe('serve: slow clients are answered 408 and their sockets closed', () => {
  const kinds: [string, (port: number) => string, number | null][] = [
    ['connects and sends nothing', () => '', null],
    ['sends a request line, then headers a byte at a time', (port) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `, 100],
    [
      'sends complete headers of a POST (authorised), then never all of its body',
      (port) =>
        `POST /api/rpc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"me',
      null,
    ],
  ];

  it.each(kinds)('a client that %s', async (_kind, first, dripMs) => {
    const server = await start();
    const clients = Array.from({ length: SLOW_CLIENTS }, () => slowClient(server.port, first(server.port), dripMs));
    await waitFor(() => server.stats().connections === SLOW_CLIENTS, 5_000);
    const started = Date.now();

    await Promise.all(clients.map((c) => c.closedByServer));
    const closedAfterMs = Date.now() - started;
    for (const client of clients) expect(client.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    // Within the limit plus Node's check interval, not whenever the client gives up.
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    await waitFor(() => server.stats().connections === 0, 2_000);

    // The server is still there for a well-behaved client.
    const res = await request(server.port, { path: '/api/rpc', method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{"method":"state.get"}' });
    expect(res.status).toBeLessThan(500);
  });

  it('a client that sends garbage is answered 400 and its socket closed, even if it keeps its side open', async () => {
    const server = await start();
    const client = slowClient(server.port, 'NOT HTTP AT ALL\r\n\r\n', null);
    await client.closedByServer;
    expect(client.received()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await waitFor(() => server.stats().connections === 0, 2_000);
  });
});

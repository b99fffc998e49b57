// `GET /api/events`: the state stream over Server-Sent Events, with flow control.
//
// The subscription requires an ack after each state and we ack only when the socket has taken the bytes
// (write() returned true, or later 'drain'). So a client that stops reading holds at most one state in our
// buffers (plus what the kernel holds), and the publisher keeps at most one pending for it: latest value wins.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppState } from '../../common/index.js';
import type { Logger } from '../../core/engine-api.js';
import type { StatePublisher, Subscription } from '../../core/state/publisher-api.js';

/** One JSON.stringify per state version however many clients there are. */
export class StateEventCache {
  private version = Number.NaN;
  private text = '';
  private source: AppState | null = null;
  eventFor(state: AppState): string {
    if (state.version !== this.version || state !== this.source) {
      this.version = state.version;
      this.source = state;
      this.text = `event: state\ndata: ${JSON.stringify(state)}\n\n`;
    }
    return this.text;
  }
}

export interface EventStreamOptions {
  publisher: StatePublisher;
  cache: StateEventCache;
  logger: Logger;
  name: string;
  /** A comment line this often keeps proxies and idle timeouts from closing the stream. */
  keepaliveMs: number;
  /** A client that has not taken any bytes for this long is disconnected (its EventSource reconnects). */
  stuckTimeoutMs: number;
  onClose: () => void;
}

export interface EventStream {
  readonly name: string;
  /** Bytes waiting in our user-space buffer for this client (kernel buffers not counted). */
  readonly bufferedBytes: number;
  readonly subscription: Subscription;
  close(): void;
}

export function openEventStream(req: IncomingMessage, res: ServerResponse, opts: EventStreamOptions): EventStream {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  // Tell EventSource to come back soon if the stream drops (host restart, stuck-client cutoff).
  res.write('retry: 2000\n\n');
  req.socket.setNoDelay(true);

  let closed = false;
  /** Since when the socket has refused more bytes (a write returned false); null while it keeps up. */
  let blockedSince: number | null = null;
  /** The last state is still in our buffer: ack once the socket drains. */
  let ackOnDrain = false;

  const write = (chunk: string): boolean => {
    const accepted = res.write(chunk);
    if (!accepted) blockedSince ??= Date.now();
    return accepted;
  };
  const onDrain = () => {
    blockedSince = null;
    if (ackOnDrain) {
      ackOnDrain = false;
      subscription.ack();
    }
  };
  res.on('drain', onDrain);

  const subscription = opts.publisher.subscribe({
    name: opts.name,
    ackRequired: true,
    send: (state) => {
      if (closed) return;
      if (write(opts.cache.eventFor(state))) subscription.ack();
      else ackOnDrain = true;
    },
  });

  const keepalive = setInterval(() => {
    if (closed) return;
    if (blockedSince !== null) {
      // Never add to a backed-up buffer; instead drop a client that has taken nothing for too long.
      if (Date.now() - blockedSince >= opts.stuckTimeoutMs) {
        opts.logger.warn('serve: dropping an event stream client that stopped reading', { client: opts.name });
        res.destroy();
      }
      return;
    }
    write(': keepalive\n\n');
  }, opts.keepaliveMs);
  keepalive.unref();

  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    res.off('drain', onDrain);
    subscription.dispose();
    opts.onClose();
  };
  req.on('close', cleanup);
  res.on('close', cleanup);
  res.on('error', cleanup);
  req.on('error', cleanup);

  return {
    name: opts.name,
    subscription,
    get bufferedBytes() {
      return res.writableLength;
    },
    close() {
      if (closed) return;
      res.end();
      cleanup();
    },
  };
}

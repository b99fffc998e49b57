// A small client for a running `backstay serve`, used by the CLI (`backstay backup` asks the host instead of
// supervising a second restic) and by tests. Plain node:http: no Origin header, no pooled sockets left behind.
import http, { type IncomingMessage } from 'node:http';
import { BackstayError, type AppState, type RpcMethod, type RpcParams, type RpcResult } from '../../common/index.js';
import { readServeInfo } from './serve-info.js';
import { SseParser } from './sse-parser.js';

/** The host could not be reached, or dropped the connection: the caller may fall back to running the job itself. */
export class HostUnreachableError extends BackstayError {
  constructor(message: string, detail: string | null = null) {
    super('INTERNAL', message, detail);
    this.name = 'HostUnreachableError';
  }
}

export interface HostClientOptions {
  port: number;
  token: string;
}

export class HostClient {
  readonly port: number;
  private readonly token: string;

  constructor(opts: HostClientOptions) {
    this.port = opts.port;
    this.token = opts.token;
  }

  /** A client for the `serve` running on this data directory, or null when none runs. */
  static async forDataDir(dataDir: string): Promise<HostClient | null> {
    const info = await readServeInfo(dataDir);
    return info ? new HostClient({ port: info.port, token: info.token }) : null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Calls one RPC method; the host's error comes back as a BackstayError with its code and words. */
  async rpc<M extends RpcMethod>(method: M, params: RpcParams<M>, signal?: AbortSignal): Promise<RpcResult<M>> {
    return (await this.call(method, params, signal)) as RpcResult<M>;
  }

  /** Untyped variant for method names that come from outside (tests, scripts). */
  async call(method: string, params: unknown, signal?: AbortSignal): Promise<unknown> {
    const body = JSON.stringify({ method, params });
    const res = await this.request('POST', '/api/rpc', body, signal);
    const text = await readAll(res);
    let parsed: { result?: unknown; error?: { code?: string; message?: string } };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new HostUnreachableError(`The Backstay host at ${this.url} sent an answer that is not JSON (HTTP ${res.statusCode}).`);
    }
    if (res.statusCode === 200 && 'result' in parsed) return parsed.result;
    throw errorFromBody(parsed, res.statusCode);
  }

  /**
   * Follows the state stream, calling onState for each state, until `signal` aborts (resolves) or the stream
   * ends or fails (rejects with HostUnreachableError). An error thrown by onState ends the stream and rejects.
   */
  async events(onState: (state: AppState) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const res = await this.request('GET', '/api/events', null, signal).catch((error: unknown) => {
      if (signal.aborted) return null;
      throw error;
    });
    if (res === null) return;
    if (res.statusCode !== 200) {
      const text = await readAll(res);
      let parsed: { error?: { code?: string; message?: string } } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // fall through with an empty body
      }
      throw errorFromBody(parsed, res.statusCode);
    }
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        res.destroy();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => finish(null);
      signal.addEventListener('abort', onAbort, { once: true });
      const parser = new SseParser((event) => {
        if (event.event !== 'state' || settled) return;
        try {
          onState(JSON.parse(event.data) as AppState);
        } catch (error) {
          finish(error);
        }
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.push(chunk));
      res.on('end', () => finish(signal.aborted ? null : new HostUnreachableError(`The Backstay host at ${this.url} closed the event stream.`)));
      res.on('error', (error) => finish(signal.aborted ? null : new HostUnreachableError(`Lost the event stream of the Backstay host at ${this.url}.`, error.message)));
      res.on('close', () => finish(signal.aborted ? null : new HostUnreachableError(`The Backstay host at ${this.url} closed the event stream.`)));
    });
  }

  private request(method: 'GET' | 'POST', path: string, body: string | null, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          agent: false,
          signal,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: path === '/api/events' ? 'text/event-stream' : 'application/json',
            ...(body !== null ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
          },
        },
        resolve,
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') reject(error);
        else reject(new HostUnreachableError(`Could not reach the Backstay host at ${this.url}.`, error.code ?? error.message));
      });
      req.end(body ?? undefined);
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function errorFromBody(body: { error?: { code?: string; message?: string } }, status: number | undefined): BackstayError {
  const code = body.error?.code;
  const message = body.error?.message ?? `The Backstay host answered HTTP ${status}.`;
  // Codes are kept as sent (forward compatibility); an unknown one is still a readable error.
  return new BackstayError((code ?? 'INTERNAL') as BackstayError['code'], message);
}

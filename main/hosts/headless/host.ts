// `backstay serve` minus the CLI: token, HTTP server, the serve.json that lets `backstay backup` find us, and
// the ready line. Signals and engine shutdown stay with the CLI, which owns the process.
import { BackstayError } from '../../common/index.js';
import type { Engine, Logger } from '../../core/engine-api.js';
import { readServeInfo, removeServeInfo, writeServeInfo } from './serve-info.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';
import { createToken } from './token.js';

export interface HeadlessHostOptions {
  engine: Engine;
  port: number;
  staticDir: string | null;
  logger: Logger;
  /** For tests; by default a fresh random token. */
  token?: string;
  keepaliveMs?: ServerOptions['keepaliveMs'];
}

export interface HeadlessHost {
  readonly server: RunningServer;
  readonly token: string;
  /** http://127.0.0.1:PORT/#token=TOKEN: opening it signs the page in. */
  readonly url: string;
  /** The one JSON line `backstay serve` prints on stdout when ready (CONTRACT.md). */
  readonly readyLine: string;
  /** Closes the server and removes serve.json. Does not shut the engine down. */
  close(): Promise<void>;
}

export async function startHeadlessHost(opts: HeadlessHostOptions): Promise<HeadlessHost> {
  const dataDir = opts.engine.dataDir;
  const running = await readServeInfo(dataDir);
  if (running && running.pid !== process.pid) {
    throw new BackstayError(
      'ALREADY_RUNNING',
      `Backstay is already serving this data directory (pid ${running.pid}, http://127.0.0.1:${running.port}/).`,
    );
  }
  const token = opts.token ?? createToken();
  const server = await startServer({
    engine: opts.engine,
    port: opts.port,
    host: '127.0.0.1',
    token,
    staticDir: opts.staticDir,
    logger: opts.logger,
    keepaliveMs: opts.keepaliveMs,
  });
  try {
    await writeServeInfo(dataDir, { pid: process.pid, port: server.port, token, startedAt: new Date().toISOString() });
  } catch (error) {
    await server.close();
    throw error;
  }
  const url = `${server.url}/#token=${token}`;
  let closing: Promise<void> | null = null;
  return {
    server,
    token,
    url,
    readyLine: JSON.stringify({ ready: true, url, port: server.port, token }),
    close() {
      closing ??= (async () => {
        await removeServeInfo(dataDir).catch((error: unknown) =>
          opts.logger.warn('serve: could not remove serve.json', { error: String(error) }),
        );
        await server.close();
      })();
      return closing;
    },
  };
}

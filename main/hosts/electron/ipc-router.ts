// `backstay:invoke` from the window: only the app's own page may call, the engine's method table validates the
// params (the same table `serve` uses), and every outcome crosses IPC as data, never as a thrown raw error.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackstayError, ERROR_CODES, rpcErrorData, type ErrorCode, type RpcErrorData } from '../../common/index.js';
import type { Logger, RpcDispatcher } from '../../core/engine-api.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'backstay';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export type IpcReply = { result: unknown } | { error: { code: ErrorCode; message: string; data?: RpcErrorData } };

/** Methods the desktop host answers itself (keychain), checked and validated by their own handler. */
export type HostMethod = (params: unknown) => Promise<unknown>;

export interface IpcRouterOptions {
  rpc: Pick<RpcDispatcher, 'call'>;
  isTrustedSender(url: string | null | undefined): boolean;
  hostMethods?: Readonly<Record<string, HostMethod>>;
  logger?: Logger;
}

export interface IpcRouter {
  handle(senderUrl: string | null | undefined, payload: unknown): Promise<IpcReply>;
}

/**
 * True for the app's own page: `app://backstay/...`, or a file inside the built renderer folder. Anything else
 * (a remote page after a navigation bug, a file elsewhere, an iframe) is refused.
 */
export function isTrustedRendererUrl(url: string | null | undefined, rendererDir: string): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) {
    return parsed.host === APP_HOST && !parsed.username && !parsed.password && !parsed.port;
  }
  if (parsed.protocol === 'file:') {
    if (parsed.host) return false;
    let file: string;
    try {
      file = path.resolve(fileURLToPath(parsed));
    } catch {
      return false;
    }
    const root = path.resolve(rendererDir);
    return file.startsWith(root + path.sep);
  }
  return false;
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

function isBackstayError(error: unknown): error is BackstayError {
  if (error instanceof BackstayError) return true;
  // Tolerate a second copy of the errors module (bundling): same name and a known code.
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  return !!e && e.name === 'BackstayError' && typeof e.code === 'string' && KNOWN_CODES.has(e.code) && typeof e.message === 'string';
}

export function toIpcError(error: unknown, logger?: Logger, method?: string): IpcReply {
  if (isBackstayError(error)) {
    // `data` carries every field problem of a save (plain JSON, so it crosses IPC whole).
    const data = rpcErrorData(error);
    return { error: { code: error.code, message: error.message, ...(data ? { data } : {}) } };
  }
  // An unexpected error's text may carry anything (paths, even secrets in a badly built message): log it here,
  // show the user words that say what to do.
  logger?.error('IPC method failed unexpectedly', { method, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  return { error: { code: 'INTERNAL', message: 'Something went wrong inside Backstay. The log has the details.' } };
}

function parseInvoke(payload: unknown): { method: string; params: unknown } | null {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const { method, params } = payload as { method?: unknown; params?: unknown };
  if (typeof method !== 'string' || method.length === 0 || method.length > 100) return null;
  return { method, params: params === undefined ? {} : params };
}

export function createIpcRouter(options: IpcRouterOptions): IpcRouter {
  const hostMethods = options.hostMethods ?? {};
  return {
    async handle(senderUrl, payload) {
      if (!options.isTrustedSender(senderUrl)) {
        options.logger?.warn('IPC call from an untrusted frame refused', { url: senderUrl ?? null });
        return { error: { code: 'FORBIDDEN', message: 'This page may not control Backstay.' } };
      }
      const call = parseInvoke(payload);
      if (!call) return { error: { code: 'BAD_PARAMS', message: 'The request is not a {method, params} object.' } };
      try {
        const host = Object.prototype.hasOwnProperty.call(hostMethods, call.method) ? hostMethods[call.method] : undefined;
        const result = host ? await host(call.params) : await options.rpc.call(call.method, call.params, { host: 'electron' });
        return { result: result === undefined ? null : result };
      } catch (error) {
        return toIpcError(error, options.logger, call.method);
      }
    },
  };
}

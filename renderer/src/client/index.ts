// The one place that decides how this page talks to Backstay. Everything else imports from here.
import type { BackstayBridge } from '../../../main/common/index.js';
import { createBridgeClient } from './bridge.js';
import { createHttpClient } from './http.js';
import { saveBlobInPage } from './download.js';
import { takeTokenFromUrl, type TokenEnv } from './token.js';
import type { BackstayClient, TransportKind } from './types.js';

export { RpcError, toRpcError } from './types.js';
export type { BackstayClient, ConnectionStatus, StateSubscriber, TransportKind } from './types.js';
export type { DownloadOutcome, DownloadProgressInfo, DownloadRequest } from './download.js';

export interface ClientWindow extends TokenEnv {
  backstay?: BackstayBridge;
  fetch: typeof fetch;
  EventSource?: typeof EventSource;
}

export function pickTransport(win: Pick<ClientWindow, 'backstay'>): TransportKind {
  return win.backstay ? 'bridge' : 'http';
}

export function createClient(win: ClientWindow): BackstayClient {
  if (pickTransport(win) === 'bridge') return createBridgeClient(win.backstay!);
  const token = takeTokenFromUrl(win);
  const ES = win.EventSource;
  return createHttpClient({
    token,
    fetch: win.fetch.bind(win),
    saveDownload: saveBlobInPage,
    createEventSource: (url) => {
      if (!ES) throw new Error('This browser cannot receive live updates (no EventSource).');
      return new ES(url);
    },
  });
}

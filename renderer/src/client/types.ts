// What the rest of the renderer knows about talking to Backstay: typed calls and a stream of snapshots.
// Which transport carries them (Electron preload or HTTP + SSE) stays inside this folder.
import type { AppState, RpcMethod, RpcParams, RpcResult, NavigateTarget } from '../../../main/common/index.js';

/** How the window is connected to its host, for the banner. */
export type ConnectionStatus =
  | 'connecting'
  | 'connected'
  /** The stream broke; the client is reconnecting by itself. */
  | 'reconnecting'
  /** The server refused the token: the user must open the link `backstay serve` printed. */
  | 'unauthorized';

export type TransportKind = 'bridge' | 'http';

export interface StateSubscriber {
  /** A whole snapshot; the client acknowledges it to the host after this returns (flow control). */
  onState(state: AppState): void;
  onStatus?(status: ConnectionStatus): void;
}

export interface BackstayClient {
  readonly transport: TransportKind;
  /** The OS keychain is reachable only from the desktop app. */
  readonly canUseKeychain: boolean;
  /** Only the desktop app can register itself to start at login. */
  readonly canStartAtLogin: boolean;
  invoke<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>>;
  /** Starts receiving snapshots; the returned function stops. */
  subscribeState(subscriber: StateSubscriber): () => void;
  /** The desktop host asks to show a plan or an operation (a notification was clicked). Absent in a browser. */
  subscribeNavigate?(cb: (target: NavigateTarget) => void): () => void;
}

/** An RPC failure with the host's error code and words fit to show. */
export class RpcError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
  }
}

/** Normalises whatever a transport threw into an RpcError. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    // Electron's ipcRenderer.invoke prefixes the message ("Error invoking remote method 'x': ..."); keep the words.
    const message = typeof e.message === 'string' ? e.message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '') : String(err);
    const code = typeof e.code === 'string' ? e.code : 'INTERNAL';
    return new RpcError(code, message);
  }
  return new RpcError('INTERNAL', String(err));
}

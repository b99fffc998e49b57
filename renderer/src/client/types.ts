// What the rest of the renderer knows about talking to Backstay: typed calls and a stream of states.
// Which transport carries them (Electron preload or HTTP + SSE) stays inside this folder.
import type { AppState, FieldIssue, RpcMethod, RpcParams, RpcResult, NavigateTarget } from '../../../main/common/index.js';
import type { Downloader } from './download.js';

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
  /** A whole state; the client acknowledges it to the host after this returns (flow control). */
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
  /** Starts receiving states; the returned function stops. */
  subscribeState(subscriber: StateSubscriber): () => void;
  /** Saves a file (or a folder as .tar) of a snapshot: a save dialog in the desktop app, the browser's save in a tab. */
  download?: Downloader;
  /** The desktop host asks to show a plan or an operation (a notification was clicked). Absent in a browser. */
  subscribeNavigate?(cb: (target: NavigateTarget) => void): () => void;
}

/** An RPC failure with the host's error code and words fit to show. */
export class RpcError extends Error {
  readonly code: string;
  /** Every problem the host found in the fields of a request (a save), for the form to show on each field. */
  readonly issues: FieldIssue[];
  constructor(code: string, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.issues = issues;
  }
}

/** The issues in an error's `data` (RpcErrorData), keeping only well-formed ones. */
export function issuesFromData(data: unknown): FieldIssue[] {
  const issues = data !== null && typeof data === 'object' ? (data as { issues?: unknown }).issues : undefined;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (i): i is FieldIssue =>
      i !== null && typeof i === 'object' && Array.isArray((i as FieldIssue).path) && typeof (i as FieldIssue).code === 'string' && typeof (i as FieldIssue).message === 'string',
  );
}

/** Normalises whatever a transport threw into an RpcError. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; data?: unknown };
    // Electron's ipcRenderer.invoke prefixes the message ("Error invoking remote method 'x': ..."); keep the words.
    const message = typeof e.message === 'string' ? e.message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '') : String(err);
    const code = typeof e.code === 'string' ? e.code : 'INTERNAL';
    return new RpcError(code, message, issuesFromData(e.data));
  }
  return new RpcError('INTERNAL', String(err));
}

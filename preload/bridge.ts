// window.backstay, built over a narrow ipcRenderer port so that it is tested under Node. index.ts exposes it
// with contextBridge; nothing else of Electron reaches the page.
import type { AppState, BackstayBridge, NavigateTarget, RpcMethod, RpcParams, RpcResult } from '../main/common/index.js';
import type { IpcPayloads } from '../main/common/ipc.js';
import { ACK_CHANNEL, INVOKE_CHANNEL, NAVIGATE_CHANNEL, STATE_CHANNEL } from '../main/common/ipc.js';

export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * What a failed invoke rejects with. A plain object on purpose: contextBridge copies an Error across to the
 * page with its message only (custom properties such as `code` are dropped), while a plain object arrives whole.
 */
export interface BridgeError {
  name: 'BackstayError';
  code: string;
  message: string;
  /** Every field problem of a save (RpcErrorData), when the host sent them. */
  data?: unknown;
}

function bridgeError(code: string, message: string, data?: unknown): BridgeError {
  return data !== undefined && data !== null && typeof data === 'object' ? { name: 'BackstayError', code, message, data } : { name: 'BackstayError', code, message };
}

function unwrap(reply: unknown): unknown {
  if (reply && typeof reply === 'object') {
    if ('result' in reply) return (reply as { result: unknown }).result;
    const error = (reply as { error?: { code?: unknown; message?: unknown; data?: unknown } }).error;
    if (error && typeof error === 'object') {
      throw bridgeError(
        typeof error.code === 'string' ? error.code : 'INTERNAL',
        typeof error.message === 'string' ? error.message : 'Backstay could not do that.',
        error.data,
      );
    }
  }
  throw bridgeError('INTERNAL', 'Backstay sent a reply the window does not understand.');
}

export function createBridge(ipc: IpcRendererPort): BackstayBridge {
  return {
    async invoke<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
      let reply: unknown;
      try {
        reply = await ipc.invoke(INVOKE_CHANNEL, { method, params });
      } catch {
        throw bridgeError('INTERNAL', 'The connection to Backstay failed.');
      }
      return unwrap(reply) as RpcResult<M>;
    },
    onState(cb: (state: AppState) => void): () => void {
      const listener = (_event: unknown, state: unknown) => cb(state as IpcPayloads[typeof STATE_CHANNEL]);
      ipc.on(STATE_CHANNEL, listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(STATE_CHANNEL, listener);
      };
    },
    ackState(version: number): void {
      if (typeof version === 'number' && Number.isFinite(version)) ipc.send(ACK_CHANNEL, version);
    },
    onNavigate(cb: (target: NavigateTarget) => void): () => void {
      const listener = (_event: unknown, raw: unknown) => {
        const target = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
        // Only the two known fields, with their types, reach the page.
        cb({
          ...(typeof target.planId === 'string' ? { planId: target.planId } : {}),
          ...(typeof target.opId === 'number' ? { opId: target.opId } : {}),
        });
      };
      ipc.on(NAVIGATE_CHANNEL, listener);
      return () => void ipc.removeListener(NAVIGATE_CHANNEL, listener);
    },
  };
}

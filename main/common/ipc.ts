// The IPC channels between the Electron main process and the preload, with what each carries. One map, used by
// both sides (the preload bundles this file, so it stays dependency-free like the rest of main/common).
import type { AppState } from './state.js';
import type { NavigateTarget, RpcMethod } from './rpc.js';

export const IPC_CHANNELS = {
  /** main -> window: the whole state, latest value wins (see ipc-transport.ts). */
  state: 'backstay:state',
  /** window -> main: the state version the window has applied (flow control). */
  ack: 'backstay:ack',
  /** window -> main, invoke/handle: one RPC call. */
  invoke: 'backstay:invoke',
  /** main -> window: open this view or item (a tray or notification click). */
  navigate: 'backstay:navigate',
} as const;

/** What each channel carries. */
export interface IpcPayloads {
  'backstay:state': AppState;
  'backstay:ack': number;
  'backstay:invoke': { method: RpcMethod; params: unknown };
  'backstay:navigate': NavigateTarget;
}

export const STATE_CHANNEL = IPC_CHANNELS.state;
export const ACK_CHANNEL = IPC_CHANNELS.ack;
export const INVOKE_CHANNEL = IPC_CHANNELS.invoke;
export const NAVIGATE_CHANNEL = IPC_CHANNELS.navigate;

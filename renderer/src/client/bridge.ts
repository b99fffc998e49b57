// Transport inside the Electron window: the preload's `window.backstay`.
import type { BackstayBridge, RpcMethod, RpcParams, RpcResult } from '../../../main/common/index.js';
import { createBridgeDownloader } from './download.js';
import { toRpcError, type BackstayClient, type StateSubscriber } from './types.js';

export function createBridgeClient(bridge: BackstayBridge): BackstayClient {
  async function invoke<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
    try {
      return await bridge.invoke(method, params);
    } catch (err) {
      throw toRpcError(err);
    }
  }
  return {
    transport: 'bridge',
    canUseKeychain: true,
    canStartAtLogin: true,
    invoke,
    download: createBridgeDownloader(invoke),
    subscribeState(subscriber: StateSubscriber): () => void {
      subscriber.onStatus?.('connected');
      return bridge.onState((state) => {
        try {
          subscriber.onState(state);
        } finally {
          // Acknowledge even if applying failed, or the host would never send the next state.
          bridge.ackState(state.version);
        }
      });
    },
    subscribeNavigate(cb) {
      return bridge.onNavigate ? bridge.onNavigate(cb) : () => undefined;
    },
  };
}

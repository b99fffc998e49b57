// A client double: records calls, answers from a handler table, and lets a test push snapshots and statuses.
import type { AppState, NavigateTarget, RpcMethod, RpcParams, RpcResult } from '../../main/common/index.js';
import { RpcError, type BackstayClient, type ConnectionStatus, type StateSubscriber } from '../src/client/index.js';

type Handler<M extends RpcMethod> = (params: RpcParams<M>) => RpcResult<M> | Promise<RpcResult<M>>;
export type Handlers = { [M in RpcMethod]?: Handler<M> };

export interface FakeClient extends BackstayClient {
  calls: { method: RpcMethod; params: unknown }[];
  push(state: AppState): void;
  status(status: ConnectionStatus): void;
  navigate(target: NavigateTarget): void;
}

export function fakeClient(handlers: Handlers = {}, options: { desktop?: boolean } = {}): FakeClient {
  const subscribers = new Set<StateSubscriber>();
  const navigators = new Set<(target: NavigateTarget) => void>();
  const calls: FakeClient['calls'] = [];
  return {
    transport: options.desktop ? 'bridge' : 'http',
    canUseKeychain: !!options.desktop,
    canStartAtLogin: !!options.desktop,
    calls,
    async invoke<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
      calls.push({ method, params });
      const handler = handlers[method] as Handler<M> | undefined;
      if (!handler) throw new RpcError('UNKNOWN_METHOD', `No fake for ${method}`);
      return handler(params);
    },
    subscribeState(subscriber) {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    subscribeNavigate(cb) {
      navigators.add(cb);
      return () => navigators.delete(cb);
    },
    navigate(target) {
      navigators.forEach((cb) => cb(target));
    },
    push(state) {
      subscribers.forEach((s) => s.onState(state));
    },
    status(status) {
      subscribers.forEach((s) => s.onStatus?.(status));
    },
  };
}

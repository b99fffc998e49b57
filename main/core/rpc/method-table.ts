// The one RPC method table: name -> params schema + handler. `serve` (HTTP) and the Electron IPC router both call
// `dispatcher.call(method, params)`, so both hosts validate params the same way and expose the same methods.
import { z } from 'zod';
import { BackstayError } from '../../common/errors.js';
import type { RpcMethod, RpcParams, RpcResult } from '../../common/index.js';
import type { RpcContext, RpcDispatcher } from '../engine-api.js';

export interface MethodDef<M extends RpcMethod> {
  params: z.ZodType<RpcParams<M>>;
  handler(params: RpcParams<M>, ctx: RpcContext): Promise<RpcResult<M>> | RpcResult<M>;
}

export type MethodTable = { [M in RpcMethod]?: MethodDef<M> };

export function createDispatcher(table: MethodTable): RpcDispatcher {
  const methods = Object.keys(table);
  async function call(method: string, params: unknown, ctx: RpcContext): Promise<unknown> {
    if (!Object.hasOwn(table, method)) throw new BackstayError('UNKNOWN_METHOD', `Unknown method "${method}".`);
    const def = table[method as RpcMethod] as MethodDef<RpcMethod>;
    const parsed = def.params.safeParse(params ?? {});
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first && first.path.length > 0 ? first.path.join('.') : 'params';
      throw new BackstayError('BAD_PARAMS', `Invalid params for ${method}: ${where}: ${first?.message ?? 'invalid'}.`);
    }
    return def.handler(parsed.data as never, ctx);
  }
  return {
    call,
    invoke: <M extends RpcMethod>(method: M, params: RpcParams<M>) =>
      call(method, params, { host: 'cli' }) as Promise<RpcResult<M>>,
    methods,
  };
}

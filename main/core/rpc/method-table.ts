// The one RPC method table: name -> params schema + handler. `serve` (HTTP) and the Electron IPC router both call
// `dispatcher.call(method, params)`, so both hosts validate params the same way and expose the same methods.
import { z } from 'zod';
import { BackstayError } from '../../common/errors.js';
import type { FieldIssue, RpcMethod, RpcParams, RpcResult } from '../../common/index.js';
import type { RpcContext, RpcDispatcher } from '../engine-api.js';
import { fieldIssuesFromZod, invalidParams } from './field-issues.js';
import { findReservedKeys } from '../config/reserved-keys.js';

export interface MethodDef<M extends RpcMethod> {
  params: z.ZodType<RpcParams<M>>;
  /**
   * Checks the schema cannot make (a file exists, a variable is set), on the raw params. They run whether or not
   * the schema accepted the params, so a form learns every problem at once; they must not trust the shape.
   */
  moreIssues?(params: unknown): FieldIssue[] | Promise<FieldIssue[]>;
  handler(params: RpcParams<M>, ctx: RpcContext): Promise<RpcResult<M>> | RpcResult<M>;
}

export type MethodTable = { [M in RpcMethod]?: MethodDef<M> };

export function createDispatcher(table: MethodTable): RpcDispatcher {
  const methods = Object.keys(table);
  async function call(method: string, params: unknown, ctx: RpcContext): Promise<unknown> {
    if (!Object.hasOwn(table, method)) throw new BackstayError('UNKNOWN_METHOD', `Unknown method "${method}".`);
    const def = table[method as RpcMethod] as MethodDef<RpcMethod>;
    const raw = params ?? {};
    const parsed = def.params.safeParse(raw);
    const issues = withReservedKeys(raw, [
      ...(parsed.success ? [] : fieldIssuesFromZod(parsed.error.issues, raw)),
      ...(def.moreIssues ? await def.moreIssues(raw) : []),
    ]);
    if (issues.length > 0 || !parsed.success) throw invalidParams(method, issues);
    return def.handler(parsed.data as never, ctx);
  }
  return {
    call,
    invoke: <M extends RpcMethod>(method: M, params: RpcParams<M>) =>
      call(method, params, { host: 'cli' }) as Promise<RpcResult<M>>,
    methods,
  };
}

/**
 * `__proto__`, `constructor` and `prototype` anywhere in the params are unknown keys (see reserved-keys.ts): a record
 * schema would otherwise drop them silently. Reported once each, even where a strict object already named them.
 */
function withReservedKeys(raw: unknown, issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set(issues.filter((i) => i.code === 'unknown_key').map((i) => JSON.stringify(i.path)));
  const reserved = findReservedKeys(raw)
    .filter((path) => !seen.has(JSON.stringify(path)))
    .map((path): FieldIssue => ({ path, code: 'unknown_key', message: 'unknown key', params: { key: String(path[path.length - 1]) } }));
  return [...reserved, ...issues];
}

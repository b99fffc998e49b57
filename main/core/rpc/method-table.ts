// The one RPC method table: name -> params schema + handler. `serve` (HTTP) and the Electron IPC router both call
// `dispatcher.call(method, params)`, so both hosts validate params the same way and expose the same methods.
import { z } from 'zod';
import { BackstayError } from '../../common/errors.js';
import type { FieldIssue, RpcMethod, RpcParams, RpcResult } from '../../common/index.js';
import type { RpcContext, RpcDispatcher } from '../engine-api.js';
import { fieldIssuesFromZod, invalidParams } from './field-issues.js';
import { findReservedKeys } from '../config/reserved-keys.js';

/**
 * The methods the engine answers: the desktop host answers `keychain.*` itself (only it holds the keychain), and
 * `download.*` (only it has a save dialog; `serve` downloads over GET /api/download), and `dialog.*` (native dialogs).
 */
export type EngineMethod = Exclude<RpcMethod, `keychain.${string}` | `download.${string}` | `dialog.${string}`>;

export interface MethodDef<M extends RpcMethod> {
  params: z.ZodType<RpcParams<M>>;
  /**
   * Checks the schema cannot make (a file exists, a variable is set), on the raw params. They run whether or not
   * the schema accepted the params, so a form learns every problem at once; they must not trust the shape.
   */
  moreIssues?(params: unknown): FieldIssue[] | Promise<FieldIssue[]>;
  handler(params: RpcParams<M>, ctx: RpcContext): Promise<RpcResult<M>> | RpcResult<M>;
}

/** Every engine method with its handler: one missing does not compile. */
export type MethodTable = { [M in EngineMethod]: MethodDef<M> };

/** The methods of one area (`ops`, `config`, ...), all of them: an area file that forgets one does not compile. */
export type AreaMethods<Area extends string> = { [M in Extract<EngineMethod, `${Area}.${string}`>]: MethodDef<M> };

/**
 * One method, its handler typed by what its schema outputs (a saved repository has its defaults filled in), which
 * the table then checks against the contract's params (main/common/rpc.ts): the schema may give the handler more
 * than the contract promises (defaults), never less.
 */
export function method<P, R>(def: {
  params: z.ZodType<P>;
  moreIssues?(params: unknown): FieldIssue[] | Promise<FieldIssue[]>;
  handler(params: P, ctx: RpcContext): Promise<R> | R;
}): typeof def {
  return def;
}

export function createDispatcher(table: Partial<MethodTable>): RpcDispatcher {
  const methods = Object.keys(table);
  const isMethod = (name: string): name is EngineMethod => Object.hasOwn(table, name);
  async function call(name: string, params: unknown, ctx: RpcContext): Promise<unknown> {
    const def = isMethod(name) ? table[name] : undefined;
    if (!def) throw new BackstayError('UNKNOWN_METHOD', `Unknown method "${name}".`);
    return run(name, def, params ?? {}, ctx);
  }
  return {
    call,
    invoke: <M extends RpcMethod>(name: M, params: RpcParams<M>) => call(name, params, { host: 'cli' }) as Promise<RpcResult<M>>,
    methods,
  };
}

/** Validates the raw params against the method's schema and its further checks, then runs its handler. */
async function run<M extends RpcMethod>(name: string, def: MethodDef<M>, raw: unknown, ctx: RpcContext): Promise<RpcResult<M>> {
  const parsed = def.params.safeParse(raw);
  const issues = withReservedKeys(raw, [
    ...(parsed.success ? [] : fieldIssuesFromZod(parsed.error.issues, raw)),
    ...(def.moreIssues ? await def.moreIssues(raw) : []),
  ]);
  if (issues.length > 0 || !parsed.success) throw invalidParams(name, issues);
  return def.handler(parsed.data, ctx);
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

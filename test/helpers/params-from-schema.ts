// Params of the right shape with the wrong values, made from a method's own zod schema: each string, number and
// boolean taken in turn from a pool of hostile-but-harmless values, optional keys present in some variants and left
// out in others. What the schema refuses is the schema's business; these get past it to the handler.
import type { z } from 'zod';

export interface ValuePools {
  strings: readonly string[];
  numbers: readonly number[];
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  entries?: Record<string, string>;
  values?: unknown[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The `variant`-th value of `schema`'s shape; `seed` moves each leaf to another value of its pool. */
function valueOf(schema: z.ZodType, pools: ValuePools, variant: number, seed: { n: number }, depth: number): unknown {
  const def = defOf(schema);
  const pick = <T>(pool: readonly T[]): T => pool[(variant + seed.n++) % pool.length]!;
  if (depth > 6) return undefined;
  switch (def.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        const optional = ['optional', 'default'].includes(defOf(child).type);
        if (optional && (variant + seed.n++) % 2 === 1) continue;
        const v = valueOf(child, pools, variant, seed, depth + 1);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    case 'string':
      return pick(pools.strings);
    case 'number':
    case 'int':
      return pick(pools.numbers);
    case 'boolean':
      return pick([true, false]);
    case 'array':
      return [valueOf(def.element!, pools, variant, seed, depth + 1), valueOf(def.element!, pools, variant + 1, seed, depth + 1)];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return valueOf(def.innerType!, pools, variant, seed, depth + 1);
    case 'pipe':
      return valueOf(def.in!, pools, variant, seed, depth + 1);
    case 'lazy':
      return valueOf(def.getter!(), pools, variant, seed, depth + 1);
    case 'union':
      return valueOf(pick(def.options!), pools, variant, seed, depth + 1);
    case 'enum':
      return pick(Object.values(def.entries ?? {}));
    case 'literal':
      return pick(def.values ?? [null]);
    case 'record':
      return { [String(valueOf(def.keyType!, pools, variant, seed, depth + 1))]: valueOf(def.valueType!, pools, variant, seed, depth + 1) };
    case 'null':
      return null;
    default:
      return undefined;
  }
}

/** `count` params for `schema`, each of its shape, with values from `pools`. */
export function paramsFromSchema(schema: z.ZodType, pools: ValuePools, count: number): unknown[] {
  return Array.from({ length: count }, (_, variant) => valueOf(schema, pools, variant, { n: 0 }, 0));
}

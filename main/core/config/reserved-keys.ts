// `__proto__`, `constructor` and `prototype` as keys of JSON input. JSON.parse (and structured clone, for IPC) make
// `{"__proto__": ...}` an own property, and zod then treats it unevenly: a strict object reports it as unknown, but a
// record (repos[].env, settings params) drops it without a word, and an object built from it by assignment would
// change its prototype instead of getting a key. None of them is ever a meaningful key in Backstay's input, so they
// are refused wherever they appear, like any unknown key, with the path that names them.

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper input than this is not walked further (Backstay's own shapes are a few levels deep). */
const MAX_DEPTH = 64;

/** The path of every reserved key in `value` (plain objects and arrays, as JSON.parse makes them). */
export function findReservedKeys(value: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const walk = (node: unknown, at: (string | number)[]): void => {
    if (node === null || typeof node !== 'object' || at.length > MAX_DEPTH) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...at, i]));
      return;
    }
    // Object.keys lists own properties only, and an own "__proto__" among them; never the inherited ones.
    for (const key of Object.keys(node)) {
      if (RESERVED_KEYS.has(key)) found.push([...at, key]);
      else walk((node as Record<string, unknown>)[key], [...at, key]);
    }
  };
  walk(value, []);
  return found;
}

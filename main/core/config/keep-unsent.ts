// config.savePlan / config.saveRepo replace an entry whole, but a form may edit only part of it (the plan form has no
// fields for hooks or conditions; the plan page saves those alone). So each key in the entity's list next to its
// schema (PLAN_KEYS_KEPT_WHEN_UNSENT, REPO_KEYS_KEPT_WHEN_UNSENT) keeps its stored value when the save leaves it out
// or undefined, while a key sent, even empty ([] or {}), replaces it. One rule for both, so that a new optional key
// is one word in one list.

/** The keys of T that may be left out: only these can be unsent in a parsed save (the rest have defaults). */
export type OptionalKey<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * `input` with each of `keys` it leaves undefined taken from `stored` (the entry it replaces; undefined for a new
 * one). Answers `input` itself when there is nothing to keep; never changes either argument.
 */
export function keepUnsent<T extends object>(input: T, stored: T | undefined, keys: readonly OptionalKey<T>[]): T {
  let kept: T | undefined;
  for (const key of keys) {
    if (input[key] !== undefined || stored?.[key] === undefined) continue;
    kept ??= { ...input };
    kept[key] = stored[key];
  }
  return kept ?? input;
}

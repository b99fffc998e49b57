// Other tools allow ids Backstay does not ("My NAS", "Daily.Home"); they become valid ids, and ids already in use
// get a suffix. Either way the user is told (RenamedItem).
import { ID_PATTERN } from '../config/schema.js';
import type { RenamedItem } from './types.js';

/** A valid Backstay id made from `name`: lower case, runs of other characters turned into "-". */
export function toBackstayId(name: string, fallback: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return ID_PATTERN.test(slug) ? slug : fallback;
}

/** Hands out ids unique among `taken` (and among those it handed out), saying why one is not the source's. */
export class IdAllocator {
  private readonly taken: Set<string>;

  constructor(
    private readonly kind: 'repo' | 'plan',
    taken: Iterable<string>,
    private readonly renamed: RenamedItem[],
  ) {
    this.taken = new Set(taken);
  }

  allocate(sourceName: string): string {
    const base = toBackstayId(sourceName, this.kind);
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base.slice(0, 60)}-${n}`;
    this.taken.add(id);
    if (id !== sourceName) {
      const why =
        id !== base
          ? `a ${this.kind === 'repo' ? 'repository' : 'plan'} named "${base}" already exists`
          : 'ids are 1-64 characters of a-z, 0-9, "_" or "-"';
      this.renamed.push({ kind: this.kind, from: sourceName, to: id, why });
    }
    return id;
  }
}

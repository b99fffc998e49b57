// Names as a person sorts them: IMG_2 before IMG_10, "a" next to "A". restic and the host sort byte by byte.
import type { SnapshotEntry } from '../../../../main/common/rpc.js';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function compareNames(a: string, b: string): number {
  // Equal to the collator (IMG_1 and img_1): keep a stable, byte-wise order between them.
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Folders first, then everything else, each group in natural order of its names. */
export function naturalOrder(entries: readonly SnapshotEntry[]): SnapshotEntry[] {
  return [...entries].sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || compareNames(a.name, b.name));
}

import { describe, expect, it } from 'vitest';
import type { SnapshotEntry } from '../../../../main/common/rpc.js';
import { compareNames, naturalOrder } from './natural-order.js';

const entry = (name: string, type: SnapshotEntry['type'] = 'file'): SnapshotEntry => ({ name, type, path: `/${name}`, size: null, mtime: null });

describe('natural order of names', () => {
  it.each([
    ['IMG_2.jpg', 'IMG_10.jpg'],
    ['file9', 'file10'],
    ['v1.2', 'v1.10'],
    ['a', 'B'],
    ['2024-01-02', '2024-01-10'],
    ['track 1', 'track 01a'],
    ['IMG_1', 'img_1'],
  ])('%s comes before %s', (first, second) => {
    expect(compareNames(first, second)).toBeLessThan(0);
    expect(compareNames(second, first)).toBeGreaterThan(0);
  });

  it('puts folders first, each group in natural order', () => {
    const sorted = naturalOrder([entry('IMG_10.jpg'), entry('b', 'dir'), entry('IMG_2.jpg'), entry('A10', 'dir'), entry('A9', 'dir')]);
    expect(sorted.map((e) => e.name)).toEqual(['A9', 'A10', 'b', 'IMG_2.jpg', 'IMG_10.jpg']);
  });
});

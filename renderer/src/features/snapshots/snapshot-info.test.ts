import { describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { addedBy, diffCounts, isAbsolutePath, newestFirst, planOf, previousSnapshot, visibleTags } from './snapshot-info.js';

const snap = (id: string, time: string, patch: Partial<SnapshotInfo> = {}): SnapshotInfo => ({
  id,
  shortId: id,
  time,
  paths: ['/home/me'],
  tags: [],
  hostname: 'box',
  ...patch,
});

describe('snapshot facts', () => {
  it('reads the plan from the field or the tag and hides the tag', () => {
    const s = snap('a', '2026-01-01T00:00:00Z', { tags: ['backstay:plan=home', 'keep'] });
    expect(planOf(s)).toBe('home');
    expect(planOf({ ...s, planId: 'work' })).toBe('work');
    expect(planOf(snap('b', '2026-01-01T00:00:00Z'))).toBeNull();
    expect(visibleTags(s)).toEqual(['keep']);
  });

  it('takes what was added from the summary only when restic wrote one', () => {
    expect(addedBy(snap('a', 'x'))).toBeNull();
    expect(addedBy(snap('a', 'x', { summary: { totalDuration: 3 } }))).toBeNull();
    expect(addedBy(snap('a', 'x', { summary: { filesNew: 2, dataAdded: 10, filesChanged: 'x' } }))).toEqual({
      filesNew: 2,
      filesChanged: null,
      dataAdded: 10,
    });
  });

  it('orders by instant, not by text, since restic writes local offsets', () => {
    const utc = snap('utc', '2026-01-01T10:30:00Z');
    const plusTwo = snap('plus2', '2026-01-01T11:00:00+02:00'); // 09:00 UTC: older, though its text sorts later
    expect(newestFirst([plusTwo, utc]).map((s) => s.id)).toEqual(['utc', 'plus2']);
    expect(previousSnapshot([utc, plusTwo], utc)?.id).toBe('plus2');
  });

  it('compares with the newest older snapshot of the same source', () => {
    const h1 = snap('h1', '2026-01-01T00:00:00Z', { planId: 'home' });
    const h2 = snap('h2', '2026-01-02T00:00:00Z', { planId: 'home' });
    const p = snap('p', '2026-01-03T00:00:00Z', { planId: 'photos' });
    const h3 = snap('h3', '2026-01-04T00:00:00Z', { planId: 'home' });
    const manual = snap('m', '2026-01-03T12:00:00Z');
    const otherHost = snap('o', '2026-01-03T13:00:00Z', { hostname: 'laptop' });
    const manual2 = snap('m2', '2026-01-05T00:00:00Z');
    const all = [h1, h2, p, h3, manual, otherHost, manual2];
    expect(previousSnapshot(all, h3)?.id).toBe('h2');
    expect(previousSnapshot(all, h1)).toBeNull();
    expect(previousSnapshot(all, manual2)?.id).toBe('m');
  });

  it('knows a full path on POSIX and Windows', () => {
    expect(['/home/me', 'C:\\Users\\me', 'd:/x', '\\\\server\\share'].every(isAbsolutePath)).toBe(true);
    expect(['restored', './x', '~/x', 'C:relative', ''].some(isAbsolutePath)).toBe(false);
  });

  it('uses exact counts from the engine and falls back to the list lengths', () => {
    expect(diffCounts({ added: ['a'], removed: [], changed: [], counts: { added: 9, removed: 0, changed: 0 }, truncated: true })).toEqual({
      added: 9,
      removed: 0,
      changed: 0,
      truncated: true,
    });
    expect(diffCounts({ added: ['a'], removed: ['b', 'c'], changed: [] })).toEqual({ added: 1, removed: 2, changed: 0, truncated: false });
  });
});

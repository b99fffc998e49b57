// Issue 13 argument lists and prune figures, per restic version, without running restic.
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../main/common/errors.js';
import { forgetSnapshotsArgs, restoreArgs } from '../../main/core/restic/args.js';
import { pruneFigureOf } from '../../main/core/restic/prune-figures.js';

const v = (minor: number) => ({ major: 0, minor, patch: 0 });
const ID = 'a'.repeat(64);

describe('restore --overwrite by restic version', () => {
  it.each([
    [14, 'always', []],
    [16, 'always', []],
    [17, 'never', ['--overwrite', 'never']],
    [17, 'if-changed', ['--overwrite', 'if-changed']],
    [19, 'always', ['--overwrite', 'always']],
  ] as const)('restic 0.%i with %s', (minor, mode, expected) => {
    const args = restoreArgs(v(minor), { snapshotId: ID, target: '/t', overwrite: mode });
    const i = args.indexOf('--overwrite');
    expect(i === -1 ? [] : args.slice(i, i + 2)).toEqual(expected);
  });

  it.each([14, 15, 16])('restic 0.%i refuses a choice it does not have rather than overwrite', (minor) => {
    for (const mode of ['never', 'if-changed'] as const) {
      expect(() => restoreArgs(v(minor), { snapshotId: ID, target: '/t', overwrite: mode })).toThrow(BackstayError);
    }
  });
});

describe('forget of chosen snapshots', () => {
  it('names exactly those snapshots and refuses none or a non-id', () => {
    expect(forgetSnapshotsArgs({ flags: ['-o', 'x=y'], snapshotIds: [ID] })).toEqual(['-o', 'x=y', 'forget', ID]);
    expect(() => forgetSnapshotsArgs({ snapshotIds: [] })).toThrow(BackstayError);
    expect(() => forgetSnapshotsArgs({ snapshotIds: ['--keep-last'] })).toThrow(BackstayError);
  });
});

describe("prune's figures", () => {
  it.each([
    ['to repack:             2 blobs / 97.856 KiB', { label: 'to repack', value: '2 blobs / 97.856 KiB' }],
    ['this removes:          1 blobs / 97.699 KiB', { label: 'this removes', value: '1 blobs / 97.699 KiB' }],
    ['total prune:           4 blobs / 98.520 KiB', { label: 'total prune', value: '4 blobs / 98.520 KiB' }],
    ['unused size after prune: 0 B (0.00% of remaining size)', { label: 'unused size after prune', value: '0 B (0.00% of remaining size)' }],
    ['loading indexes...', null],
    ['[0:00] 100.00%  3 / 3 packs processed', null],
    ['repository 1234abcd opened (version 2, compression level auto)', null],
    ['collecting packs for deletion and repacking', null],
    ['', null],
  ])('%j', (line, expected) => {
    expect(pruneFigureOf(line)).toEqual(expected);
  });
});

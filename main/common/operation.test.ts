import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  paramsOf,
  summaryOf,
  type BackupSummary,
  type CheckParams,
  type ForgetSummary,
  type OpKind,
  type Operation,
  type OperationParams,
  type OperationSummary,
  type RestoreParams,
  type RestoreSummary,
  type RetryParams,
  type StatsSummary,
  type UnlockParams,
} from './operation.js';

type Stored = Pick<Operation, 'kind' | 'params' | 'summary'>;

// One row per kind that records something, with the JSON the engine stores for it (unchanged by the typing).
const rows: Array<{ kind: OpKind; params: OperationParams | null; summary: OperationSummary | null }> = [
  { kind: 'backup', params: null, summary: { filesNew: 3, dataAdded: 1024, snapshotId: '4f1c2d3e' } },
  { kind: 'backup', params: { attempt: 2 }, summary: null },
  { kind: 'restore', params: { snapshotId: '4f1c2d3e', paths: ['/home/a'], target: '/tmp/r', overwrite: false }, summary: { filesRestored: 1, totalBytes: 5 } },
  { kind: 'check', params: { readDataSubset: '10%' }, summary: null },
  { kind: 'unlock', params: { afterCancelOf: 7 }, summary: null },
  { kind: 'forget', params: null, summary: { kept: 2, removed: 1 } },
  {
    kind: 'stats',
    params: null,
    summary: { totalSize: 10, totalUncompressedSize: null, totalBlobCount: 4, snapshotsCount: 1, compressionRatio: null },
  },
];

describe('paramsOf / summaryOf', () => {
  it.each(rows)('$kind: the recorded params and summary, as they were stored', (row) => {
    const op: Stored = JSON.parse(JSON.stringify(row)) as Stored;
    expect(paramsOf(op, row.kind)).toEqual(row.params);
    expect(summaryOf(op, row.kind)).toEqual(row.summary);
  });

  it.each(rows)('$kind: asked as another kind, nothing', (row) => {
    const other: OpKind = row.kind === 'restore' ? 'backup' : 'restore';
    expect(paramsOf(row, other)).toBeNull();
    expect(summaryOf(row, other)).toBeNull();
  });

  it('hands out the stored object itself (no copy)', () => {
    const op: Stored = rows[2]!;
    expect(paramsOf(op, 'restore')).toBe(op.params);
  });

  it('types each kind by its own shape', () => {
    const op = rows[0]! as Stored;
    expectTypeOf(paramsOf(op, 'restore')).toEqualTypeOf<(RestoreParams & RetryParams) | null>();
    expectTypeOf(paramsOf(op, 'check')).toEqualTypeOf<(CheckParams & RetryParams) | null>();
    expectTypeOf(paramsOf(op, 'unlock')).toEqualTypeOf<(UnlockParams & RetryParams) | null>();
    expectTypeOf(summaryOf(op, 'backup')).toEqualTypeOf<BackupSummary | null>();
    expectTypeOf(summaryOf(op, 'restore')).toEqualTypeOf<RestoreSummary | null>();
    expectTypeOf(summaryOf(op, 'forget')).toEqualTypeOf<ForgetSummary | null>();
    expectTypeOf(summaryOf(op, 'stats')).toEqualTypeOf<StatsSummary | null>();
    // Every kind's params may say which retry attempt it is.
    expectTypeOf<OperationParams['attempt']>().toEqualTypeOf<number | undefined>();
  });
});

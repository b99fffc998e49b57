import { describe, expect, it } from 'vitest';
import { OP_KINDS, paramsOf, summaryOf, type Operation } from '../../main/common/index.js';
import { opParamsOf, opSummaryOf } from './model.js';

// The renderer repeats paramsOf/summaryOf (it imports only types from main/common): they must agree on every kind.
describe('opParamsOf / opSummaryOf', () => {
  const stored: Array<Pick<Operation, 'kind' | 'params' | 'summary'>> = [
    { kind: 'restore', params: { snapshotId: '4f1c2d3e', paths: [], target: '/tmp/r', overwrite: false }, summary: { filesRestored: 2 } },
    { kind: 'backup', params: { attempt: 1 }, summary: { dataAdded: 10, snapshotId: '4f1c2d3e' } },
    { kind: 'stats', params: null, summary: { totalSize: 1, totalUncompressedSize: null, totalBlobCount: 1, snapshotsCount: 1, compressionRatio: null } },
  ];
  it.each(stored)('$kind, asked as each kind, answers as main/common does', (op) => {
    for (const kind of OP_KINDS) {
      expect(opParamsOf(op, kind)).toBe(paramsOf(op, kind));
      expect(opSummaryOf(op, kind)).toBe(summaryOf(op, kind));
    }
  });
});

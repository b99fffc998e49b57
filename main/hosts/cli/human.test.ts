import { describe, expect, it } from 'vitest';
import type { Operation } from '../../common/index.js';
import { humanLine } from './human.js';

describe('humanLine: a finished backup', () => {
  const rows: Array<{ name: string; summary: Operation['summary'] | undefined; text: string }> = [
    { name: 'says what the summary added', summary: { filesNew: 1, dataAdded: 2048, snapshotId: '4f1c2d3e' }, text: 'Backup finished: snapshot 4f1c2d3e, 2.0 KiB added.' },
    { name: 'says nothing of a size restic did not report', summary: { filesNew: 1 }, text: 'Backup finished: snapshot 4f1c2d3e.' },
    { name: 'without a summary, only the snapshot', summary: null, text: 'Backup finished: snapshot 4f1c2d3e.' },
  ];
  it.each(rows)('$name', ({ summary, text }) => {
    expect(humanLine({ type: 'finished', opId: 1, status: 'success', snapshotId: '4f1c2d3e', summary })).toEqual({ stream: 'stdout', text });
  });
});

// Every way a backup can end (issue 10, item 1): exit code x summary present x snapshot id valid x cancel requested.
// `success` and `warning` only with a saved snapshot whose id looks like restic's; otherwise NO_SNAPSHOT (or
// `cancelled` when someone asked it to stop), with restic's last words kept.
import { describe, expect, it } from 'vitest';
import type { TerminalStatus } from '../../common/index.js';
import { decideBackupOutcome, isResticSnapshotId, LAST_WORDS_MAX_CHARS, type BackupEnd } from './backup-outcome.js';

const V014 = { major: 0, minor: 14, patch: 0 };
const SHORT_ID = 'deadbeef';
const FULL_ID = 'a1'.repeat(32);

interface Exit {
  name: string;
  exitCode: number | null;
  signal: string | null;
}
const EXITS: Exit[] = [
  { name: 'exit 0', exitCode: 0, signal: null },
  { name: 'exit 3', exitCode: 3, signal: null },
  { name: 'exit 1', exitCode: 1, signal: null },
  { name: 'exit 130', exitCode: 130, signal: null },
  { name: 'SIGKILL', exitCode: null, signal: 'SIGKILL' },
];

/** What restic's summary said about the snapshot: no summary at all, a summary without an id, or an id. */
type Snapshot = { summary: false } | { summary: true; id: string | null; valid: boolean };
const SNAPSHOTS: Array<[string, Snapshot]> = [
  ['no summary', { summary: false }],
  ['summary without snapshot_id', { summary: true, id: null, valid: false }],
  ['8-hex id', { summary: true, id: SHORT_ID, valid: true }],
  ['64-hex id', { summary: true, id: FULL_ID, valid: true }],
  ['"?" as id', { summary: true, id: '?', valid: false }],
  ['uppercase id', { summary: true, id: 'DEADBEEF', valid: false }],
  ['7-hex id', { summary: true, id: 'deadbee', valid: false }],
  ['garbage id', { summary: true, id: '../../etc', valid: false }],
];
const CANCELS = [null, 'user', 'stall'] as const;

/** The rule, written independently of the implementation. */
function expected(exit: Exit, snap: Snapshot, cancel: (typeof CANCELS)[number]): { status: TerminalStatus; code: string | null } {
  const savedByExit = exit.signal === null && (exit.exitCode === 0 || exit.exitCode === 3);
  const valid = snap.summary && snap.valid;
  if (savedByExit && valid) return { status: exit.exitCode === 3 ? 'warning' : 'success', code: exit.exitCode === 3 ? 'PARTIAL' : null };
  if (cancel) return { status: 'cancelled', code: 'CANCELLED' };
  if (savedByExit) return { status: 'error', code: 'NO_SNAPSHOT' };
  if (exit.exitCode === 130) return { status: 'cancelled', code: 'CANCELLED' };
  if (exit.signal) return { status: 'error', code: 'RESTIC_KILLED' };
  return { status: 'error', code: 'RESTIC_FAILED' };
}

function end(exit: Exit, snap: Snapshot, cancel: (typeof CANCELS)[number], extra: Partial<BackupEnd> = {}): BackupEnd {
  const summary = snap.summary ? { filesNew: 1, dataAdded: 10, ...(snap.id !== null ? { snapshotId: snap.id } : {}) } : null;
  return {
    exitCode: exit.exitCode,
    signal: exit.signal,
    stderrTail: ['restic said something on stderr'],
    stdoutTail: [],
    exitError: null,
    summary,
    snapshotId: snap.summary ? snap.id : null,
    abandoned: false,
    version: V014,
    cancelReason: cancel,
    secrets: [],
    ...extra,
  };
}

describe('decideBackupOutcome: every way a backup can end', () => {
  const rows = EXITS.flatMap((exit) => SNAPSHOTS.flatMap(([snapName, snap]) => CANCELS.map((cancel) => ({ exit, snapName, snap, cancel }))));
  it.each(rows.map((r) => [`${r.exit.name}, ${r.snapName}, cancel ${r.cancel ?? 'none'}`, r] as const))('%s', (_name, row) => {
    const result = decideBackupOutcome(end(row.exit, row.snap, row.cancel));
    const want = expected(row.exit, row.snap, row.cancel);
    expect(result.status).toBe(want.status);
    expect(result.error?.code ?? null).toBe(want.code);
    if (result.status === 'success' || result.status === 'warning') {
      expect(isResticSnapshotId(result.snapshotId)).toBe(true);
      expect(result.snapshotId).toBe(row.snap.summary ? row.snap.id : null);
    }
    // An id that is not one is never passed on, in the op or in its summary.
    if (result.snapshotId !== null && result.snapshotId !== undefined) expect(isResticSnapshotId(result.snapshotId)).toBe(true);
    const summaryId = result.summary?.snapshotId;
    if (summaryId !== undefined) expect(isResticSnapshotId(summaryId)).toBe(true);
    if (want.code === 'NO_SNAPSHOT') {
      expect(result.error!.message).toMatch(/restic ended .*without saving a snapshot/);
      expect(result.error!.detail).toContain('restic said something on stderr');
      expect(result.snapshotId).toBeNull();
    }
  });

  it('covers the whole table', () => {
    expect(rows).toHaveLength(EXITS.length * SNAPSHOTS.length * CANCELS.length);
    const statuses = new Set(rows.map((r) => decideBackupOutcome(end(r.exit, r.snap, r.cancel)).status));
    expect([...statuses].sort()).toEqual(['cancelled', 'error', 'success', 'warning']);
  });
});

describe('NO_SNAPSHOT keeps restic\'s last words, redacted and bounded', () => {
  const exit0: Exit = { name: 'exit 0', exitCode: 0, signal: null };

  it('says why: no summary, a summary without an id, an id that is not one', () => {
    expect(decideBackupOutcome(end(exit0, { summary: false }, null)).error!.message).toContain('printed no summary');
    expect(decideBackupOutcome(end(exit0, { summary: true, id: null, valid: false }, null)).error!.message).toContain('names no snapshot');
    expect(decideBackupOutcome(end(exit0, { summary: true, id: '?', valid: false }, null)).error!.message).toContain('no valid snapshot id ("?")');
  });

  it('keeps stdout garbage and the end of stderr, without secrets or URI passwords, in at most a few KB', () => {
    const secret = 's3cr3t-value';
    const result = decideBackupOutcome(
      end(exit0, { summary: false }, null, {
        stdoutTail: ['this is not json', `{"message_type":"mystery","token":"${secret}"}`],
        stderrTail: [...Array.from({ length: 20 }, (_, i) => `noise ${i} ${'x'.repeat(1500)}`), `Fatal: rest:https://user:${secret}@host/ said no`],
        secrets: [secret],
      }),
    );
    const detail = result.error!.detail!;
    expect(result.error!.code).toBe('NO_SNAPSHOT');
    expect(detail.length).toBeLessThanOrEqual(LAST_WORDS_MAX_CHARS);
    expect(detail).toContain('said no'); // the very end is kept
    expect(detail).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('says so when restic printed nothing at all', () => {
    const result = decideBackupOutcome(end(exit0, { summary: false }, null, { stderrTail: [] }));
    expect(result.error!.detail).toBe('restic printed nothing else.');
  });
});

import { mkdir, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../../../test/helpers/restic-wrapper-repo.js';
import { goErrorText, parseResticLine } from './parse.js';
import type { ResticMessage } from './messages.js';

const HEX64 = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);

describe('parseResticLine: real restic 0.14 backup output, captured live', () => {
  let repo: TempRepo;
  let unreadable: string;
  let messages: ResticMessage[];
  let verboseMessages: ResticMessage[];
  let snapshotsJson: Array<{ short_id: string; id: string }>;

  beforeAll(async () => {
    repo = await makeTempRepo();
    const src = path.join(repo.dir, 'src');
    await mkdir(path.join(src, 'sub'), { recursive: true });
    // Enough data that restic prints several status lines.
    await writeFile(path.join(src, 'big.bin'), randomBytes(24 * 1024 * 1024));
    await writeFile(path.join(src, 'sub', 'small.txt'), 'hello\n');
    // A file restic cannot read: as root nothing is unreadable by mode, but /proc/1/mem is.
    if (process.getuid?.() === 0) {
      unreadable = '/proc/1/mem';
    } else {
      unreadable = path.join(src, 'locked.txt');
      await writeFile(unreadable, 'secret');
      await chmod(unreadable, 0);
    }
    const first = await repo.run(['backup', '--json', src, unreadable]);
    expect(first.code).toBe(3);
    messages = [...first.stdout.split('\n'), ...first.stderr.split('\n')].filter(Boolean).map((l) => parseResticLine(l));
    await writeFile(path.join(src, 'sub', 'new.txt'), 'new\n');
    const second = await repo.run(['backup', '--json', '--verbose=2', src]);
    expect(second.code).toBe(0);
    verboseMessages = second.stdout.split('\n').filter(Boolean).map((l) => parseResticLine(l));
    snapshotsJson = JSON.parse((await repo.run(['snapshots', '--json'])).stdout);
  }, 60_000);
  afterAll(() => repo?.cleanup());

  it('reads status lines with rising bytes and totals', () => {
    const statuses = messages.filter((m) => m.type === 'status');
    expect(statuses.length).toBeGreaterThan(1);
    const bytes = statuses.map((m) => (m.type === 'status' ? m.progress.bytesDone! : -1));
    expect(bytes.every((b, i) => i === 0 || b >= bytes[i - 1]!)).toBe(true);
    expect(Math.max(...bytes)).toBeGreaterThan(0);
    const last = statuses.at(-1)!;
    expect(last.type === 'status' && last.progress.totalBytes).toBeGreaterThanOrEqual(24 * 1024 * 1024);
  });

  it('reads the summary with the 8-hex snapshot id restic 0.14 prints', () => {
    const summaries = messages.filter((m) => m.type === 'summary');
    expect(summaries).toHaveLength(1);
    const summary = summaries[0]!;
    if (summary.type !== 'summary') throw new Error('unreachable');
    expect(summary.snapshotId).toMatch(/^[0-9a-f]{8}$/);
    expect(snapshotsJson.map((s) => s.short_id)).toContain(summary.snapshotId);
    expect(summary.summary.filesNew).toBeGreaterThanOrEqual(2);
    expect(summary.summary.totalBytesProcessed).toBeGreaterThanOrEqual(24 * 1024 * 1024);
    expect(summary.summary.snapshotId).toBe(summary.snapshotId);
  });

  it('turns the Go error object of 0.14 into words naming the file', () => {
    const errors = messages.filter((m) => m.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual({
      type: 'error',
      message: `open ${unreadable}: permission denied`,
      during: 'archival',
      item: unreadable,
    });
  });

  it('keeps the non-JSON warning line as text', () => {
    expect(messages).toContainEqual({ type: 'text', text: 'Warning: at least one source file could not be read' });
  });

  it('reads verbose_status lines and the 0.14 scan_finished status without moving progress back', () => {
    const verbose = verboseMessages.filter((m) => m.type === 'verbose_status');
    expect(verbose.length).toBeGreaterThan(0);
    expect(verbose).toContainEqual(expect.objectContaining({ action: 'new', item: expect.stringMatching(/new\.txt$/), dataSize: 4 }));
    const scan = verboseMessages.find((m) => m.type === 'status' && m.action === 'scan_finished');
    expect(scan).toBeDefined();
    if (scan?.type !== 'status') throw new Error('unreachable');
    expect(scan.progress.bytesDone).toBeUndefined();
    expect(scan.progress.totalFiles).toBeGreaterThan(0);
    expect(verboseMessages.filter((m) => m.type === 'text' || m.type === 'unknown')).toEqual([]);
  });
});

describe('parseResticLine: restic 0.14 details', () => {
  it('treats omitted counters as zero and keeps unknown totals absent', () => {
    expect(parseResticLine('{"message_type":"status","percent_done":0,"total_files":1,"total_bytes":30000000}')).toEqual({
      type: 'status',
      progress: { percent: 0, bytesDone: 0, filesDone: 0, totalFiles: 1, totalBytes: 30000000, etaSeconds: null },
    });
  });

  it('drops absurd early seconds_remaining (0.14) but keeps plausible ones', () => {
    const eta = (line: string): number | null | undefined => {
      const m = parseResticLine(line);
      return m.type === 'status' ? m.progress.etaSeconds : undefined;
    };
    expect(eta('{"message_type":"status","percent_done":0.0000001,"seconds_remaining":18446744073709552000,"bytes_done":1}')).toBeNull();
    expect(eta('{"message_type":"status","percent_done":0,"seconds_remaining":120}')).toBeNull();
    expect(eta('{"message_type":"status","percent_done":0.5,"seconds_remaining":-5}')).toBeNull();
    expect(eta('{"message_type":"status","percent_done":0.5,"seconds_remaining":120}')).toBe(120);
  });

  it('reads summary without snapshot_id (nothing saved) as snapshotId null', () => {
    const m = parseResticLine('{"message_type":"summary","files_new":0,"total_duration":0.1,"dry_run":true}');
    expect(m).toEqual({ type: 'summary', summary: { filesNew: 0, totalDuration: 0.1 }, snapshotId: null, dryRun: true });
  });
});

describe('parseResticLine: restic 0.17 - 0.19 samples', () => {
  it('0.17.3 status with seconds and error_count', () => {
    const line =
      '{"message_type":"status","seconds_elapsed":2,"seconds_remaining":5,"percent_done":0.28,"total_files":120,"files_done":30,' +
      '"total_bytes":104857600,"bytes_done":29360128,"error_count":1,"current_files":["/home/me/a.bin","/home/me/b.bin"]}';
    expect(parseResticLine(line)).toEqual({
      type: 'status',
      progress: {
        percent: 0.28,
        bytesDone: 29360128,
        filesDone: 30,
        totalBytes: 104857600,
        totalFiles: 120,
        etaSeconds: 5,
        currentFiles: ['/home/me/a.bin', '/home/me/b.bin'],
      },
    });
  });

  it('0.17.0 error: Go error object; 0.17.1+ error.message', () => {
    expect(
      parseResticLine('{"message_type":"error","error":{"Op":"lstat","Path":"/home/me/gone","Err":2},"during":"scan","item":"/home/me/gone"}'),
    ).toEqual({ type: 'error', message: 'lstat /home/me/gone: no such file or directory', during: 'scan', item: '/home/me/gone' });
    expect(
      parseResticLine(
        '{"message_type":"error","error":{"message":"open /home/me/secret: permission denied"},"during":"archival","item":"/home/me/secret"}',
      ),
    ).toEqual({ type: 'error', message: 'open /home/me/secret: permission denied', during: 'archival', item: '/home/me/secret' });
  });

  it('an empty Go error object {} falls back to during and item', () => {
    expect(parseResticLine('{"message_type":"error","error":{},"during":"read","item":"/x"}')).toEqual({
      type: 'error',
      message: 'error during read of /x',
      during: 'read',
      item: '/x',
    });
  });

  it('0.17 summary with a 64-hex snapshot id and new fields ignored', () => {
    const line =
      '{"message_type":"summary","files_new":10,"files_changed":1,"files_unmodified":5,"dirs_new":2,"dirs_changed":0,"dirs_unmodified":1,' +
      '"data_blobs":10,"tree_blobs":3,"data_added":1234,"data_added_packed":800,"total_files_processed":16,"total_bytes_processed":5000,' +
      `"total_duration":1.5,"backup_start":"2024-09-01T10:00:00Z","backup_end":"2024-09-01T10:00:01Z","snapshot_id":"${HEX64}"}`;
    const m = parseResticLine(line);
    expect(m.type === 'summary' && m.snapshotId).toBe(HEX64);
    expect(m.type === 'summary' && m.summary.dataAdded).toBe(1234);
    expect(m.type === 'summary' && Object.keys(m.summary)).not.toContain('dataAddedPacked');
  });

  it('0.17 --skip-if-unchanged summary without snapshot_id', () => {
    const m = parseResticLine('{"message_type":"summary","files_new":0,"files_unmodified":3,"total_files_processed":3}');
    expect(m.type === 'summary' && m.snapshotId).toBeNull();
  });

  it('0.18 exit_error', () => {
    expect(
      parseResticLine('{"message_type":"exit_error","code":11,"message":"Fatal: unable to create lock in backend: repository is already locked by PID 7 on nas by me (UID 1000, GID 1000)"}'),
    ).toEqual({
      type: 'exit_error',
      code: 11,
      message: 'Fatal: unable to create lock in backend: repository is already locked by PID 7 on nas by me (UID 1000, GID 1000)',
    });
  });

  it('0.19 verbose_status scan_finished and verbose item lines', () => {
    expect(
      parseResticLine('{"message_type":"verbose_status","action":"scan_finished","item":"","duration":0.2,"data_size":2048,"total_files":3}'),
    ).toEqual({ type: 'verbose_status', action: 'scan_finished', item: '', dataSize: 2048 });
  });

  it('0.16+ restore status and summary (by shape, and by hint before the shape shows)', () => {
    expect(
      parseResticLine('{"message_type":"status","seconds_elapsed":1,"percent_done":0.5,"total_files":10,"files_restored":5,"total_bytes":1000,"bytes_restored":500}'),
    ).toEqual({
      type: 'restore_status',
      progress: { bytesDone: 500, filesDone: 5, percent: 0.5, totalBytes: 1000, totalFiles: 10, etaSeconds: null },
    });
    expect(parseResticLine('{"message_type":"status","percent_done":0,"total_files":10}', { kind: 'restore' }).type).toBe('restore_status');
    expect(
      parseResticLine('{"message_type":"summary","seconds_elapsed":2,"total_files":10,"files_restored":8,"files_skipped":2,"total_bytes":1000,"bytes_restored":800,"bytes_skipped":200}'),
    ).toEqual({
      type: 'restore_summary',
      summary: { secondsElapsed: 2, totalFiles: 10, filesRestored: 8, filesSkipped: 2, totalBytes: 1000, bytesRestored: 800, bytesSkipped: 200 },
    });
    expect(parseResticLine('{"message_type":"verbose_status","action":"restored","item":"/home/me/a","size":100}')).toEqual({
      type: 'verbose_status',
      action: 'restored',
      item: '/home/me/a',
      dataSize: 100,
    });
  });
});

describe('parseResticLine: anything else', () => {
  it('non-JSON and broken JSON are text; unknown JSON is unknown; arrays are kept whole', () => {
    expect(parseResticLine('repository 1234abcd opened')).toEqual({ type: 'text', text: 'repository 1234abcd opened' });
    expect(parseResticLine('{"message_type":"status",')).toEqual({ type: 'text', text: '{"message_type":"status",' });
    expect(parseResticLine('')).toEqual({ type: 'text', text: '' });
    expect(parseResticLine('{"struct_type":"node","name":"a"}')).toEqual({ type: 'unknown', raw: { struct_type: 'node', name: 'a' } });
    expect(parseResticLine('[{"id":"x"}]')).toEqual({ type: 'unknown', raw: { value: [{ id: 'x' }] } });
  });

  it('goErrorText reads nested and URL errors', () => {
    expect(goErrorText({ Op: 'Head', URL: 'http://h/config', Err: { Op: 'dial', Err: 111 } })).toBe('Head http://h/config: dial: connection refused');
    expect(goErrorText('plain')).toBe('plain');
    expect(goErrorText({})).toBeNull();
  });

  it('parses fast enough for 200,000 status lines/s with room to spare', () => {
    const line =
      '{"message_type":"status","seconds_elapsed":2,"percent_done":0.28,"total_files":120,"files_done":30,"total_bytes":104857600,"bytes_done":29360128,"current_files":["/home/me/a.bin"]}';
    const n = 200_000;
    const start = performance.now();
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const m = parseResticLine(line);
      if (m.type === 'status') sum += m.progress.bytesDone!;
    }
    const seconds = (performance.now() - start) / 1000;
    expect(sum).toBe(29360128 * n);
    // Parsing alone must take well under a second for 200k lines (reader and supervisor share the budget).
    expect(seconds).toBeLessThan(0.6);
  });
});

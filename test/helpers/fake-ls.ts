// Generated `restic ls --json` output in restic 0.14's exact line format, for tests and the benchmark: a
// snapshot header, then nodes depth-first with names sorted, as restic walks a tree. No files are written.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ResticCommandRunner, ResticRunHandlers, ResticRunResult } from '../../main/core/snapshots/runner.js';

export interface FakeTree {
  /** Number of files; they are spread over `/data/aNNN/bNNN/` folders of `filesPerDir` files. */
  files: number;
  filesPerDir?: number;
  dirsPerGroup?: number;
  fileSize?: number;
}

export const FAKE_SNAPSHOT_ID = 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + 'a'.repeat(8);
const TIME = '2026-01-31T14:25:01.123456789Z';

function snapshotLine(id: string): string {
  return JSON.stringify({
    time: TIME,
    tree: 'e'.repeat(64),
    paths: ['/data'],
    hostname: 'bench',
    username: 'root',
    id,
    short_id: id.slice(0, 8),
    struct_type: 'snapshot',
  });
}

function nodeLine(name: string, type: 'dir' | 'file', path: string, size: number): string {
  const node: Record<string, unknown> = { name, type, path, uid: 0, gid: 0 };
  if (type === 'file') node.size = size;
  node.mode = type === 'dir' ? 2147484141 : 420;
  node.permissions = type === 'dir' ? 'drwxr-xr-x' : '-rw-r--r--';
  node.mtime = TIME;
  node.atime = TIME;
  node.ctime = TIME;
  node.struct_type = 'node';
  return JSON.stringify(node);
}

const pad = (n: number): string => String(n).padStart(4, '0');

/** The lines, lazily: nothing is held but the current position. */
export function* fakeLsLines(tree: FakeTree, snapshotId = FAKE_SNAPSHOT_ID): Generator<string> {
  const perDir = tree.filesPerDir ?? 100;
  const perGroup = tree.dirsPerGroup ?? 100;
  const size = tree.fileSize ?? 1234;
  yield snapshotLine(snapshotId);
  yield nodeLine('data', 'dir', '/data', 0);
  let left = tree.files;
  for (let a = 0; left > 0; a++) {
    const aPath = `/data/a${pad(a)}`;
    yield nodeLine(`a${pad(a)}`, 'dir', aPath, 0);
    for (let b = 0; b < perGroup && left > 0; b++) {
      const bPath = `${aPath}/b${pad(b)}`;
      yield nodeLine(`b${pad(b)}`, 'dir', bPath, 0);
      for (let f = 0; f < perDir && left > 0; f++, left--) yield nodeLine(`f${pad(f)}.txt`, 'file', `${bPath}/f${pad(f)}.txt`, size);
    }
  }
}

/**
 * A runner whose `ls` prints a generated tree (asynchronously, in chunks, like a pipe) and whose `snapshots`
 * prints the one fake snapshot. `calls` records every argument list.
 */
export function fakeLsRunner(tree: FakeTree, snapshotId = FAKE_SNAPSHOT_ID): ResticCommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async run(_repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult> {
      calls.push(args);
      if (args[0] === 'snapshots') {
        const line = snapshotLine(snapshotId).replace(',"struct_type":"snapshot"', '');
        handlers.onStdoutLine(`[${line}]`);
        return { exitCode: 0, stderrTail: [] };
      }
      if (args[0] !== 'ls') return { exitCode: 1, stderrTail: [`fake runner: no ${args[0]}`] };
      if (args[args.length - 1] !== snapshotId) {
        return { exitCode: 0, stderrTail: [`Ignoring "${args[args.length - 1]}": no matching ID found`] };
      }
      let n = 0;
      for (const line of fakeLsLines(tree, snapshotId)) {
        if (handlers.signal?.aborted) return { exitCode: null, stderrTail: ['killed'] };
        handlers.onStdoutLine(line);
        if (++n % 2000 === 0) await nextTurn(); // a pipe delivers chunks, not everything in one tick
      }
      return { exitCode: 0, stderrTail: [] };
    },
  };
}

// `restic dump` of one file or folder of a snapshot, as a byte stream for a host to send on (an HTTP response in
// `serve`, a file the user chose in the desktop app). The request is checked against the snapshot's index first, so
// an unknown snapshot or a path that is not in it fails with its own code before restic runs; restic then writes
// the file's bytes, or for a folder a tar stream, and waits whenever the reader is slower than it.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BackstayError } from '../../common/errors.js';
import type { SnapshotEntry, SnapshotInfo } from '../../common/rpc.js';
import { dumpArgs } from '../restic/args.js';
import { resticCommandFailure, streamResticBytes } from '../restic/run-restic.js';
import type { RepoEnvResolver } from './runner.js';

export interface DumpRequest {
  repoId: string;
  snapshotId: string;
  /** Absolute path inside the snapshot; "/" is the whole snapshot (as a tar). */
  path: string;
}

/** What is being dumped, known before the first byte: enough for headers and a save dialog. */
export interface DumpTarget {
  kind: 'file' | 'dir';
  /** The name to save it as: the file's own name, or the folder's name with ".tar". */
  fileName: string;
  /** A file's size in bytes; null for a folder (the tar's size is known only at its end). */
  size: number | null;
  snapshot: SnapshotInfo;
}

export interface DumpStream extends DumpTarget {
  /** The bytes; read it (or call cancel), or restic waits for ever on a full pipe. */
  stdout: Readable;
  /** Resolves when restic ended well; rejects with a BackstayError (CANCELLED after cancel()). */
  done: Promise<void>;
  /** Stops restic and everything it started (SIGINT, then SIGKILL for the tree). */
  cancel(): void;
}

export interface Dumper {
  /** What `open` would send, without starting restic (a save dialog needs the name first). */
  describe(request: DumpRequest): Promise<DumpTarget>;
  open(request: DumpRequest): Promise<DumpStream>;
}

export interface DumperDeps {
  repoEnv: RepoEnvResolver;
  snapshots: {
    resolve(repoId: string, snapshotId: string): Promise<SnapshotInfo>;
    entry(repoId: string, snapshotId: string, path: string): Promise<SnapshotEntry>;
  };
  /** After a cancel, how long restic has to stop before SIGKILL. */
  stopGraceMs?: number;
}

const STDERR_TAIL_LINES = 20;
/** A slow reader may still be taking the last bytes when restic exits; the pipe stays open this long for it. */
const DRAIN_AFTER_EXIT_MS = 60_000;

/** What a dump of `request` is: checked against the snapshot's index (UNKNOWN_SNAPSHOT, PATH_NOT_IN_SNAPSHOT). */
async function describeDump(deps: DumperDeps, request: DumpRequest): Promise<DumpTarget> {
  const snapshot = await deps.snapshots.resolve(request.repoId, request.snapshotId);
  const wanted = normalisePath(request.path);
  if (wanted === '/') return { kind: 'dir', fileName: `snapshot-${snapshot.shortId}.tar`, size: null, snapshot };
  const entry = await deps.snapshots.entry(request.repoId, snapshot.id, wanted);
  if (entry.type === 'dir') return { kind: 'dir', fileName: `${entry.name}.tar`, size: null, snapshot };
  if (entry.type !== 'file') {
    throw new BackstayError('PATH_NOT_IN_SNAPSHOT', `${wanted} is a ${entry.type}, not a file or folder: there is nothing to download.`);
  }
  return { kind: 'file', fileName: entry.name, size: entry.size, snapshot };
}

export function createDumper(deps: DumperDeps): Dumper {
  return {
    describe: (request) => describeDump(deps, request),
    async open(request) {
      const target = await describeDump(deps, request);
      const { binary, env, flags, secrets } = await deps.repoEnv(request.repoId);
      const wanted = normalisePath(request.path);
      const stderrTail: string[] = [];
      let cancelled = false;
      const child = streamResticBytes({ binary, env, secrets }, dumpArgs({ flags, snapshotId: target.snapshot.id, path: wanted }), {
        onStderrLine: (text) => {
          stderrTail.push(text);
          if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        },
        ownProcessGroup: true,
        drainAfterExitMs: DRAIN_AFTER_EXIT_MS,
        stopGraceMs: deps.stopGraceMs,
      });
      const done = child.done.then((exit) => {
        if (!cancelled && !exit.spawnFailure && exit.signal === null && exit.exitCode === 0) return;
        throw resticCommandFailure(
          `downloading ${wanted}`,
          request.repoId,
          { exitCode: exit.exitCode, stderrTail, spawnError: exit.spawnFailure, secrets },
          { aborted: cancelled, kind: 'dump' },
        );
      });
      // Callers that only cancel (and never await `done`) must not see an unhandled rejection.
      done.catch(() => undefined);
      if (!child.stdout) {
        await done;
        throw new BackstayError('RESTIC_FAILED', 'restic dump could not be started.');
      }
      return {
        ...target,
        stdout: child.stdout,
        done,
        cancel() {
          if (child.exited) return;
          cancelled = true;
          child.stop();
          child.stdout?.destroy();
        },
      };
    },
  };
}

/** "/home/me/" and "/home/me" are one path; anything not absolute is refused before restic sees it. */
function normalisePath(p: string): string {
  if (!p.startsWith('/')) throw new BackstayError('PATH_NOT_IN_SNAPSHOT', `"${p}" is not an absolute path in the snapshot.`);
  const normal = path.posix.normalize(p);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

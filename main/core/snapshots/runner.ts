// The one thing this folder needs from the restic layer: run `restic <args>` for a repository and hand back
// stdout line by line. The engine supplies `createResticRunner` (restic/run-restic.ts in stream mode: the
// repository's binary, env with the password, its flags); tests supply one over a temp repository. Declared here
// so the snapshot code depends on the smallest seam it needs and not on the whole restic wrapper.
import { streamRestic } from '../restic/run-restic.js';

export interface ResticRunHandlers {
  /** Called once per stdout line, synchronously and in order. Must not be awaited by the runner. */
  onStdoutLine(line: string): void;
  /** Aborting stops restic (the runner escalates as it does for any cancel). */
  signal?: AbortSignal;
  /**
   * The longest stdout line this caller needs whole. `snapshots --json` prints the whole list as ONE line
   * (about 400 bytes per snapshot), so a runner that caps lines must honour a larger cap here.
   */
  maxLineBytes?: number;
}

export interface ResticRunResult {
  /** null when restic was killed by a signal. */
  exitCode: number | null;
  /** The last few stderr lines, for error messages. Never contains the password (restic does not print it). */
  stderrTail: string[];
  /** restic could not be started at all (the system's code and short text, never the argv). */
  spawnError?: { code: string | null; message: string } | null;
  /** Values to redact from error details (restic does not print the password, but a URI may hold one). */
  secrets?: readonly string[];
}

export interface ResticCommandRunner {
  /** Runs `restic <args>` for a repository (env with password is the runner's business), streams stdout lines, never buffers whole output. */
  run(repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult>;
}

/** Longest `snapshots --json` line we accept: ~160,000 snapshots. Beyond that something else is wrong. */
export const SNAPSHOT_LIST_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface RepoEnvResolver {
  (repoId: string): Promise<{ binary: string; env: Record<string, string>; flags: readonly string[]; secrets?: readonly string[] }>;
}

const STDERR_TAIL_LINES = 20;

/** The real runner: restic in stream mode with the repository's env and flags; an abort stops it (SIGINT, then SIGKILL). */
export function createResticRunner(resolve: RepoEnvResolver): ResticCommandRunner {
  return {
    async run(repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult> {
      const { binary, env, flags, secrets } = await resolve(repoId);
      const stderrTail: string[] = [];
      // The repository's own flags (e.g. --limit-download, -o options) apply to these commands too.
      const child = streamRestic({ binary, env, secrets }, [...flags, ...args], {
        onLine: (stream, text) => {
          if (stream === 'stdout') return handlers.onStdoutLine(text);
          stderrTail.push(text);
          if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        },
        maxStdoutLineBytes: handlers.maxLineBytes,
        signal: handlers.signal,
      });
      const exit = await child.done;
      if (exit.lineError) throw exit.lineError;
      if (exit.spawnFailure) return { exitCode: null, stderrTail, spawnError: exit.spawnFailure, secrets };
      return { exitCode: exit.exitCode, stderrTail, secrets };
    },
  };
}

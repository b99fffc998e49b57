// The one thing this folder needs from the restic layer: run `restic <args>` for a repository and hand back
// stdout line by line. The engine supplies the real implementation (binary, env with the password, stdin
// closed, supervision); tests supply one over a temp repository. Declared here so the snapshot code depends
// on the smallest seam it needs and not on the whole restic wrapper.

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
}

export interface ResticCommandRunner {
  /** Runs `restic <args>` for a repository (env with password is the runner's business), streams stdout lines, never buffers whole output. */
  run(repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult>;
}

/** Longest `snapshots --json` line we accept: ~160,000 snapshots. Beyond that something else is wrong. */
export const SNAPSHOT_LIST_MAX_LINE_BYTES = 64 * 1024 * 1024;

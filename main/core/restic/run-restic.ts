// The one place Backstay starts restic. Every restic command goes through one of two modes:
// - `streamRestic`: lines of stdout and stderr to a consumer that must return quickly, as they come (the supervisor of
//   operations, the snapshot listings). Both pipes are drained at full speed whatever the consumer does: a pipe that is
//   not drained stops restic.
// - `streamResticBytes`: stdout as raw bytes for a consumer that reads it at its own pace (restic dump to an HTTP
//   response or a file): restic then waits on a full pipe, which is what bounds the memory a download takes.
// - `restic`: a short command with a bounded result (stdout and stderr capped, exit code, timeout, cancel), which
//   throws a ResticError unless restic exited with one of the codes the caller calls success (GitHub Desktop's
//   `git(args, path, name, {successExitCodes})`).
// One execa configuration for both: the environment of env.ts and nothing else (the password travels there, never in
// argv), stdin closed so restic can never wait for a password on it, killed with Backstay, and the whole process tree
// (an rclone restic started) signalled on a cancel and reaped after restic exits. One error shape: the named errors
// of errors.ts, classifySpawnFailure for a restic that never started.
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { execa } from 'execa';
import { BackstayError, ERROR_CODES, type ErrorCode } from '../../common/errors.js';
import type { OpError } from '../../common/operation.js';
import { classifyResticExit, classifySpawnFailure, type ResticCommandKind, type SpawnFailure } from './errors.js';
import { readLines } from './line-reader.js';
import { isAlive, listDescendants, signalQuietly } from './process-tree.js';
import { redactSecrets } from './redact.js';
import type { ResticVersion } from './version.js';

/** Which restic to run and how: the binary and its complete environment (buildResticEnv, or a plain one for `version`). */
export interface ResticTarget {
  binary: string;
  /** The whole environment of the child: nothing of Backstay's own environment is added to it. */
  env: Record<string, string>;
  cwd?: string;
  /** Values to redact from error details (from buildResticEnv). */
  secrets?: readonly string[];
  /** For classifying exit codes (they differ between versions); null when not known yet. */
  version?: Pick<ResticVersion, 'major' | 'minor' | 'patch'> | null;
}

export type ResticStreamName = 'stdout' | 'stderr';

export interface StreamResticOptions {
  /** Called once per line, synchronously and in order; must return quickly (it runs on restic's output path). */
  onLine(stream: ResticStreamName, text: string, truncated: boolean): void;
  /** Longest stdout line kept whole (line-reader's default otherwise). */
  maxStdoutLineBytes?: number;
  /** Longest stderr line kept whole (line-reader's default otherwise). */
  maxStderrLineBytes?: number;
  /**
   * restic in a process group of its own: a Ctrl-C in Backstay's terminal then reaches Backstay only, which decides
   * what restic gets, and the group can be signalled as one. Such a child is not killed by execa when Backstay exits.
   */
  ownProcessGroup?: boolean;
  /** How long, after restic exited, to let the pipes deliver what it wrote before they are closed. */
  drainAfterExitMs?: number;
  /** The timer for that bound (the supervisor passes its clock). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  /** Aborting stops restic: SIGINT, then SIGKILL for the whole tree after `stopGraceMs`. */
  signal?: AbortSignal;
  stopGraceMs?: number;
  /**
   * Byte-stream mode (see streamResticBytes): stdout is handed to this consumer instead of being split into lines,
   * and is never destroyed by the drain bound (the consumer reads the rest at its pace); `onLine` then gets stderr only.
   */
  onStdoutStream?: (stdout: Readable) => void;
}

/** How a streamed restic ended. Exactly one of `spawnFailure` and an exit (code or signal) is set. */
export interface ResticExit {
  exitCode: number | null;
  signal: string | null;
  /** restic never started (the system's code and a short text, never the argv). */
  spawnFailure: SpawnFailure | null;
  /** The first exception a line consumer threw (the reading went on regardless). */
  lineError: unknown;
}

export interface ResticChild {
  /** null when restic could not be started (`done` says why). */
  readonly pid: number | null;
  /** restic's process has exited ('exit', not the end of the pipes: an rclone it started may hold them open). */
  readonly exited: boolean;
  /** Resolves once restic exited and its pipes are drained (bounded) and closed, or when it could not start. */
  readonly done: Promise<ResticExit>;
  /** SIGINT to restic alone, remembering what it started: restic's own clean cancel. */
  interrupt(): void;
  /** A signal for restic, its process group and every descendant seen so far (rclone lives in a group of its own). */
  signalTree(signal: NodeJS.Signals): void;
  /** SIGINT now, SIGKILL for the tree after `graceMs` unless restic is gone by then. Idempotent. */
  stop(graceMs?: number): void;
}

/** A spawn error's text is the system's short words; anything longer is cut (execa's own message holds the argv). */
const MAX_SPAWN_ERROR_CHARS = 300;
const DEFAULT_DRAIN_AFTER_EXIT_MS = 2000;
const DEFAULT_STOP_GRACE_MS = 5000;

export function streamRestic(target: ResticTarget, args: readonly string[], opts: StreamResticOptions): ResticChild {
  const ownGroup = opts.ownProcessGroup === true;
  let resolveDone!: (exit: ResticExit) => void;
  const done = new Promise<ResticExit>((resolve) => (resolveDone = resolve));
  let exited = false;
  let settled = false;
  const settle = (exit: Omit<ResticExit, 'lineError'>, lineError: unknown = null): void => {
    if (settled) return;
    settled = true;
    exited = true;
    if (stopTimer !== null) clearTimeout(stopTimer);
    resolveDone({ ...exit, lineError });
  };
  const failedToStart = (err: unknown): void => settle({ exitCode: null, signal: null, spawnFailure: spawnFailureOf(err) });
  const knownDescendants = new Set<number>();
  let stopTimer: NodeJS.Timeout | null = null;
  let child: ReturnType<typeof spawnChild>;
  try {
    child = spawnChild(target, args, ownGroup);
  } catch (err) {
    failedToStart(err);
    return inertChild(done);
  }
  if (child.pid === undefined) {
    // execa reports spawn failures (ENOENT, EACCES, E2BIG) through the promise.
    void child.then(failedToStart);
    return inertChild(done);
  }
  const pid = child.pid;
  const rememberDescendants = (): void => {
    for (const descendant of listDescendants(pid)) knownDescendants.add(descendant);
  };
  const signalTree = (signal: NodeJS.Signals): void => {
    if (exited) return;
    rememberDescendants();
    // restic first, then its process group, then children that live in groups of their own (rclone).
    signalQuietly(pid, signal);
    if (ownGroup) signalQuietly(-pid, signal);
    for (const descendant of knownDescendants) signalQuietly(descendant, signal);
  };
  /** After restic is gone nothing it started may stay behind (an rclone holding the repository open). */
  const reapDescendants = (): void => {
    if (ownGroup) signalQuietly(-pid, 'SIGKILL');
    for (const descendant of knownDescendants) if (isAlive(descendant)) signalQuietly(descendant, 'SIGKILL');
  };
  const interrupt = (): void => {
    if (exited) return;
    rememberDescendants();
    signalQuietly(pid, 'SIGINT');
  };
  const stop = (graceMs = opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS): void => {
    if (exited || stopTimer !== null) return;
    interrupt();
    stopTimer = setTimeout(() => signalTree('SIGKILL'), graceMs);
    stopTimer.unref();
  };

  let lineError: unknown = null;
  const onLine = (stream: ResticStreamName) => (text: string, truncated: boolean) => {
    try {
      opts.onLine(stream, text, truncated);
    } catch (err) {
      lineError ??= err;
    }
  };
  const stdoutDone = opts.onStdoutStream
    ? handOverStdout(child.stdout!, opts.onStdoutStream)
    : readLines(child.stdout!, onLine('stdout'), { maxLineBytes: opts.maxStdoutLineBytes });
  const stderrDone = readLines(child.stderr!, onLine('stderr'), { maxLineBytes: opts.maxStderrLineBytes });
  const streamsDone = Promise.allSettled([stdoutDone, stderrDone]);

  child.once('exit', (code, signal) => {
    exited = true;
    // Give the pipes a moment to deliver what restic wrote before it exited, but never wait on them forever.
    const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref());
    const bound = new Promise<void>((resolve) => setTimer(resolve, opts.drainAfterExitMs ?? DEFAULT_DRAIN_AFTER_EXIT_MS));
    void Promise.race([streamsDone, bound]).then(() => {
      reapDescendants();
      if (!opts.onStdoutStream) child.stdout?.destroy();
      child.stderr?.destroy();
      settle({ exitCode: code, signal, spawnFailure: null }, lineError);
    });
  });
  void child.then((result) => {
    // If 'exit' never fired (a spawn error after the pid was known), finish from the result.
    if (!exited && result.failed && result.exitCode === undefined && !result.signal) failedToStart(result);
  });

  const abortSignal = opts.signal;
  if (abortSignal) {
    const onAbort = (): void => stop();
    if (abortSignal.aborted) stop();
    else {
      abortSignal.addEventListener('abort', onAbort, { once: true });
      void done.then(() => abortSignal.removeEventListener('abort', onAbort));
    }
  }
  return {
    pid,
    get exited() {
      return exited;
    },
    done,
    interrupt,
    signalTree,
    stop,
  };
}

/** Gives stdout to its consumer; settles when the consumer has read it to its end (or it broke). */
function handOverStdout(stdout: Readable, consumer: (stdout: Readable) => void): Promise<void> {
  consumer(stdout);
  return finished(stdout).catch(() => undefined);
}

/** A restic whose stdout is a byte stream (restic dump): the caller must read or destroy `stdout`. */
export interface ResticByteChild extends ResticChild {
  /** restic's stdout; null when restic could not be started. */
  readonly stdout: Readable | null;
}

/**
 * Byte-stream mode: restic's stdout as it comes, for a consumer that pipes it on with backpressure (an HTTP response,
 * a file). stderr is read as lines for `onStderrLine`. Everything else is stream mode's: env, tree kill, abort.
 */
export function streamResticBytes(
  target: ResticTarget,
  args: readonly string[],
  opts: Omit<StreamResticOptions, 'onLine' | 'onStdoutStream' | 'maxStdoutLineBytes'> & { onStderrLine?: (text: string) => void },
): ResticByteChild {
  let stdout: Readable | null = null;
  const child = streamRestic(target, args, {
    ...opts,
    onLine: (stream, text) => {
      if (stream === 'stderr') opts.onStderrLine?.(text);
    },
    onStdoutStream: (stream) => (stdout = stream),
  });
  return {
    pid: child.pid,
    get exited() {
      return child.exited;
    },
    done: child.done,
    interrupt: child.interrupt,
    signalTree: child.signalTree,
    stop: child.stop,
    get stdout() {
      return stdout;
    },
  };
}

/** The single execa configuration every restic runs with. */
function spawnChild(target: ResticTarget, args: readonly string[], ownProcessGroup: boolean) {
  return execa(target.binary, args, {
    env: target.env,
    extendEnv: false,
    cwd: target.cwd,
    // stdin closed: restic must never wait for a password on it.
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    detached: ownProcessGroup,
    // Kill restic if Backstay exits without stopping it (execa cannot do this for a detached child).
    cleanup: true,
    encoding: 'buffer',
    windowsHide: true,
  });
}

function inertChild(done: Promise<ResticExit>): ResticChild {
  return { pid: null, exited: true, done, interrupt: () => undefined, signalTree: () => undefined, stop: () => undefined };
}

/**
 * The short facts of a failed spawn. execa's `message` (and `command`) contain the whole argument list, which with
 * 100,000 excludes is megabytes: only the system's code and its own short text are kept.
 */
function spawnFailureOf(err: unknown): SpawnFailure {
  const e = (err ?? {}) as { code?: unknown; originalMessage?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : null;
  const own = typeof e.originalMessage === 'string' && e.originalMessage ? e.originalMessage : null;
  // Without execa's originalMessage (a synchronous throw from spawn itself) the message is Node's, which may quote
  // an argument: cut it short.
  const text = own ?? (typeof e.message === 'string' ? e.message : 'restic could not be started');
  return { code, message: text.length > MAX_SPAWN_ERROR_CHARS ? `${text.slice(0, MAX_SPAWN_ERROR_CHARS)}…` : text };
}

// ---------------------------------------------------------------------------------------------------------------
// Capture mode

export interface ResticOptions {
  /** What ran, for classifying the failure (restic's words mean different things for a backup and a check). */
  kind: ResticCommandKind;
  /** Exit codes that are not a failure (default: only 0). */
  successExitCodes?: readonly number[];
  /** Backstay's own bound on the command: past it restic is stopped and the call fails with RESTIC_KILLED. */
  timeoutMs: number;
  /** Aborting stops restic (the call then fails with CANCELLED). */
  signal?: AbortSignal;
  /** Most of stdout and of stderr kept, each (default 1 MiB): stdout keeps its start, stderr its end. */
  maxOutputBytes?: number;
  /** After SIGINT (timeout or cancel), how long before SIGKILL. */
  stopGraceMs?: number;
}

/** A finished short restic command. */
export interface ResticResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Output beyond `maxOutputBytes` was dropped. */
  outputTruncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
  spawnFailure: SpawnFailure | null;
}

/** A restic command that failed: the named error (code, message, detail) of errors.ts, and what restic did. */
export class ResticError extends BackstayError {
  readonly error: OpError;
  readonly result: ResticResult;
  constructor(error: OpError, result: ResticResult) {
    super(asErrorCode(error.code), error.message, error.detail ?? null);
    this.name = 'ResticError';
    this.error = error;
    this.result = result;
  }
}

const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
const STDERR_TAIL_LINES = 20;

/**
 * Runs `restic <args>` to its end and returns its output, bounded. `name` says what it was for ("unlock before
 * prune", "init"), in the error of a timeout. Throws ResticError when restic could not start, timed out, was
 * cancelled, or exited with a code outside `successExitCodes`.
 */
export async function restic(args: readonly string[], target: ResticTarget, name: string, opts: ResticOptions): Promise<ResticResult> {
  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const stdout = new BoundedText(maxBytes, 'head');
  const stderr = new BoundedText(maxBytes, 'tail');
  let timedOut = false;
  const child = streamRestic(target, args, {
    onLine: (stream, text) => (stream === 'stdout' ? stdout : stderr).push(text),
    maxStdoutLineBytes: Math.min(maxBytes, 64 * 1024),
    maxStderrLineBytes: Math.min(maxBytes, 64 * 1024),
    signal: opts.signal,
    stopGraceMs: opts.stopGraceMs ?? 3000,
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.stop();
  }, opts.timeoutMs);
  timer.unref();
  const exit = await child.done;
  clearTimeout(timer);
  const result: ResticResult = {
    exitCode: exit.exitCode,
    signal: exit.signal,
    stdout: stdout.text(),
    stderr: stderr.text(),
    outputTruncated: stdout.truncated || stderr.truncated,
    timedOut,
    cancelled: !timedOut && opts.signal?.aborted === true,
    spawnFailure: exit.spawnFailure,
  };
  const success = opts.successExitCodes ?? [0];
  if (!result.spawnFailure && !timedOut && !result.cancelled && result.signal === null && result.exitCode !== null && success.includes(result.exitCode)) {
    return result;
  }
  throw new ResticError(resticRunError(name, result, target, opts), result);
}

/**
 * For callers that want the result whatever restic did (an unlock whose exit code is only logged):
 * `await restic(...).catch(resultOfFailure)`. Anything but a ResticError is thrown on.
 */
export function resultOfFailure(err: unknown): ResticResult {
  if (err instanceof ResticError) return err.result;
  throw err;
}

/** The named error of a capture-mode run that did not succeed. */
function resticRunError(name: string, result: ResticResult, target: ResticTarget, opts: ResticOptions): OpError {
  const secrets = target.secrets ?? [];
  const stderrTail = result.stderr.split('\n').slice(-STDERR_TAIL_LINES);
  if (result.spawnFailure) return classifySpawnFailure(result.spawnFailure, { binary: target.binary, secrets });
  if (result.timedOut) {
    return {
      code: 'RESTIC_KILLED',
      message: `restic ${name} did not finish within ${Math.round(opts.timeoutMs / 1000)} s (is the repository's backend answering?) and was stopped.`,
      detail: tailDetail(stderrTail, secrets),
    };
  }
  const { error } = classifyResticExit({
    exitCode: result.exitCode,
    signal: result.signal,
    stderrTail,
    version: target.version ?? null,
    kind: opts.kind,
    cancelRequested: result.cancelled,
    secrets,
  });
  // Exit 0 outside successExitCodes (a caller that wants another code) is still a failure of this call.
  return error ?? { code: 'RESTIC_FAILED', message: `restic ${name} ended with exit code ${result.exitCode}.`, detail: tailDetail(stderrTail, secrets) };
}

// ---------------------------------------------------------------------------------------------------------------
// Failures of streamed read-only commands (snapshots, ls, diff)

export interface StreamedRunFacts {
  exitCode: number | null;
  stderrTail: string[];
  spawnError?: SpawnFailure | null;
  /** Values to redact from the detail. */
  secrets?: readonly string[];
}

/**
 * A failed read-only restic run (snapshots, ls, diff, ...) as a BackstayError. The classification is the one every
 * operation uses, so an unreachable server is NETWORK here exactly as it is for a backup or a check, and never "no
 * repository" (restic 0.14 says "Is there a repository at the following location?" for both).
 */
export function resticCommandFailure(
  what: string,
  repoId: string,
  result: StreamedRunFacts,
  opts: { aborted?: boolean; kind?: ResticCommandKind } = {},
): BackstayError {
  const secrets = result.secrets ?? [];
  const detail = redactSecrets(result.stderrTail.join('\n').slice(-4000), secrets) || null;
  if (opts.aborted) return new BackstayError('CANCELLED', `${what} was cancelled.`, detail);
  if (result.spawnError) {
    const error = classifySpawnFailure(result.spawnError, { binary: 'restic', secrets });
    return new BackstayError(asErrorCode(error.code), error.message, error.detail ?? null);
  }
  const { error } = classifyResticExit({
    exitCode: result.exitCode,
    signal: null,
    stderrTail: result.stderrTail,
    version: null,
    kind: opts.kind ?? 'snapshots',
    cancelRequested: false,
    secrets,
  });
  if (!error || error.code === 'RESTIC_FAILED' || error.code === 'CANCELLED') {
    if (result.exitCode === null) return new BackstayError('RESTIC_KILLED', `restic stopped unexpectedly during ${what}.`, detail);
    return new BackstayError('RESTIC_FAILED', `restic failed during ${what} (exit code ${result.exitCode}).`, detail);
  }
  return new BackstayError(asErrorCode(error.code), `Repository ${repoId}: ${error.message}`, detail);
}

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'RESTIC_FAILED';
}

function tailDetail(lines: string[], secrets: readonly string[]): string | null {
  const text = lines.filter((l) => l.trim() !== '').slice(-3).join('\n');
  return text ? redactSecrets(text, secrets).slice(0, 1000) : null;
}

/** Text kept up to a byte bound: the first lines ('head', e.g. `version`) or the last ones ('tail', restic's last words). */
class BoundedText {
  private readonly lines: string[] = [];
  private bytes = 0;
  truncated = false;
  constructor(
    private readonly maxBytes: number,
    private readonly keep: 'head' | 'tail',
  ) {}

  push(line: string): void {
    const size = Buffer.byteLength(line) + 1;
    if (this.keep === 'head') {
      if (this.bytes + size > this.maxBytes) {
        this.truncated = true;
        return;
      }
    } else {
      while (this.lines.length > 0 && this.bytes + size > this.maxBytes) {
        this.bytes -= Buffer.byteLength(this.lines.shift()!) + 1;
        this.truncated = true;
      }
      if (size > this.maxBytes) {
        this.truncated = true;
        return;
      }
    }
    this.lines.push(line);
    this.bytes += size;
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/**
 * A short command that is not restic (the metered-network probe's `nmcli`), with the same spawn rules: the given
 * environment only, stdin closed, output bounded, a timeout. Never throws for how the command ended: the caller reads
 * `spawnFailure` (not installed), `timedOut` and `exitCode`.
 */
export function captureCommand(binary: string, args: readonly string[], opts: { env: Record<string, string>; timeoutMs: number }): Promise<ResticResult> {
  return restic(args, { binary, env: opts.env }, binary, { kind: 'version', timeoutMs: opts.timeoutMs, maxOutputBytes: 256 * 1024, stopGraceMs: 500 }).catch(
    resultOfFailure,
  );
}

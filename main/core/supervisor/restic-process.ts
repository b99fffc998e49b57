// Supervises one restic process: starts it through restic/run-restic.ts (stream mode: stdin closed, stdout and stderr
// always drained), parses every line synchronously into in-memory state, watches for stalls, and cancels with
// SIGINT -> SIGTERM -> SIGKILL so that the process is gone in bounded time even when restic or its backend is frozen.
//
// Nothing here awaits a listener: `onEvent` is called synchronously with small values and must return quickly
// (the engine's listener only updates memory). A listener that throws is isolated.
import type { ItemError, Progress, StallEvidence } from '../../common/index.js';
import type { ResticMessage } from '../restic/messages.js';
import { parseResticLine } from '../restic/parse.js';
import { streamRestic, type ResticChild, type ResticExit } from '../restic/run-restic.js';
import type { OpKind } from '../../common/index.js';
import { processCpuSeconds, processIoBytes } from '../process/process-identity.js';
import { setLongTimeout, type LongTimeout } from '../timers/long-timeout.js';
import { ProgressTracker, WAITING_AFTER_MS } from './progress-tracker.js';

export interface SupervisorClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const realClock: SupervisorClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export type SupervisorEvent =
  | { type: 'started'; pid: number }
  | { type: 'progress'; progress: Progress }
  | { type: 'message'; message: ResticMessage; stream: 'stdout' | 'stderr' }
  /** A line worth keeping in the operation's output (text lines, errors; not the flood of status lines). */
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'stalled'; evidence: StallEvidence }
  | { type: 'resumed'; stalledForMs: number }
  /** No forward progress for WAITING_AFTER_MS (ISO time of the last), or null once it moves again. */
  | { type: 'waiting'; since: string | null }
  | { type: 'cancelling'; signal: NodeJS.Signals };

/** `timeout`: Backstay's own bound on a command (e.g. the unlock after a cancel) ran out. */
/** `restart`: stopped to start again with other bandwidth limits ("Slow down backups", conditions/slow-down.ts). */
export type CancelReason = 'user' | 'shutdown' | 'stall' | 'timeout' | 'restart';

export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  cancelReason: CancelReason | null;
  /** The last stderr lines (restic's own words for a failure). */
  stderrTail: string[];
  /** The last stdout lines that were not status lines (text, garbage, unknown JSON), each cut to a few hundred chars. */
  stdoutTail: string[];
  exitError: { code: number; message: string } | null;
  summary: Record<string, unknown> | null;
  snapshotId: string | null;
  itemErrors: ItemError[];
  progress: Progress;
  /** restic did not exit even after SIGKILL within the bound (a process stuck in the kernel). */
  abandoned: boolean;
  /** Spawning failed (binary vanished, permission, argument list too long): a short message, never the argv. */
  spawnError: string | null;
  /** The system's code for the spawn failure (ENOENT, EACCES, E2BIG, ...), when it gave one. */
  spawnErrorCode: string | null;
}

export interface ResticProcessOptions {
  binary: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  kind: OpKind;
  stallAfterMs: number;
  cancelGraceMs: number;
  /** After SIGTERM, how long before SIGKILL. */
  termGraceMs?: number;
  /** After SIGKILL, how long before we stop waiting and call the process abandoned. */
  killWaitMs?: number;
  /** Report `waiting` after this long without forward progress (default WAITING_AFTER_MS); null: never (commands
   * that print nothing for long stretches, where silence is not waiting). */
  waitingAfterMs?: number | null;
  maxLineBytes?: number;
  clock?: SupervisorClock;
  onEvent?: (event: SupervisorEvent) => void;
  /** Where to read CPU time of a pid (tests may fake it). */
  cpuSeconds?: (pid: number) => number | null;
  /** Where to read the total bytes a pid has read and written (tests may fake it). */
  ioBytes?: (pid: number) => number | null;
}

const STDERR_TAIL_LINES = 20;
const STDOUT_TAIL_LINES = 5;
const MAX_ITEM_ERRORS = 1000;
const MAX_LOGGED_TEXT_LINES = 5000;
/**
 * I/O beyond restic's own output that counts as forward progress per watchdog tick. restic 0.14's bytes_done counts
 * bytes READ from the source; on a slow uplink it reaches 100% long before the upload ends and then repeats itself.
 * The upload still moves restic's write counter, while a frozen backend stops it. restic's writes of its status
 * lines to us (~20 KB/s) are subtracted, and this threshold is well above what is left of them.
 */
const IO_PROGRESS_BYTES_PER_TICK = 256 * 1024;

export class ResticProcess {
  readonly done: Promise<ProcessOutcome>;
  private resolveDone!: (outcome: ProcessOutcome) => void;
  private readonly clock: SupervisorClock;
  private readonly tracker: ProgressTracker;
  private child: ResticChild | null = null;
  private pidValue: number | null = null;
  private stalledAt: number | null = null;
  private cpuAtLastProgress: number | null = null;
  private progressSinceLastTick = true;
  private watchdog: unknown = null;
  private escalationTimers: LongTimeout[] = [];
  private waitingReported = false;
  private readonly stdoutTail: string[] = [];
  private cancelReason: CancelReason | null = null;
  private finished = false;
  private readonly stderrTail: string[] = [];
  private exitError: ProcessOutcome['exitError'] = null;
  private summary: Record<string, unknown> | null = null;
  private snapshotId: string | null = null;
  private readonly itemErrors: ItemError[] = [];
  private loggedTextLines = 0;
  /** Bytes restic wrote to our pipes (approximately: line lengths), to tell its output from real I/O. */
  private pipeBytes = 0;
  private lastNetIo: number | null = null;

  constructor(private readonly opts: ResticProcessOptions) {
    this.clock = opts.clock ?? realClock;
    this.tracker = new ProgressTracker(() => this.clock.now(), { waitingAfterMs: opts.waitingAfterMs ?? WAITING_AFTER_MS });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get pid(): number | null {
    return this.pidValue;
  }

  get progress(): Progress {
    return this.tracker.progress;
  }

  get stalled(): boolean {
    return this.stalledAt !== null;
  }

  start(): void {
    const { binary, args, env, cwd } = this.opts;
    const child = streamRestic({ binary, env, cwd }, args, {
      onLine: (stream, text, truncated) => this.onLine(stream, text, truncated),
      maxStdoutLineBytes: this.opts.maxLineBytes,
      maxStderrLineBytes: this.opts.maxLineBytes,
      // Its own process group: a Ctrl-C in the terminal reaches Backstay, which decides what restic gets.
      ownProcessGroup: true,
      setTimer: (fn, ms) => this.clock.setTimeout(fn, ms),
    });
    this.child = child;
    void child.done.then((exit) => this.finish(outcomeOfExit(exit)));
    if (child.pid === null) return;
    this.pidValue = child.pid;
    this.emit({ type: 'started', pid: child.pid });
    const tick = Math.max(100, Math.min(1000, Math.floor(this.opts.stallAfterMs / 4)));
    this.watchdog = this.clock.setInterval(() => this.checkStall(), tick);
  }

  /** Cancel: SIGINT now, SIGTERM after the grace period, SIGKILL after a few more seconds. Idempotent. */
  cancel(reason: CancelReason): void {
    // Before restic's start failed or after it exited there is nothing to signal; a cancel that arrives while a
    // failed start is still being reported is remembered in the outcome.
    if (this.cancelReason !== null || this.finished || (this.child?.pid != null && this.child.exited)) return;
    this.cancelReason = reason;
    const child = this.child;
    if (child === null || child.pid === null) return;
    this.emit({ type: 'cancelling', signal: 'SIGINT' });
    child.interrupt();
    const termGrace = this.opts.termGraceMs ?? 3000;
    // Long timeouts: a grace period beyond 2^31-1 ms must not make a plain setTimeout fire at once.
    this.escalationTimers.push(
      setLongTimeout(() => {
        if (this.hasExited()) return;
        this.emit({ type: 'cancelling', signal: 'SIGTERM' });
        child.signalTree('SIGTERM');
      }, this.opts.cancelGraceMs, this.clock),
      setLongTimeout(() => {
        if (this.hasExited()) return;
        this.emit({ type: 'cancelling', signal: 'SIGKILL' });
        child.signalTree('SIGKILL');
      }, this.opts.cancelGraceMs + termGrace, this.clock),
      setLongTimeout(() => {
        if (this.hasExited()) return;
        // Bounded: a process that survives SIGKILL (stuck in the kernel) no longer keeps the operation alive.
        this.finish({ abandoned: true });
      }, this.opts.cancelGraceMs + termGrace + (this.opts.killWaitMs ?? 5000), this.clock),
    );
  }

  /** The user chose to keep waiting on a stalled operation: restart the stall clock. */
  keepWaiting(): void {
    this.tracker.restartStallClock();
    this.onForwardProgress();
  }

  private onLine(stream: 'stdout' | 'stderr', text: string, truncated: boolean): void {
    this.pipeBytes += text.length + 1;
    if (text.length === 0) return;
    const message = parseResticLine(text, { kind: this.opts.kind });
    if (stream === 'stderr') {
      this.stderrTail.push(text.length > 2000 ? text.slice(0, 2000) : text);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    } else if (message.type === 'text' || message.type === 'unknown') {
      // What restic said on stdout besides its JSON: the last words of a run that ended without a summary.
      this.stdoutTail.push(text.length > 500 ? `${text.slice(0, 500)} [line cut]` : truncated ? `${text} [line cut]` : text);
      if (this.stdoutTail.length > STDOUT_TAIL_LINES) this.stdoutTail.shift();
    }
    switch (message.type) {
      case 'status':
      case 'restore_status': {
        const forward = this.tracker.onStatus(message.progress);
        // Resumed first, so that a listener sees "moving again" before numbers that moved.
        if (forward) this.onForwardProgress();
        this.emit({ type: 'progress', progress: this.tracker.progress });
        return;
      }
      case 'summary':
        this.summary = { ...message.summary };
        this.snapshotId = message.snapshotId;
        break;
      case 'restore_summary':
        this.summary = message.summary;
        break;
      case 'error':
        if (this.itemErrors.length < MAX_ITEM_ERRORS) {
          this.itemErrors.push({ path: message.item, during: message.during, message: message.message });
        }
        this.log(stream, message.item ? `error: ${message.item}: ${message.message}` : `error: ${message.message}`);
        break;
      case 'exit_error':
        this.exitError = { code: message.code, message: message.message };
        this.log(stream, message.message);
        break;
      case 'text':
        this.log(stream, truncated ? `${text} [line cut]` : text);
        // restic's retry notices mean trouble, not progress.
        if (stream === 'stderr' && /retrying|returned error|connection refused|timeout/i.test(text)) {
          this.emit({ type: 'message', message, stream });
          return;
        }
        break;
      case 'verbose_status':
      case 'unknown':
        break;
    }
    this.tracker.onOtherMessage();
    this.onForwardProgress();
    this.emit({ type: 'message', message, stream });
  }

  private log(stream: 'stdout' | 'stderr', text: string): void {
    if (this.loggedTextLines >= MAX_LOGGED_TEXT_LINES) return;
    this.loggedTextLines += 1;
    this.emit({ type: 'log', stream, text });
  }

  private onForwardProgress(): void {
    this.progressSinceLastTick = true;
    if (this.waitingReported) {
      this.waitingReported = false;
      this.emit({ type: 'waiting', since: null });
    }
    if (this.stalledAt !== null) this.markResumed();
  }

  /** Once nothing has moved for the waiting threshold: say so, and show the numbers without a rate or an ETA. */
  private checkWaiting(): void {
    if (this.opts.waitingAfterMs === null || this.waitingReported || this.stalledAt !== null) return;
    const since = this.tracker.waitingSince();
    if (since === null) return;
    this.waitingReported = true;
    this.emit({ type: 'waiting', since: new Date(since).toISOString() });
    this.emit({ type: 'progress', progress: this.tracker.progress });
  }

  private markResumed(): void {
    const stalledForMs = this.clock.now() - (this.stalledAt ?? this.clock.now());
    this.stalledAt = null;
    this.emit({ type: 'resumed', stalledForMs });
  }

  private checkStall(): void {
    if (this.hasExited() || this.pidValue === null) return;
    if (this.ioMovedSinceLastTick()) {
      this.tracker.onOtherMessage();
      this.onForwardProgress();
    }
    const cpu = this.readCpu();
    if (this.progressSinceLastTick) {
      this.progressSinceLastTick = false;
      this.cpuAtLastProgress = cpu;
    }
    if (this.stalledAt !== null) return;
    const since = this.tracker.lastForwardProgressAt;
    if (this.clock.now() - since < this.opts.stallAfterMs) {
      this.checkWaiting();
      return;
    }
    this.stalledAt = this.clock.now();
    // Stalled supersedes waiting; after a resume, waiting is judged afresh.
    this.waitingReported = false;
    const evidence: StallEvidence = {
      since: new Date(since).toISOString(),
      bytesDone: this.tracker.bytesDone,
      filesDone: this.tracker.filesDone,
      cpuSeconds: cpu,
      cpuSecondsSinceProgress: cpu !== null && this.cpuAtLastProgress !== null ? round2(cpu - this.cpuAtLastProgress) : null,
    };
    this.emit({ type: 'stalled', evidence });
  }

  private ioMovedSinceLastTick(): boolean {
    if (this.pidValue === null) return false;
    let io: number | null = null;
    try {
      io = (this.opts.ioBytes ?? processIoBytes)(this.pidValue);
    } catch {
      io = null;
    }
    if (io === null) return false;
    const net = io - this.pipeBytes;
    const previous = this.lastNetIo;
    this.lastNetIo = net;
    return previous !== null && net - previous >= IO_PROGRESS_BYTES_PER_TICK;
  }

  private readCpu(): number | null {
    if (this.pidValue === null) return null;
    try {
      return (this.opts.cpuSeconds ?? processCpuSeconds)(this.pidValue);
    } catch {
      return null;
    }
  }

  /** restic's process is gone (or was never there), or the outcome is already decided. */
  private hasExited(): boolean {
    return this.finished || this.child === null || this.child.exited;
  }

  private finish(partial: Partial<ProcessOutcome>): void {
    if (this.finished) return;
    if (this.watchdog !== null) this.clock.clearInterval(this.watchdog);
    for (const timer of this.escalationTimers) timer.cancel();
    this.escalationTimers = [];
    this.finished = true;
    this.resolveDone({
      exitCode: null,
      signal: null,
      cancelReason: this.cancelReason,
      stderrTail: [...this.stderrTail],
      stdoutTail: [...this.stdoutTail],
      exitError: this.exitError,
      summary: this.summary,
      snapshotId: this.snapshotId,
      itemErrors: [...this.itemErrors],
      progress: this.tracker.progress,
      abandoned: false,
      spawnError: null,
      spawnErrorCode: null,
      ...partial,
    });
  }

  private emit(event: SupervisorEvent): void {
    try {
      this.opts.onEvent?.(event);
    } catch {
      // A listener's failure must never reach restic's output path.
    }
  }
}

function outcomeOfExit(exit: ResticExit): Partial<ProcessOutcome> {
  if (exit.spawnFailure) return { spawnError: exit.spawnFailure.message, spawnErrorCode: exit.spawnFailure.code };
  return { exitCode: exit.exitCode, signal: exit.signal };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

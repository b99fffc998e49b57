// Who owns a live operation, and is it still that process? A pid alone is not enough: after a crash the pid can be
// reused by an unrelated program, and an operation would then stay "running" forever. So an owner is recorded as
// (pid, start time) and is alive only if a process with that pid exists AND started at that time.
// Linux tells start time and CPU time through /proc; elsewhere these helpers return null and callers fall back.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** ISO time the process started. */
  startedAt: string;
}

/** USER_HZ: the unit of times in /proc/PID/stat. 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * How far a recomputed start time may be from the recorded one and still be the same process. /proc/stat's btime
 * is whole seconds and may read ±1 s apart, and it moves when the wall clock is stepped (NTP after boot). Declaring
 * a living owner dead would kill its restic, which is far worse than missing a pid reuse that would need the pid
 * space to wrap within these few seconds of the original start.
 */
export const START_TIME_TOLERANCE_MS = 5000;

interface ProcStat {
  state: string;
  ppid: number;
  utimeTicks: number;
  stimeTicks: number;
  startTicks: number;
}

const isLinux = process.platform === 'linux';

/** Parses /proc/PID/stat. The command name (field 2) may hold spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // fields[0] is field 3 (state) of proc(5); field N is fields[N - 3].
  const fields = text.slice(close + 2).trim().split(' ');
  const num = (field: number) => Number(fields[field - 3]);
  const stat = {
    state: fields[0] ?? '',
    ppid: num(4),
    utimeTicks: num(14),
    stimeTicks: num(15),
    startTicks: num(22),
  };
  return Number.isFinite(stat.ppid) && Number.isFinite(stat.startTicks) ? stat : null;
}

function readProcStat(pid: number): ProcStat | null {
  if (!isLinux || !isValidPid(pid)) return null;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Boot time in ms since the epoch, from /proc/stat `btime`. Read each time: it moves when the clock is stepped. */
function bootTimeMs(): number | null {
  if (!isLinux) return null;
  try {
    const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return match ? Number(match[1]) * 1000 : null;
  } catch {
    return null;
  }
}

function isValidPid(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isInteger(pid) && pid > 0;
}

/** ISO start time of a process, or null if it does not exist or the OS cannot tell. */
export function processStartTime(pid: number): string | null {
  const stat = readProcStat(pid);
  const boot = stat ? bootTimeMs() : null;
  if (!stat || boot === null) return null;
  return new Date(boot + (stat.startTicks * 1000) / CLOCK_TICKS_PER_SECOND).toISOString();
}

let selfIdentity: ProcessIdentity | undefined;

/** This process, as recorded on the operations it owns. */
export function currentProcessIdentity(): ProcessIdentity {
  selfIdentity ??= {
    pid: process.pid,
    startedAt:
      processStartTime(process.pid) ?? new Date(Date.now() - process.uptime() * 1000).toISOString(),
  };
  return { ...selfIdentity };
}

/** A process with this pid exists (signal 0 checks without sending anything; EPERM means it exists but is not ours). */
export function isPidAlive(pid: number): boolean {
  if (!isValidPid(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A zombie has exited; only its exit status waits to be collected.
  const stat = readProcStat(pid);
  return !(stat && (stat.state === 'Z' || stat.state === 'X'));
}

/**
 * The process `pid` is alive and is the one that started at `startedAt` (not a later process that reused the pid).
 * Where the OS cannot tell start times, or none was recorded, this is only "some process has that pid".
 */
export function isSameProcessAlive(pid: number, startedAt: string | null): boolean {
  if (!isPidAlive(pid)) return false;
  if (startedAt === null) return true;
  const recorded = Date.parse(startedAt);
  const actual = processStartTime(pid);
  if (actual === null || Number.isNaN(recorded)) return true;
  return Math.abs(Date.parse(actual) - recorded) <= START_TIME_TOLERANCE_MS;
}

/** CPU seconds (user + system) a process has used, for stall evidence; null where the OS does not tell. */
export function processCpuSeconds(pid: number): number | null {
  const stat = readProcStat(pid);
  return stat ? (stat.utimeTicks + stat.stimeTicks) / CLOCK_TICKS_PER_SECOND : null;
}

/**
 * Bytes a process has passed to read() and write() calls in total (Linux /proc/PID/io rchar + wchar), or null where
 * the OS does not tell. Counts sockets and pipes too, which is the point: an upload moving is I/O even when restic's
 * own progress counter (bytes read from the source) no longer changes.
 */
export function processIoBytes(pid: number): number | null {
  if (!isLinux || !isValidPid(pid)) return null;
  try {
    const text = readFileSync(`/proc/${pid}/io`, 'latin1');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    const total = field('rchar') + field('wchar');
    return Number.isFinite(total) ? total : null;
  } catch {
    return null;
  }
}

/** The command line of a process (arguments joined by spaces), or null where the OS does not tell. */
export function processCommandLine(pid: number): string | null {
  if (!isLinux || !isValidPid(pid)) return null;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return null;
  }
}

/** Every descendant of pid (children, grandchildren, ...), from one pass over /proc. Empty off Linux. */
export function descendantPids(pid: number): number[] {
  if (!isLinux || !isValidPid(pid)) return [];
  const childrenOf = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    const child = Number(entry);
    if (!isValidPid(child)) continue;
    const stat = readProcStat(child);
    if (!stat) continue;
    const siblings = childrenOf.get(stat.ppid);
    if (siblings) siblings.push(child);
    else childrenOf.set(stat.ppid, [child]);
  }
  const result: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of childrenOf.get(queue.shift()!) ?? []) {
      if (result.includes(child)) continue;
      result.push(child);
      queue.push(child);
    }
  }
  return result;
}

/**
 * Sends signal to pid and all its descendants (collected before signalling, since children are re-parented once
 * their parent dies). Returns the pids that were signalled; processes already gone are skipped silently.
 */
export function killProcessTree(pid: number, signal: NodeJS.Signals): number[] {
  const targets = [pid, ...descendantPids(pid)];
  const signalled: number[] = [];
  for (const target of targets) {
    try {
      process.kill(target, signal);
      signalled.push(target);
    } catch {
      // ESRCH: already gone. EPERM: not ours to kill; nothing more we can do.
    }
  }
  return signalled;
}

/** Blocks up to timeoutMs until pid is gone. Synchronous on purpose: used only at startup reconciliation. */
export function waitForExitSync(pid: number, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (isPidAlive(pid)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(sleeper, 0, 0, Math.min(10, left));
  }
  return true;
}

/**
 * SIGTERM to the tree, up to graceMs for the root to exit (restic 0.17+ removes its lock on SIGTERM, unless its
 * backend is frozen), then SIGKILL to whatever of the tree is left. Returns whether the root is gone.
 */
export function terminateProcessTreeSync(pid: number, graceMs = 1500): boolean {
  const tree = [pid, ...descendantPids(pid)];
  for (const target of tree) signalQuietly(target, 'SIGTERM');
  if (waitForExitSync(pid, graceMs)) {
    for (const target of tree.slice(1)) signalQuietly(target, 'SIGKILL');
    return true;
  }
  for (const target of tree) signalQuietly(target, 'SIGKILL');
  return waitForExitSync(pid, graceMs);
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone, or not ours
  }
}

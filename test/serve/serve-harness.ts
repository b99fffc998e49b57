// Helpers for the `backstay serve` integration tests: the real serve process (through tsx), its ready line, the
// restic processes a test left behind, generated source data, and an SSE recorder.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import type { AppState, RunningOp } from '../../main/common/index.js';
import { HostClient } from '../../main/hosts/headless/client.js';
import { CLI_ENTRY } from '../helpers/cli.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildCli {
  child: ChildProcess;
  pid: number;
  /** Every stdout line so far. */
  lines: string[];
  stderr(): string;
  /** Resolves with the first stdout line that `match` accepts (rejects after timeoutMs or on exit). */
  waitForLine(match: (line: string) => boolean, timeoutMs: number, what: string): Promise<string>;
  exited: Promise<Exit>;
}

/** Starts `backstay ARGS` (tsx, no build) with stdout read line by line. */
export function spawnBackstay(args: string[], env: Record<string, string> = {}): ChildCli {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let errText = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    errText += chunk;
  });
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const wake of [...waiters]) wake();
  });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    for (const wake of [...waiters]) wake();
  });
  const waitForLine = (match: (line: string) => boolean, timeoutMs: number, what: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found !== undefined) return done(null, found);
        if (hasExited) return done(new Error(`backstay ${args[0]} exited before ${what}; stderr: ${errText.slice(-2000)}`));
      };
      const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${errText.slice(-2000)}`)), timeoutMs);
      const done = (error: Error | null, line?: string) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(line!);
      };
      waiters.add(check);
      check();
    });
  return { child, pid: child.pid!, lines, stderr: () => errText, waitForLine, exited };
}

export interface ServeProcess extends ChildCli {
  port: number;
  token: string;
  client: HostClient;
  /** Sends the signal and resolves with the exit (rejects after timeoutMs, killing the process). */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit>;
}

/** Starts the real `backstay serve --port 0` and waits for its ready line. */
export async function startServeProcess(dataDir: string, timeoutMs = 30_000): Promise<ServeProcess> {
  const cli = spawnBackstay(['serve', '--data-dir', dataDir, '--port', '0']);
  let line: string;
  try {
    line = await cli.waitForLine((l) => l.startsWith('{') && l.includes('"ready"'), timeoutMs, 'the ready line');
  } catch (error) {
    cli.child.kill('SIGKILL');
    throw error;
  }
  const ready = JSON.parse(line) as { ready: boolean; port: number; token: string; url: string };
  return {
    ...cli,
    port: ready.port,
    token: ready.token,
    client: new HostClient({ port: ready.port, token: ready.token }),
    async stop(signal, stopTimeoutMs) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          cli.child.kill('SIGKILL');
          reject(new Error(`backstay serve did not exit within ${stopTimeoutMs} ms of ${signal}`));
        }, stopTimeoutMs);
      });
      try {
        return await Promise.race([cli.exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Kills a child that a failed test left running (no-op once it has exited). */
export async function killIfRunning(cli: ChildCli | null): Promise<void> {
  if (!cli || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  cli.child.kill('SIGKILL');
  await cli.exited;
}

/** pids of live restic processes whose command line mentions `marker` (a test's temp root). Zombies excluded. */
export function resticProcessesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (comm !== 'restic' || state === 'Z') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Writes `count` files of `bytes` random bytes (random: restic cannot deduplicate them). */
export async function writeRandomFiles(dir: string, count: number, bytes: number, prefix = 'big'): Promise<void> {
  for (let i = 0; i < count; i += 1) await writeFile(path.join(dir, `${prefix}-${i}.bin`), randomBytes(bytes));
}

/**
 * restic's own upload limit (KiB/s; it applies to the local backend too): the backup stays in progress for a
 * predictable time without gigabytes of test data or a busy disk.
 */
export function uploadLimitFlags(kibPerSecond: number): string[] {
  return ['--limit-upload', String(kibPerSecond)];
}

/**
 * Follows /api/events: keeps the latest snapshot whole, and of every snapshot only its arrival time, version and
 * live operations (small), so that a long recording does not itself grow the heap that a test measures.
 */
export class SnapshotRecorder {
  readonly snapshots: Array<{ at: number; version: number; running: RunningOp[] }> = [];
  private last: AppState | null = null;
  private readonly abort = new AbortController();
  readonly done: Promise<void>;

  constructor(client: HostClient) {
    this.done = client
      .events((state) => {
        this.last = state;
        this.snapshots.push({ at: Date.now(), version: state.version, running: state.running });
      }, this.abort.signal)
      .catch(() => undefined);
  }

  latest(): AppState | null {
    return this.last;
  }

  running(opId: number): RunningOp | undefined {
    return this.last?.running.find((r) => r.opId === opId);
  }

  /** Whether any snapshot so far showed the operation with this status. */
  sawStatus(opId: number, status: RunningOp['status']): boolean {
    return this.snapshots.some((s) => s.running.some((r) => r.opId === opId && r.status === status));
  }

  stop(): Promise<void> {
    this.abort.abort();
    return this.done;
  }
}

/** A real gc() without --expose-gc on the command line (vitest starts the workers). */
export function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

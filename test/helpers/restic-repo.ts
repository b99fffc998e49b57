// A real restic repository in a temp folder, for tests and the benchmark. restic gets the password through
// RESTIC_PASSWORD in its environment (never argv) and a closed stdin; stdout is streamed line by line.
import { accessSync, constants as fsConstants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { execa } from 'execa';
import type { ResticCommandRunner, ResticRunHandlers, ResticRunResult } from '../../main/core/snapshots/runner.js';

const STDERR_TAIL_LINES = 20;

export interface TempRepo {
  dir: string;
  repoPath: string;
  password: string;
  env: Record<string, string>;
  /** Runs restic for this repository (any repoId); `calls` records every argument list. */
  runner: ResticCommandRunner & { calls: string[][] };
  /** `restic backup` of absolute paths; resolves to the new snapshot's short id. */
  backup(paths: string[], tags?: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

/**
 * `parentDir` defaults to os.tmpdir(); tests with very many files may pass a RAM-backed folder (see
 * `fastTempParent`), since creating 100,000 files on a busy disk can take longer than the rest of the test.
 */
export async function createTempRepo(opts: { parentDir?: string } = {}): Promise<TempRepo> {
  const dir = await mkdtemp(path.join(opts.parentDir ?? os.tmpdir(), 'backstay-restic-'));
  const repoPath = path.join(dir, 'repo');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    RESTIC_REPOSITORY: repoPath,
    RESTIC_PASSWORD: password,
    RESTIC_CACHE_DIR: path.join(dir, 'cache'),
  };
  const runner = createEnvRunner(env);
  const init = await runner.run('test', ['init'], { onStdoutLine: () => undefined });
  if (init.exitCode !== 0) throw new Error(`restic init failed: ${init.stderrTail.join('\n')}`);

  return {
    dir,
    repoPath,
    password,
    env,
    runner,
    async backup(paths, tags = []) {
      let snapshotId: string | null = null;
      const args = ['backup', '--json', ...tags.flatMap((t) => ['--tag', t]), ...paths];
      const result = await runner.run('test', args, {
        onStdoutLine: (line) => {
          if (line.includes('"summary"')) snapshotId = (JSON.parse(line) as { snapshot_id?: string }).snapshot_id ?? null;
        },
      });
      if (result.exitCode !== 0 || !snapshotId) throw new Error(`restic backup failed: ${result.stderrTail.join('\n')}`);
      return snapshotId;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** /dev/shm (tmpfs) where it exists and is writable, else os.tmpdir(). */
export function fastTempParent(): string {
  try {
    accessSync('/dev/shm', fsConstants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/** A runner that runs /usr/bin/restic (or $BACKSTAY_RESTIC) with a fixed environment. */
export function createEnvRunner(env: Record<string, string>): ResticCommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const binary = process.env.BACKSTAY_RESTIC ?? 'restic';
  return {
    calls,
    async run(_repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult> {
      calls.push(args);
      const child = execa(binary, args, {
        env,
        extendEnv: false,
        stdin: 'ignore',
        buffer: false,
        reject: false,
        cancelSignal: handlers.signal,
      });
      const stderrTail: string[] = [];
      const out = readline.createInterface({ input: child.stdout!, crlfDelay: Infinity });
      const err = readline.createInterface({ input: child.stderr!, crlfDelay: Infinity });
      out.on('line', (line) => handlers.onStdoutLine(line));
      err.on('line', (line) => {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      });
      const [result] = await Promise.all([child, onceClosed(out), onceClosed(err)]);
      return { exitCode: result.exitCode ?? null, stderrTail };
    },
  };
}

function onceClosed(rl: readline.Interface): Promise<void> {
  return new Promise((resolve) => rl.once('close', () => resolve()));
}

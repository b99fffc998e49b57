// A real restic repository in a temp folder, for tests and the benchmark. restic gets the password through
// RESTIC_PASSWORD in its environment (never argv) and a closed stdin; stdout is streamed line by line by the
// engine's own runner.
import { accessSync, constants as fsConstants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createResticRunner, type ResticCommandRunner, type ResticRunHandlers, type ResticRunResult } from '../../main/core/snapshots/runner.js';

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

/**
 * The engine's own runner (restic/run-restic.ts in stream mode) for /usr/bin/restic (or $BACKSTAY_RESTIC) with a
 * fixed environment, so that the snapshot tests go through the code the app runs.
 */
export function createEnvRunner(env: Record<string, string>): ResticCommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const binary = process.env.BACKSTAY_RESTIC ?? 'restic';
  const runner = createResticRunner(async () => ({ binary, env, flags: [] }));
  return {
    calls,
    run(repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult> {
      calls.push(args);
      return runner.run(repoId, args, handlers);
    },
  };
}

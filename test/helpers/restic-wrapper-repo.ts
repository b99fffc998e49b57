// A real restic repository in a temp dir, for the restic wrapper's tests (main/core/restic) that run the real
// restic binary (0.14 here) directly, with nothing of Backstay between.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const REAL_RESTIC = process.env.BACKSTAY_TEST_RESTIC ?? '/usr/bin/restic';

export interface TempRepo {
  dir: string;
  repo: string;
  password: string;
  /** Env for the real restic: repository and password, no inherited RESTIC_* variables. */
  env: Record<string, string>;
  run(args: string[], opts?: { env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

export async function makeTempRepo(opts: { init?: boolean } = {}): Promise<TempRepo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-restic-'));
  const repo = path.join(dir, 'repo');
  const password = 'correct horse battery staple';
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('RESTIC_')) base[k] = v;
  const env = { ...base, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: password, RESTIC_CACHE_DIR: path.join(dir, 'cache') };
  const run: TempRepo['run'] = (args, o = {}) =>
    new Promise((resolve) => {
      const child = execFile(REAL_RESTIC, args, { env: o.env ?? env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
      child.stdin?.end();
    });
  if (opts.init !== false) {
    const r = await run(['init']);
    if (r.code !== 0) throw new Error(`restic init failed: ${r.stderr}`);
  }
  return { dir, repo, password, env, run, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

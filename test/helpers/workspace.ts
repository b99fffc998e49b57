// A throwaway Backstay data directory with a real restic repository and source files, for engine and CLI tests.
import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';

export interface Workspace {
  root: string;
  dataDir: string;
  repoPath: string;
  sourceDir: string;
  passwordFile: string;
  password: string;
  /** Writes config.json (version 1) with one repo "local" and the given plans (default one plan "home" over sourceDir). */
  writeConfig(overrides?: { plans?: unknown[]; repos?: unknown[]; settings?: Record<string, unknown> }): Promise<void>;
  /** Runs restic directly against the repository (password by file). */
  restic(args: string[], uri?: string): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

export async function createWorkspace(opts: { init?: boolean; files?: number; fileBytes?: number } = {}): Promise<Workspace> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'backstay-test-'));
  const dataDir = path.join(root, 'data');
  const repoPath = path.join(root, 'repo');
  const sourceDir = path.join(root, 'source');
  const passwordFile = path.join(root, 'password');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await mkdir(dataDir, { recursive: true });
  await mkdir(sourceDir, { recursive: true });
  await writeFile(passwordFile, password, { mode: 0o600 });
  const files = opts.files ?? 5;
  for (let i = 0; i < files; i += 1) {
    await writeFile(path.join(sourceDir, `file-${i}.bin`), randomBytes(opts.fileBytes ?? 4096));
  }
  const restic = async (args: string[], uri = repoPath) => {
    const r = await execa('restic', args, {
      env: { RESTIC_REPOSITORY: uri, RESTIC_PASSWORD_FILE: passwordFile },
      stdin: 'ignore',
      reject: false,
    });
    return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  if (opts.init !== false) {
    const r = await restic(['init']);
    if (r.exitCode !== 0) throw new Error(`restic init failed: ${r.stderr}`);
  }
  const ws: Workspace = {
    root,
    dataDir,
    repoPath,
    sourceDir,
    passwordFile,
    password,
    restic,
    async writeConfig(overrides = {}) {
      const config = {
        version: 1,
        repos: overrides.repos ?? [{ id: 'local', uri: repoPath, password: { file: passwordFile } }],
        plans: overrides.plans ?? [{ id: 'home', repo: 'local', paths: [sourceDir] }],
        settings: { stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4, ...overrides.settings },
      };
      await writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
    },
    async cleanup() {
      await chmod(root, 0o700).catch(() => undefined);
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  return ws;
}

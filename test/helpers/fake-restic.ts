// Sets up the scriptable fake restic (test/fixtures/fake-restic.mjs) in a test's temp dir.
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_RESTIC_SCRIPT_PATH = fileURLToPath(new URL('../fixtures/fake-restic.mjs', import.meta.url));

export type FakeResticStep =
  | { stdout: string }
  | { stderr: string }
  | { stdoutRaw: string }
  | { stderrRaw: string }
  | { sleepMs: number }
  | { floodStatus: number }
  | { repeatStatus: { bytesDone: number; everyMs?: number; count?: number; totalBytes?: number } }
  | { ignoreSigint: boolean }
  | { ignoreSigterm: boolean }
  | { hang: true }
  | { longLine: number }
  | { garbage: true }
  | { spawnChild: true | { detached: boolean } }
  | { writeFile: string }
  /** On SIGINT: run these steps, then exit with `exit` (a restic that finishes, or ends 0, after being asked to stop). */
  | { onSigint: { steps?: FakeResticStep[]; exit?: number } }
  | { exit: number };

export interface FakeResticPlan {
  steps?: FakeResticStep[];
  exitCode?: number;
}

export interface FakeResticScript extends FakeResticPlan {
  /** What `restic version` prints. */
  version?: string;
  /** Per-subcommand plans (e.g. "snapshots"); the top-level plan runs for any other command. */
  commands?: Record<string, FakeResticPlan>;
}

/**
 * Writes `script` to DIR/fake-restic.json and an executable DIR/restic that runs the fake with it.
 * The binary works on its own (its script path is baked in); `env` carries FAKE_RESTIC_SCRIPT too, for callers
 * that prefer to run the fixture directly. Each dir gets its own binary path, so version caching per path is safe.
 */
export async function makeFakeRestic(dir: string, script: FakeResticScript): Promise<{ binary: string; env: Record<string, string> }> {
  const scriptFile = path.join(dir, 'fake-restic.json');
  await writeFile(scriptFile, JSON.stringify(script));
  const binary = path.join(dir, 'restic');
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  await writeFile(
    binary,
    `#!/bin/sh\n: "\${FAKE_RESTIC_SCRIPT:=${scriptFile.replace(/[\\"$`]/g, '\\$&')}}"\nexport FAKE_RESTIC_SCRIPT\nexec ${q(process.execPath)} ${q(FAKE_RESTIC_SCRIPT_PATH)} "$@"\n`,
  );
  await chmod(binary, 0o755);
  return { binary, env: { FAKE_RESTIC_SCRIPT: scriptFile } };
}

// A short restic command outside the operation machinery (unlock before an exclusive operation, after a kill, or
// for a crashed process's stale locks), with a hard timeout so a frozen backend cannot hold anything up.
import { execa } from 'execa';

export interface QuickResticResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export async function runQuickRestic(opts: {
  binary: string;
  args: string[];
  env: Record<string, string>;
  timeoutMs: number;
  /** Stops restic early (SIGTERM, then SIGKILL), e.g. when the operation waiting for it is cancelled. */
  signal?: AbortSignal;
}): Promise<QuickResticResult> {
  const result = await execa(opts.binary, opts.args, {
    env: opts.env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: opts.timeoutMs,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    forceKillAfterDelay: 3000,
    maxBuffer: 1024 * 1024,
    cleanup: true,
  });
  return {
    exitCode: typeof result.exitCode === 'number' ? result.exitCode : null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut: Boolean(result.timedOut),
  };
}

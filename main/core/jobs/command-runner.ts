// Runs short, read-only restic commands for a repository (snapshots, ls, diff) outside the oplog, streaming stdout
// line by line. Same rules as the supervisor: password by env only, stdin closed, both pipes drained.
import { execa } from 'execa';
import type { ResticCommandRunner, ResticRunHandlers, ResticRunResult } from '../snapshots/runner.js';
import { readLines } from '../restic/line-reader.js';

const STDERR_TAIL = 20;

export interface RepoEnvResolver {
  (repoId: string): Promise<{ binary: string; env: Record<string, string>; flags: readonly string[] }>;
}

export function createCommandRunner(resolve: RepoEnvResolver): ResticCommandRunner {
  return {
    async run(repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult> {
      const { binary, env, flags } = await resolve(repoId);
      // The repository's own flags (e.g. --limit-download, -o options) apply to these commands too.
      const child = execa(binary, [...flags, ...args], {
        env,
        extendEnv: false,
        stdin: 'ignore',
        buffer: false,
        reject: false,
        cleanup: true,
        cancelSignal: handlers.signal,
        killSignal: 'SIGINT',
        forceKillAfterDelay: 5000,
        encoding: 'buffer',
      });
      const stderrTail: string[] = [];
      const out = readLines(child.stdout!, (text) => handlers.onStdoutLine(text), {
        maxLineBytes: handlers.maxLineBytes,
      });
      const err = readLines(child.stderr!, (text) => {
        stderrTail.push(text);
        if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
      });
      const result = await child;
      await Promise.all([out, err]);
      if (result.failed && result.exitCode === undefined && !result.signal && !result.isCanceled) {
        // Never started (ENOENT, EACCES, E2BIG): execa's message holds the whole command line; keep the short facts.
        const code = typeof result.code === 'string' ? result.code : null;
        const message = String(result.originalMessage || 'restic could not be started').slice(0, 300);
        return { exitCode: null, stderrTail, spawnError: { code, message } };
      }
      return { exitCode: typeof result.exitCode === 'number' ? result.exitCode : null, stderrTail };
    },
  };
}

// Runs the real `backstay` CLI as a child process (through tsx, so tests need no build step).
import { execa, type ResultPromise } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI_ENTRY = path.join(root, 'main/hosts/cli/main.ts');

export function backstay(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): ResultPromise<{
  reject: false;
}> {
  return execa(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    cwd: opts.cwd ?? root,
    env: { ...opts.env },
    reject: false,
    stdin: 'ignore',
  }) as never;
}

/** Parses JSON lines printed by `backstay backup --json`. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

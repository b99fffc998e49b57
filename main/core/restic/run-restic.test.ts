// The one restic entry point: capture mode (bounded result, named errors) and stream mode (lines, tree kill), against
// real restic where it can show the behaviour and the scriptable fake restic where it cannot.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFakeRestic, type FakeResticScript } from '../../../test/helpers/fake-restic.js';
import { REAL_RESTIC } from '../../../test/helpers/restic-wrapper-repo.js';
import { isAlive } from './process-tree.js';
import { restic, ResticError, resultOfFailure, streamRestic, type ResticOptions } from './run-restic.js';

let dir: string | null = null;
/** Processes a test started that must not outlive it, even when the test fails. */
const leftovers: number[] = [];
afterEach(async () => {
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

async function fake(script: FakeResticScript): Promise<{ binary: string; env: Record<string, string> }> {
  dir ??= await mkdtemp(path.join(os.tmpdir(), 'backstay-run-restic-'));
  const { binary } = await makeFakeRestic(dir, script);
  return { binary, env: { PATH: process.env.PATH ?? '' } };
}

const capture = (o: Partial<ResticOptions> = {}): ResticOptions => ({ kind: 'check', timeoutMs: 20_000, ...o });

async function failureOf(promise: Promise<unknown>): Promise<ResticError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ResticError);
  return err as ResticError;
}

describe('restic(): capture mode', () => {
  it('returns stdout and stderr of a command that succeeds', async () => {
    const target = await fake({ steps: [{ stdout: 'line one' }, { stderr: 'said on stderr' }, { stdout: 'line two' }], exitCode: 0 });
    const result = await restic(['check'], target, 'check', capture());
    expect(result).toMatchObject({ exitCode: 0, stdout: 'line one\nline two', stderr: 'said on stderr', timedOut: false, cancelled: false });
  });

  it.each([
    {
      name: 'words on stderr (0.14: everything is exit 1)',
      script: { steps: [{ stderr: 'Fatal: wrong password or no key found' }], exitCode: 1 },
      version: { major: 0, minor: 14, patch: 0 },
      code: 'WRONG_PASSWORD',
    },
    {
      name: 'exit code 11 of 0.17+',
      script: { steps: [{ stderr: 'Fatal: something restic says' }], exitCode: 11 },
      version: { major: 0, minor: 17, patch: 3 },
      code: 'REPOSITORY_LOCKED',
    },
    {
      name: 'an unreachable server is NETWORK',
      script: { steps: [{ stderr: 'Fatal: dial tcp 10.0.0.1:22: connect: connection refused' }], exitCode: 1 },
      version: { major: 0, minor: 14, patch: 0 },
      code: 'NETWORK',
    },
    {
      name: 'an exit code nobody knows',
      script: { exitCode: 42 },
      version: { major: 0, minor: 17, patch: 3 },
      code: 'RESTIC_FAILED',
    },
  ])('a failure is the named error of errors.ts: $name', async ({ script, version, code }) => {
    const target = await fake(script);
    const err = await failureOf(restic(['check'], { ...target, version }, 'check', capture()));
    expect(err.code).toBe(code);
    expect(err.error.code).toBe(code);
    expect(err.result.exitCode).toBe(script.exitCode);
  });

  it('an exit code the caller lists in successExitCodes is no failure', async () => {
    const target = await fake({ steps: [{ stdout: 'partly' }], exitCode: 3 });
    await expect(restic(['backup'], target, 'backup', capture({ kind: 'backup', successExitCodes: [0, 3] }))).resolves.toMatchObject({
      exitCode: 3,
      stdout: 'partly',
    });
    const err = await failureOf(restic(['backup'], target, 'backup', capture({ kind: 'backup' })));
    expect(err.result.exitCode).toBe(3);
    // For a caller that only logs the exit code.
    expect((await restic(['backup'], target, 'backup', capture({ kind: 'backup' })).catch(resultOfFailure)).exitCode).toBe(3);
  });

  it('a restic that hangs and ignores SIGINT is killed at the timeout: RESTIC_KILLED, in bounded time', async () => {
    const target = await fake({ steps: [{ ignoreSigint: true }, { stderr: 'Load(<lock/1234>) returned error, retrying' }, { hang: true }] });
    const started = Date.now();
    const err = await failureOf(restic(['unlock'], target, 'unlock', capture({ kind: 'unlock', timeoutMs: 300, stopGraceMs: 200 })));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.code).toBe('RESTIC_KILLED');
    expect(err.message).toMatch(/restic unlock did not finish within/);
    expect(err.result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(err.detail).toContain('retrying');
  });

  it('an abort stops restic: CANCELLED', async () => {
    const target = await fake({ steps: [{ stdout: 'started' }, { hang: true }] });
    const abort = new AbortController();
    const pending = restic(['unlock'], target, 'unlock', capture({ kind: 'unlock', signal: abort.signal }));
    setTimeout(() => abort.abort(), 200);
    const err = await failureOf(pending);
    expect(err.code).toBe('CANCELLED');
    expect(err.result).toMatchObject({ cancelled: true, timedOut: false });
  });

  it('keeps at most maxOutputBytes of each stream: the start of stdout, the end of stderr', async () => {
    const target = await fake({ steps: [{ floodStatus: 20_000 }, { stderr: 'first' }, ...Array.from({ length: 500 }, (_, i) => ({ stderr: `stderr line ${i}` }))] });
    const result = await restic(['backup'], target, 'backup', capture({ kind: 'backup', maxOutputBytes: 4096 }));
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(4096);
    expect(result.stdout.startsWith('{"message_type":"status"')).toBe(true);
    expect(Buffer.byteLength(result.stderr)).toBeLessThanOrEqual(4096);
    expect(result.stderr.endsWith('stderr line 499')).toBe(true);
    expect(result.stderr).not.toContain('first');
    expect(result.outputTruncated).toBe(true);
  });

  it('runs with the given environment only and stdin closed: real restic without a password fails at once', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-run-restic-'));
    const previous = process.env.RESTIC_PASSWORD;
    process.env.RESTIC_PASSWORD = 'from-backstays-own-environment';
    try {
      const env = { PATH: process.env.PATH ?? '', HOME: dir, RESTIC_REPOSITORY: path.join(dir, 'repo'), RESTIC_CACHE_DIR: path.join(dir, 'cache') };
      await restic(['init'], { binary: REAL_RESTIC, env: { ...env, RESTIC_PASSWORD: 'the-real-one' } }, 'init', capture({ kind: 'init' }));
      const err = await failureOf(restic(['snapshots'], { binary: REAL_RESTIC, env }, 'snapshots', capture({ kind: 'snapshots', timeoutMs: 15_000 })));
      // Not a timeout (restic did not wait on stdin) and not a repository error (no inherited RESTIC_PASSWORD).
      expect(err.code).toBe('WRONG_PASSWORD');
      expect(err.result.timedOut).toBe(false);
      expect(err.result.stderr).toMatch(/empty password|password from stdin/);
    } finally {
      if (previous === undefined) delete process.env.RESTIC_PASSWORD;
      else process.env.RESTIC_PASSWORD = previous;
    }
  });

  it('passes argv as given and nothing of the environment but the target env', async () => {
    const target = await fake({});
    const proof = path.join(dir!, 'proof.json');
    const { binary } = await makeFakeRestic(dir!, { steps: [{ writeFile: proof }] });
    await restic(['backup', '--json', '--', '/a b'], { binary, env: { ...target.env, RESTIC_PASSWORD_FILE: '/pw' } }, 'backup', capture({ kind: 'backup' }));
    const seen = JSON.parse(await readFile(proof, 'utf8')) as { argv: string[]; env: Record<string, string> };
    expect(seen.argv).toEqual(['backup', '--json', '--', '/a b']);
    expect(seen.env).toEqual({ RESTIC_PASSWORD_FILE: '/pw' });
  });

  it.each([
    { name: 'ENOENT (missing binary)', binary: () => path.join(dir!, 'missing'), args: ['version'], code: 'RESTIC_NOT_FOUND' },
    {
      name: 'E2BIG (100,000 excludes)',
      binary: () => process.execPath,
      args: ['backup', ...Array.from({ length: 100_000 }, (_, i) => `--exclude=/home/someone/pattern-number-${i}`)],
      code: 'TOO_MANY_ARGUMENTS',
    },
  ])('a restic that cannot start: $name, a short error without the argv', async ({ binary, args, code }) => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-run-restic-'));
    const err = await failureOf(restic(args, { binary: binary(), env: {} }, 'backup', capture({ kind: 'backup' })));
    expect(err.code).toBe(code);
    expect(err.result.spawnFailure).not.toBeNull();
    expect(`${err.message}${err.detail}`).not.toContain('pattern-number');
    expect(JSON.stringify({ message: err.message, detail: err.detail, result: err.result }).length).toBeLessThan(4096);
  });
});

describe('streamRestic(): stream mode', () => {
  it('hands over every line in order and keeps draining when the consumer throws', async () => {
    const target = await fake({ steps: [{ floodStatus: 5000 }, { stderr: 'done' }], exitCode: 0 });
    let stdoutLines = 0;
    const stderr: string[] = [];
    const child = streamRestic(target, ['backup', '--json'], {
      onLine: (stream, text) => {
        if (stream === 'stderr') stderr.push(text);
        else if (++stdoutLines === 10) throw new Error('consumer bug');
      },
    });
    const exit = await child.done;
    expect(exit).toMatchObject({ exitCode: 0, signal: null, spawnFailure: null });
    expect((exit.lineError as Error).message).toBe('consumer bug');
    expect(stdoutLines).toBe(5000);
    expect(stderr).toEqual(['done']);
  });

  it('stop(): SIGINT, then SIGKILL for restic and what it started, in bounded time', async () => {
    const target = await fake({ steps: [{ spawnChild: { detached: true } }, { ignoreSigint: true }, { stdout: 'ready' }, { hang: true }] });
    let childPid: number | null = null;
    let ready = false;
    const child = streamRestic(target, ['backup'], {
      onLine: (stream, text) => {
        const m = /^child pid (\d+)$/.exec(text);
        if (stream === 'stderr' && m) leftovers.push((childPid = Number(m[1])));
        if (text === 'ready') ready = true;
      },
    });
    await waitFor(() => ready && childPid !== null);
    const started = Date.now();
    child.stop(300);
    const exit = await child.done;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(exit.signal).toBe('SIGKILL');
    await waitFor(() => !isAlive(childPid!));
  });

  it('an abort signal stops restic like stop()', async () => {
    const target = await fake({ steps: [{ stdout: 'ready' }, { hang: true }] });
    const abort = new AbortController();
    const child = streamRestic(target, ['ls'], { onLine: (_s, text) => text === 'ready' && abort.abort(), signal: abort.signal });
    // The fake exits 130 on SIGINT, as restic does.
    expect(await child.done).toMatchObject({ exitCode: 130, spawnFailure: null });
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

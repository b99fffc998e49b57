import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpKind } from '../../common/operation.js';
import { makeTempRepo, REAL_RESTIC, type TempRepo } from '../../../test/helpers/restic-wrapper-repo.js';
import { classifyResticExit, classifySpawnFailure, stripTerminalCodes, type ResticExitInput } from './errors.js';
import { readLines } from './line-reader.js';

const V014 = { major: 0, minor: 14, patch: 0 };
const V017 = { major: 0, minor: 17, patch: 3 };
const V018 = { major: 0, minor: 18, patch: 0 };

interface Run {
  code: number | null;
  signal: string | null;
  stderr: string[];
}

function runRestic(args: string[], env: Record<string, string>, opts: { stdin?: 'pipe' | 'ignore'; onSpawn?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<Run> {
  const child = spawn(REAL_RESTIC, args, { env, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  const drained = Promise.all([readLines(child.stdout!, () => {}), readLines(child.stderr!, (t) => stderr.push(t))]);
  opts.onSpawn?.(child);
  return new Promise((resolve) => {
    child.on('close', async (code, signal) => {
      await drained;
      resolve({ code, signal, stderr });
    });
  });
}

function classify(run: Run, kind: OpKind, extra: Partial<ResticExitInput> = {}) {
  return classifyResticExit({
    exitCode: run.code,
    signal: run.signal,
    stderrTail: run.stderr.slice(-20),
    version: V014,
    kind,
    cancelRequested: false,
    ...extra,
  });
}

async function waitFor(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('classifyResticExit against real restic 0.14 failures', () => {
  let repo: TempRepo;
  let src: string;
  beforeAll(async () => {
    repo = await makeTempRepo();
    src = path.join(repo.dir, 'src');
    await mkdir(src);
    await writeFile(path.join(src, 'a.txt'), 'a');
  }, 60_000);
  afterAll(() => repo?.cleanup());

  it('wrong password -> WRONG_PASSWORD saying "password", restic words kept', async () => {
    const run = await runRestic(['snapshots'], { ...repo.env, RESTIC_PASSWORD: 'not it' });
    expect(run.code).toBe(1);
    const out = classify(run, 'backup');
    expect(out.status).toBe('error');
    expect(out.error?.code).toBe('WRONG_PASSWORD');
    expect(out.error?.message).toMatch(/password/);
    expect(out.error?.detail).toBe('Fatal: wrong password or no key found');
  });

  it('no password at all (stdin closed) -> WRONG_PASSWORD, not a hang', async () => {
    const env = { ...repo.env };
    delete (env as Record<string, string | undefined>).RESTIC_PASSWORD;
    const run = await runRestic(['snapshots'], env);
    const out = classify(run, 'backup');
    expect(out.error?.code).toBe('WRONG_PASSWORD');
    expect(out.error?.message).toMatch(/password.*none was given/);
  });

  it('missing password file -> WRONG_PASSWORD naming the file, not SOURCE_MISSING', async () => {
    const env = { ...repo.env, RESTIC_PASSWORD_FILE: path.join(repo.dir, 'no-such-pass') };
    delete (env as Record<string, string | undefined>).RESTIC_PASSWORD;
    const run = await runRestic(['backup', '--json', src], env);
    const out = classify(run, 'backup');
    expect(out.error?.code).toBe('WRONG_PASSWORD');
    expect(out.error?.message).toContain('no-such-pass');
  });

  it('missing repository -> NO_REPOSITORY naming the location', async () => {
    const missing = path.join(repo.dir, 'nope');
    const run = await runRestic(['backup', '--json', src], { ...repo.env, RESTIC_REPOSITORY: missing });
    expect(run.code).toBe(1);
    const out = classify(run, 'backup');
    expect(out.error?.code).toBe('NO_REPOSITORY');
    expect(out.error?.message).toContain(missing);
    expect(out.error?.detail).toMatch(/^Fatal: unable to open config file/);
  });

  it('unreachable REST server -> NETWORK, and the URI password is redacted from the detail', async () => {
    const run = await runRestic(['snapshots'], { ...repo.env, RESTIC_REPOSITORY: 'rest:http://me:hunter2@127.0.0.1:1/' });
    const out = classify(run, 'stats', { secrets: ['hunter2'] });
    expect(out.error?.code).toBe('NETWORK');
    expect(out.error?.detail).toMatch(/connection refused/);
    expect(JSON.stringify(out)).not.toContain('hunter2');
  });

  it('locked repository -> REPOSITORY_LOCKED naming the PID and host that hold the lock', async () => {
    let holder: ReturnType<typeof spawn> | undefined;
    // A backup from stdin holds its lock as long as we keep stdin open.
    const holding = runRestic(['backup', '--stdin', '--stdin-filename', 'x'], repo.env, {
      stdin: 'pipe',
      onSpawn: (c) => {
        holder = c;
      },
    });
    const locks = path.join(repo.repo, 'locks');
    await waitFor(async () => (await readdir(locks)).length > 0, 15_000);
    const run = await runRestic(['check'], repo.env);
    holder!.stdin!.end('data');
    expect((await holding).code).toBe(0);

    expect(run.code).toBe(1);
    const out = classify(run, 'check');
    expect(out.error?.code).toBe('REPOSITORY_LOCKED');
    expect(out.error?.message).toContain(`PID ${holder!.pid}`);
    expect(out.error?.message).toMatch(/on host "[^"]+", user \S+/);
    expect(out.error?.message).toMatch(/since \d{4}-\d\d-\d\d/);
    expect(out.error?.detail).toMatch(/repository is already locked by PID \d+ on/);
  });

  it('all source paths missing -> SOURCE_MISSING naming the path', async () => {
    const missing = path.join(repo.dir, 'not-here');
    const run = await runRestic(['backup', '--json', missing], repo.env);
    expect(run.code).toBe(1);
    const out = classify(run, 'backup');
    expect(out).toEqual({
      status: 'error',
      error: { code: 'SOURCE_MISSING', message: `Nothing to back up: "${missing}" does not exist.`, detail: 'Fatal: all target directories/files do not exist' },
    });
  });

  it('one of two source paths missing: 0.14 exits 0, Backstay says warning naming the path', async () => {
    const missing = path.join(repo.dir, 'gone');
    const run = await runRestic(['backup', '--json', src, missing], repo.env);
    expect(run.code).toBe(0);
    const out = classify(run, 'backup');
    expect(out.status).toBe('warning');
    expect(out.error?.code).toBe('SOURCE_MISSING');
    expect(out.error?.message).toContain(`"${missing}"`);
  });

  it('an unreadable file -> exit 3 -> warning (snapshot saved)', async () => {
    // As root no file is unreadable by its mode, but /proc/1/mem is.
    let unreadable = '/proc/1/mem';
    if (process.getuid?.() !== 0) {
      unreadable = path.join(repo.dir, 'unreadable.txt');
      await writeFile(unreadable, 'x');
      await chmod(unreadable, 0);
    }
    const run = await runRestic(['backup', '--json', src, unreadable], repo.env);
    expect(run.code).toBe(3);
    const out = classify(run, 'backup');
    expect(out.status).toBe('warning');
    expect(out.error?.code).toBe('PARTIAL');
    expect(out.error?.detail).toBe('Warning: at least one source file could not be read');
  });

  it('SIGINT while running -> restic 0.14 exits 130 -> cancelled', async () => {
    let child: ReturnType<typeof spawn> | undefined;
    const running = runRestic(['backup', '--stdin', '--stdin-filename', 'y'], repo.env, { stdin: 'pipe', onSpawn: (c) => (child = c) });
    await waitFor(async () => (await readdir(path.join(repo.repo, 'locks'))).length > 0, 15_000);
    child!.kill('SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    const out = classify(run, 'backup', { cancelRequested: true });
    expect(out.status).toBe('cancelled');
    expect(out.error?.code).toBe('CANCELLED');
    expect(run.stderr.join('\n')).toContain('signal interrupt received');
    // restic's "\x1b[2K" redraw code is not kept in the detail.
    expect(out.error?.detail ?? '').not.toContain('\x1b');
    expect(classify(run, 'backup').status).toBe('cancelled');
  });

  it('success -> success, no error', async () => {
    const run = await runRestic(['backup', '--json', src], repo.env);
    expect(classify(run, 'backup')).toEqual({ status: 'success', error: null });
  });
});

describe('classifyResticExit: 0.17+ exit codes and exit_error', () => {
  const base: ResticExitInput = { exitCode: 1, signal: null, stderrTail: [], version: V017, kind: 'backup', cancelRequested: false };

  it('maps 10, 11, 12 by code when the words are unknown', () => {
    expect(classifyResticExit({ ...base, exitCode: 10 }).error?.code).toBe('NO_REPOSITORY');
    expect(classifyResticExit({ ...base, exitCode: 11 }).error?.code).toBe('REPOSITORY_LOCKED');
    expect(classifyResticExit({ ...base, exitCode: 12 }).error?.code).toBe('WRONG_PASSWORD');
  });

  it('does not read 10/11/12 as named errors on 0.14, where they cannot mean that', () => {
    expect(classifyResticExit({ ...base, version: V014, exitCode: 10 }).error?.code).toBe('RESTIC_FAILED');
    expect(classifyResticExit({ ...base, version: { major: 0, minor: 17, patch: 0 }, exitCode: 12 }).error?.code).toBe('RESTIC_FAILED');
  });

  it('uses exit_error (0.18) words and code', () => {
    const out = classifyResticExit({
      ...base,
      version: V018,
      exitCode: 11,
      exitError: { code: 11, message: 'Fatal: unable to create lock in backend: repository is already locked exclusively by PID 4242 on nas by backup (UID 1000, GID 1000)' },
    });
    expect(out.error?.code).toBe('REPOSITORY_LOCKED');
    expect(out.error?.message).toContain('exclusively locked by another restic process: PID 4242 on host "nas", user backup');
  });

  it('130 is cancelled; a signal without a cancel request is RESTIC_KILLED; unknown codes are RESTIC_FAILED', () => {
    expect(classifyResticExit({ ...base, exitCode: 130 }).status).toBe('cancelled');
    expect(classifyResticExit({ ...base, exitCode: null, signal: 'SIGKILL' }).error?.code).toBe('RESTIC_KILLED');
    expect(classifyResticExit({ ...base, exitCode: null, signal: 'SIGKILL', cancelRequested: true }).status).toBe('cancelled');
    const unknown = classifyResticExit({ ...base, exitCode: 77, stderrTail: ['Fatal: something new'] });
    expect(unknown).toEqual({ status: 'error', error: { code: 'RESTIC_FAILED', message: 'restic failed (exit code 77).', detail: 'Fatal: something new' } });
  });

  it('a backup that finished before the cancel took effect is still a success', () => {
    expect(classifyResticExit({ ...base, exitCode: 0, cancelRequested: true }).status).toBe('success');
  });

  it('index damage -> INDEX_DAMAGED', () => {
    const out = classifyResticExit({ ...base, version: V014, kind: 'prune', stderrTail: ['Fatal: unable to load index 1234abcd: invalid data returned'] });
    expect(out.error?.code).toBe('INDEX_DAMAGED');
  });

  it('redacts secrets from the detail', () => {
    const out = classifyResticExit({ ...base, stderrTail: ['Fatal: s3 said no for key s3cr3t-value'], secrets: ['s3cr3t-value'] });
    expect(out.error?.detail).toBe('Fatal: s3 said no for key ***');
  });

  it('strips terminal redraw codes', () => {
    expect(stripTerminalCodes('\x1b[2Ksignal interrupt received, cleaning up')).toBe('signal interrupt received, cleaning up');
  });
});

describe('classifySpawnFailure: restic that could not be started', () => {
  const huge = `spawn E2BIG ${'--exclude /x '.repeat(10_000)}`;
  it.each([
    ['E2BIG', 'TOO_MANY_ARGUMENTS', /too long for the system; use an exclude file/],
    ['ENOENT', 'RESTIC_NOT_FOUND', /not found at \/usr\/bin\/restic/],
    ['EACCES', 'RESTIC_START_FAILED', /permission denied/],
    ['ENOMEM', 'RESTIC_START_FAILED', /could not be started \(ENOMEM\)/],
    [null, 'RESTIC_START_FAILED', /could not be started\./],
  ] as const)('%s -> %s, bounded', (code, expected, words) => {
    const error = classifySpawnFailure({ code, message: huge }, { binary: '/usr/bin/restic', argCount: 200_001, argBytes: 4_000_000 });
    expect(error.code).toBe(expected);
    expect(error.message).toMatch(words);
    expect(JSON.stringify(error).length).toBeLessThan(1200);
  });
});

describe('an unreachable server is NETWORK for every command, never NO_REPOSITORY', () => {
  // restic 0.14's words for a refused connection (captured from real restic against a closed 127.0.0.1 port).
  const refused = [
    'Fatal: unable to open config file: client.Head: Head "http://127.0.0.1:9/config": dial tcp 127.0.0.1:9: connect: connection refused',
    'Is there a repository at the following location?',
    'rest:http://127.0.0.1:9/',
  ];
  const kinds = ['backup', 'check', 'stats', 'forget', 'prune', 'unlock', 'restore', 'snapshots', 'ls', 'diff', 'dump', 'find'] as const;
  it.each(kinds)('%s', (kind) => {
    const outcome = classifyResticExit({ exitCode: 1, signal: null, stderrTail: refused, version: V014, kind, cancelRequested: false });
    expect(outcome.error?.code).toBe('NETWORK');
  });
});

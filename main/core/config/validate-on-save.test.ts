// What a save checks beyond the schema, against real files and the real restic: every way a restic program path
// can be wrong, every way a repository's location or password source can be unusable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { localRepositoryPath, planSaveIssues, repoSaveIssues, resticBinaryIssues } from './validate-on-save.js';
import { findResticBinary } from '../restic/binary.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-save-checks-'));
});
afterAll(async () => {
  await chmod(path.join(dir, 'unreadable'), 0o600).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function script(name: string, body: string, mode = 0o755): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`, { mode });
  return file;
}

describe('resticBinaryIssues', () => {
  const realRestic = () => findResticBinary({ configured: null, env: process.env });
  const cases: [string, () => Promise<string>, string][] = [
    ['a path where nothing is', async () => path.join(dir, 'no-such-restic'), 'restic_not_found'],
    ['a bare name not on PATH', async () => 'restic-that-is-not-installed', 'restic_not_found'],
    ['a relative path', async () => 'bin/restic', 'not_absolute'],
    ['a path under ~', async () => '~/bin/restic', 'home_not_expanded'],
    ['a folder', async () => dir, 'not_a_file'],
    ['a file that may not be run', () => script('not-executable', 'echo "restic 0.14.0"', 0o644), 'restic_not_executable'],
    ['a program that is not restic', () => script('not-restic', 'echo "hello"'), 'restic_not_restic'],
    ['a program that fails', () => script('failing', 'echo "boom" >&2; exit 2'), 'restic_not_restic'],
    ['restic 0.9.0 (too old)', () => script('old-restic', 'echo "restic 0.9.0 compiled with go1.10 on linux/amd64"'), 'restic_too_old'],
  ];
  it.each(cases)('%s', async (_what, make, code) => {
    const issues = await resticBinaryIssues(await make(), process.env);
    expect(issues.map((i) => [i.path, i.code])).toEqual([[['settings', 'resticBinary'], code]]);
  });

  it('names the version found and the one needed when it is too old', async () => {
    const [issue] = await resticBinaryIssues(await script('old-restic-2', 'echo "restic 0.13.1 compiled with go1.17"'), process.env);
    expect(issue).toMatchObject({ code: 'restic_too_old', params: { version: '0.13.1', minimum: '0.14.0' } });
  });

  it('accepts the real restic, a symlink to it, a copy of it, and the bare name on PATH', async () => {
    const real = realRestic();
    const link = path.join(dir, 'restic-link');
    await symlink(real, link);
    const copyDir = path.join(dir, 'copy');
    await mkdir(copyDir);
    const copy = path.join(copyDir, 'restic');
    await writeFile(copy, await import('node:fs/promises').then((fs) => fs.readFile(real)), { mode: 0o755 });
    for (const candidate of [real, link, copy, 'restic']) expect(await resticBinaryIssues(candidate, process.env), candidate).toEqual([]);
  });
});

describe('repoSaveIssues', () => {
  it.each([
    ['./repo', 'not_absolute'],
    ['repo', 'not_absolute'],
    ['local:repo', 'not_absolute'],
    ['local:', 'required'],
    ['~/backups', 'home_not_expanded'],
    ['local:~/backups', 'home_not_expanded'],
    ['/srv/restic', null],
    ['local:/srv/restic', null],
    ['C:\\backups', null],
    ['sftp:me@nas:relative/ok', null],
    ['rest:http://127.0.0.1:8000/', null],
    ['s3:s3.amazonaws.com/bucket', null],
    ['rclone:remote:path', null],
  ])('location %s', async (uri, code) => {
    const issues = await repoSaveIssues({ repo: { id: 'r', uri, password: { command: 'pass show r' } } }, {});
    expect(issues.map((i) => i.code)).toEqual(code ? [code] : []);
    if (code) expect(issues[0]!.path).toEqual(['repo', 'uri']);
  });

  it('the password file must be absolute, exist, be a file and be readable', async () => {
    const good = path.join(dir, 'password');
    await writeFile(good, 'pw', { mode: 0o600 });
    const unreadable = path.join(dir, 'unreadable');
    await writeFile(unreadable, 'pw', { mode: 0o000 });
    const table: [string, string | null][] = [
      [good, null],
      ['password', 'not_absolute'],
      ['~/.restic-pass', 'home_not_expanded'],
      [path.join(dir, 'missing'), 'file_missing'],
      [path.join(dir, 'missing', 'deeper'), 'file_missing'],
      [dir, 'not_a_file'],
      // root reads anything: the check is only meaningful for an ordinary user.
      ...(process.getuid?.() === 0 ? [] : ([[unreadable, 'file_unreadable']] as [string, string][])),
    ];
    for (const [file, code] of table) {
      const issues = await repoSaveIssues({ repo: { id: 'r', uri: '/srv/r', password: { file } } }, {});
      expect(issues.map((i) => [i.path, i.code]), file).toEqual(code ? [[['repo', 'password', 'file'], code]] : []);
    }
  });

  it('a password variable must be set (and not empty) in the environment the host runs in', async () => {
    const params = { repo: { id: 'r', uri: '/srv/r', password: { env: 'BACKSTAY_TEST_PW' } } };
    expect(await repoSaveIssues(params, { BACKSTAY_TEST_PW: 'secret' })).toEqual([]);
    for (const env of [{}, { BACKSTAY_TEST_PW: '' }]) {
      const issues = await repoSaveIssues(params, env);
      expect(issues).toEqual([
        { path: ['repo', 'password', 'env'], code: 'env_not_set', message: expect.stringContaining('BACKSTAY_TEST_PW') as string, params: { name: 'BACKSTAY_TEST_PW' } },
      ]);
      expect(JSON.stringify(issues)).not.toContain('secret');
    }
  });

  it('reports every problem at once and tolerates any shape (the schema reports that)', async () => {
    const issues = await repoSaveIssues({ repo: { id: 'r', uri: 'repo', password: { file: path.join(dir, 'missing') } } }, {});
    expect(issues.map((i) => i.code)).toEqual(['not_absolute', 'file_missing']);
    for (const odd of [null, 1, 'x', [], {}, { repo: null }, { repo: { uri: 3, password: [] } }, JSON.parse('{"__proto__": {"uri": "rel"}}')]) {
      expect(await repoSaveIssues(odd, {})).toEqual([]);
    }
  });

  it('localRepositoryPath tells local folders from remote backends', () => {
    expect(localRepositoryPath('local:/a')).toBe('/a');
    expect(localRepositoryPath('/a')).toBe('/a');
    expect(localRepositoryPath('sftp:h:/a')).toBeNull();
  });
});

describe('planSaveIssues', () => {
  it('the repository a plan names must exist', () => {
    expect(planSaveIssues({ plan: { repo: 'nas' } }, ['nas'])).toEqual([]);
    expect(planSaveIssues({ plan: { repo: 'usb' } }, ['nas'])).toEqual([
      { path: ['plan', 'repo'], code: 'unknown_repo', message: 'no repository "usb"', params: { repo: 'usb' } },
    ]);
  });
});

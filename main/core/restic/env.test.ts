import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFakeRestic } from '../../../test/helpers/fake-restic.js';
import { makeTempRepo, REAL_RESTIC, type TempRepo } from '../../../test/helpers/restic-wrapper-repo.js';
import { backupArgs, checkArgs, forgetArgs, snapshotsArgs } from './args.js';
import { keychainPasswordFor, buildResticEnv } from './env.js';
import { redactSecrets, redactUri, uriSecrets } from './redact.js';

const PASSWORD = 'pässwörd with spaces & $ymbols';

describe('buildResticEnv', () => {
  const baseEnv = {
    PATH: '/usr/bin',
    HOME: '/home/me',
    RESTIC_PASSWORD: 'stray-inherited',
    RESTIC_PASSWORD_FILE: '/stray/file',
    RESTIC_PASSWORD_COMMAND: 'echo stray',
    RESTIC_REPOSITORY_FILE: '/stray/repo',
    MY_PASS: PASSWORD,
  };

  it('password file -> RESTIC_PASSWORD_FILE, and inherited RESTIC_PASSWORD* do not leak in', () => {
    const { env, secrets } = buildResticEnv({ uri: '/srv/repo', password: { file: '/etc/pass' } }, { baseEnv });
    expect(env.RESTIC_REPOSITORY).toBe('/srv/repo');
    expect(env.RESTIC_PASSWORD_FILE).toBe('/etc/pass');
    expect(env.RESTIC_PASSWORD).toBeUndefined();
    expect(env.RESTIC_PASSWORD_COMMAND).toBeUndefined();
    expect(env.RESTIC_REPOSITORY_FILE).toBeUndefined();
    expect(env.PATH).toBe('/usr/bin');
    expect(secrets).toEqual([]);
  });

  it('env VAR -> RESTIC_PASSWORD with its value, listed as a secret', () => {
    const { env, secrets } = buildResticEnv({ uri: '/r', password: { env: 'MY_PASS' } }, { baseEnv });
    expect(env.RESTIC_PASSWORD).toBe(PASSWORD);
    expect(secrets).toContain(PASSWORD);
  });

  it('env VAR unset -> CONFIG_INVALID naming the variable, not any value', () => {
    expect(() => buildResticEnv({ uri: '/r', password: { env: 'NOPE_PASS' } }, { baseEnv })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('NOPE_PASS is not set') }),
    );
  });

  it('command -> RESTIC_PASSWORD_COMMAND; keychain -> RESTIC_PASSWORD from the keychain value', () => {
    expect(buildResticEnv({ uri: '/r', password: { command: 'pass show restic' } }, { baseEnv }).env.RESTIC_PASSWORD_COMMAND).toBe('pass show restic');
    const k = buildResticEnv({ uri: '/r', password: { keychain: true } }, { baseEnv, keychainPassword: 'from-keychain' });
    expect(k.env.RESTIC_PASSWORD).toBe('from-keychain');
    expect(k.secrets).toContain('from-keychain');
    expect(() => buildResticEnv({ uri: '/r', password: { keychain: true } }, { baseEnv })).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
  });

  // A host without a keychain cannot read it (serve, the CLI); the desktop's keychain with nothing stored for this
  // repository is another thing, and says so: the fix is to type the password again, not to run the desktop app.
  it.each([
    { from: 'a host with no keychain', keychainPassword: undefined, code: 'NOT_SUPPORTED' },
    { from: 'a keychain with no entry', keychainPassword: null, code: 'PASSWORD_MISSING' },
    { from: 'a keychain with an empty entry', keychainPassword: '', code: 'PASSWORD_MISSING' },
  ])('a keychain password from $from is refused with $code', ({ keychainPassword, code }) => {
    expect(() => buildResticEnv({ uri: '/r', password: { keychain: true } }, { baseEnv, keychainPassword })).toThrow(expect.objectContaining({ code }));
  });

  it('keychainPasswordFor reads the keychain only for a keychain repository, and tells "no keychain" from "no entry"', async () => {
    const keychain = { getPassword: async (id: string) => (id === 'nas' ? 'pw' : null) };
    expect(await keychainPasswordFor(keychain, { id: 'nas', password: { keychain: true } })).toBe('pw');
    expect(await keychainPasswordFor(keychain, { id: 'usb', password: { keychain: true } })).toBeNull();
    expect(await keychainPasswordFor(undefined, { id: 'nas', password: { keychain: true } })).toBeUndefined();
    expect(await keychainPasswordFor(keychain, { id: 'nas', password: { file: '/p' } })).toBeUndefined();
  });

  it('adds repo env; secret-looking values and URI passwords are listed for redaction', () => {
    const { env, secrets } = buildResticEnv(
      {
        uri: 'rest:https://me:p%40ss@nas:8000/',
        password: { file: '/p' },
        env: { AWS_SECRET_ACCESS_KEY: 'abcd1234secret', AWS_DEFAULT_REGION: 'eu', RESTIC_PASSWORD: 'sneaky' },
      },
      { baseEnv },
    );
    expect(env.AWS_SECRET_ACCESS_KEY).toBe('abcd1234secret');
    expect(env.AWS_DEFAULT_REGION).toBe('eu');
    expect(env.RESTIC_PASSWORD).toBeUndefined();
    expect(secrets).toEqual(expect.arrayContaining(['abcd1234secret', 'p%40ss', 'p@ss']));
    expect(secrets).not.toContain('eu');
  });
});

describe('redaction', () => {
  it('redactSecrets replaces every occurrence, longest first', () => {
    expect(redactSecrets('pw=abc and abcdef', ['abc', 'abcdef'])).toBe('pw=*** and ***');
    expect(redactSecrets('nothing', [])).toBe('nothing');
    expect(redactSecrets('x', [''])).toBe('x');
  });

  it('redactUri hides user:pass@ in rest, s3 and sftp-style URIs and leaves others alone', () => {
    expect(redactUri('rest:https://me:secret@nas:8000/repo')).toBe('rest:https://***@nas:8000/repo');
    expect(redactUri('s3:https://KEY:SECRET@s3.example.com/bucket')).toBe('s3:https://***@s3.example.com/bucket');
    expect(redactUri('sftp://me:pw@host:22//srv/repo')).toBe('sftp://***@host:22//srv/repo');
    expect(redactUri('sftp:me@host:/srv/repo')).toBe('sftp:me@host:/srv/repo');
    expect(redactUri('/srv/repo')).toBe('/srv/repo');
    expect(uriSecrets('rest:http://u:a%2Fb@h/')).toEqual(['a%2Fb', 'a/b']);
  });
});

describe('the password never goes into argv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-env-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the fake restic sees the password in env only', async () => {
    const proof = path.join(dir, 'proof.json');
    const fake = await makeFakeRestic(dir, { steps: [{ writeFile: proof }] });
    const { env } = buildResticEnv({ uri: '/r', password: { env: 'MY_PASS' }, env: fake.env }, { baseEnv: { ...process.env, MY_PASS: PASSWORD } });
    const argvs = [
      backupArgs({ planId: 'home', paths: ['/home/me'], excludes: ['*.tmp'], flags: ['--no-cache'] }),
      forgetArgs({ planId: 'home', retention: { keepDaily: 7 } }),
      checkArgs({ readDataSubset: '5%' }),
      snapshotsArgs({ planId: 'home' }),
    ];
    for (const args of argvs) {
      expect(args.join(' ')).not.toContain(PASSWORD);
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(fake.binary, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('close', resolve);
      });
      expect(code).toBe(0);
      const seen = JSON.parse(await readFile(proof, 'utf8'));
      expect(seen.argv).toEqual(args);
      expect(JSON.stringify(seen.argv)).not.toContain(PASSWORD);
      expect(seen.env.RESTIC_PASSWORD).toBe(PASSWORD);
    }
  });
});

describe('real restic 0.14 with each password source', () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await makeTempRepo();
  }, 60_000);
  afterAll(() => repo?.cleanup());

  async function snapshots(env: Record<string, string>): Promise<number | null> {
    return new Promise((resolve) => {
      const child = spawn(REAL_RESTIC, snapshotsArgs(), { env, stdio: ['ignore', 'ignore', 'ignore'] });
      child.on('close', resolve);
    });
  }

  it('opens the repository by file, env, command and keychain value; a stray inherited password is ignored', async () => {
    const passFile = path.join(repo.dir, 'pass');
    await writeFile(passFile, repo.password);
    const base = { ...repo.env, RESTIC_PASSWORD: 'stray wrong one', THE_PASS: repo.password };
    const sources = [
      { password: { file: passFile } },
      { password: { env: 'THE_PASS' } },
      { password: { command: `cat ${passFile}` } },
    ];
    for (const s of sources) {
      const { env } = buildResticEnv({ uri: repo.repo, ...s }, { baseEnv: base });
      expect(await snapshots(env)).toBe(0);
    }
    const { env } = buildResticEnv({ uri: repo.repo, password: { keychain: true } }, { baseEnv: base, keychainPassword: repo.password });
    expect(await snapshots(env)).toBe(0);
    // And the stray one really is wrong: without the builder, restic would fail.
    expect(await snapshots(base)).toBe(1);
  });
});

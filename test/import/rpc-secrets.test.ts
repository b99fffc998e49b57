// The engine side of secrets: config.get masks every kind of secret and a masked value saved back keeps the stored
// one; repos.setPassword stores a typed password (0600 file in serve, the keychain on the desktop) and never answers
// with it; config.importPreview writes nothing and config.importApply imports with the password in the secret store.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { KeychainProvider } from '../../main/core/engine-api.js';
import { SECRET_MASK } from '../../main/core/config/secret-mask.js';
import { BACKREST_CONFIG } from './samples.js';

const fixture = useEngineFixture();
let dataDir: string;
const dirs: string[] = [];
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-secrets-'));
  dirs.push(dataDir);
  await fs.writeFile(path.join(dataDir, 'pw'), 'file-password');
});
// After the engines (the fixture stops them after each test): their last log line goes into the data directory.
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

/** Secret env values (masked) and the readable ones beside them. */
const SECRET_ENV: Record<string, string> = {
  AWS_SECRET_ACCESS_KEY: 'secret-aws-1',
  AWS_SESSION_TOKEN: 'secret-aws-2',
  B2_ACCOUNT_KEY: 'secret-b2',
  AZURE_ACCOUNT_KEY: 'secret-azure',
  AZURE_ACCOUNT_SAS: 'secret-sas',
  GOOGLE_PROJECT_ID: 'secret-google-1',
  GOOGLE_APPLICATION_CREDENTIALS: '/secret/google.json',
  RESTIC_PASSWORD: 'secret-restic',
  OS_PASSWORD: 'secret-swift',
  ST_KEY: 'secret-st',
  MY_SERVICE_SECRET: 'secret-mine',
  GITHUB_TOKEN: 'secret-token',
  RCLONE_CONFIG_NAS_PASS: 'secret-rclone',
};
const PLAIN_ENV: Record<string, string> = { AWS_ACCESS_KEY_ID: 'AKIAPLAIN', B2_ACCOUNT_ID: 'b2plain', RESTIC_COMPRESSION: 'max', AZURE_ACCOUNT_NAME: 'azplain' };

async function engineWith(config: unknown, keychain?: KeychainProvider) {
  await fs.writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config));
  return fixture.startEngine({ dataDir, host: 'serve', runSchedules: false, configWatch: false, ...(keychain ? { keychain } : {}) });
}

const secretRepos = () => [
  { id: 'cloud', uri: 's3:https://s3.example.com/b', password: { file: path.join(dataDir, 'pw') }, env: { ...SECRET_ENV, ...PLAIN_ENV } },
  { id: 'rest', uri: 'rest:https://me:uri-secret@nas.example:8000/repo', password: { command: 'echo command-secret' } },
];
const readConfig = async () => JSON.parse(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8')) as { repos: Record<string, unknown>[] };

describe('config.get', () => {
  it('returns no secret value of any kind, and keeps the readable ones', async () => {
    const engine = await engineWith({ version: 1, repos: secretRepos(), plans: [] });
    const { repos } = await engine.rpc.invoke('config.get', {});
    const text = JSON.stringify(repos);
    for (const value of [...Object.values(SECRET_ENV), 'uri-secret', 'command-secret']) expect(text).not.toContain(value);
    expect(repos[0]!.env).toEqual({ ...Object.fromEntries(Object.keys(SECRET_ENV).map((k) => [k, SECRET_MASK])), ...PLAIN_ENV });
    expect(repos[0]!.password).toEqual({ file: path.join(dataDir, 'pw') });
    expect(repos[1]!.uri).toBe(`rest:https://me:${SECRET_MASK}@nas.example:8000/repo`);
    expect(repos[1]!.password).toEqual({ command: SECRET_MASK });
  });

  it('a repository saved back with its masks (and a change) keeps the stored secrets', async () => {
    const engine = await engineWith({ version: 1, repos: secretRepos(), plans: [] });
    const { repos } = await engine.rpc.invoke('config.get', {});
    for (const repo of repos) await engine.rpc.invoke('config.saveRepo', { repo: { ...repo, flags: ['--no-lock'] } });
    const saved = await readConfig();
    expect(saved.repos).toEqual(secretRepos().map((r) => expect.objectContaining({ ...r, flags: ['--no-lock'] })));
    // A value the user did change is taken as typed.
    const changed = { ...repos[0]!, env: { ...repos[0]!.env, B2_ACCOUNT_KEY: 'new-b2' } };
    await engine.rpc.invoke('config.saveRepo', { repo: changed });
    expect(((await readConfig()).repos[0]!.env as Record<string, string>).B2_ACCOUNT_KEY).toBe('new-b2');
  });
});

describe('repos.setPassword', () => {
  it('serve: a 0600 file under secrets/, the repository points at it, the answer has no password', async () => {
    const engine = await engineWith({ version: 1, repos: [{ id: 'nas', uri: '/srv/nas', password: { env: 'NOPE' } }], plans: [] });
    const answer = await engine.rpc.call('repos.setPassword', { repoId: 'nas', password: 'typed-secret' }, { host: 'serve' });
    const file = path.join(dataDir, 'secrets', 'nas.password');
    expect(answer).toEqual({ ok: true, password: { file } });
    expect(JSON.stringify(answer)).not.toContain('typed-secret');
    expect(await fs.readFile(file, 'utf8')).toBe('typed-secret');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await readConfig()).repos[0]!.password).toEqual({ file });
    expect(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8')).not.toContain('typed-secret');
  });

  it('desktop: the keychain, and {"keychain": true}', async () => {
    const stored = new Map<string, string>();
    const keychain: KeychainProvider = {
      getPassword: async (id) => stored.get(id) ?? null,
      setPassword: async (id, pw) => void stored.set(id, pw),
    };
    const engine = await engineWith({ version: 1, repos: [{ id: 'nas', uri: '/srv/nas', password: { env: 'NOPE' } }], plans: [] }, keychain);
    expect(await engine.rpc.invoke('repos.setPassword', { repoId: 'nas', password: 'typed-secret' })).toEqual({ ok: true, password: { keychain: true } });
    expect(stored.get('nas')).toBe('typed-secret');
    expect((await readConfig()).repos[0]!.password).toEqual({ keychain: true });
    await expect(fs.stat(path.join(dataDir, 'secrets'))).rejects.toThrow();
  });

  it('an unknown repository is refused and nothing is written', async () => {
    const engine = await engineWith({ version: 1, repos: [], plans: [] });
    await expect(engine.rpc.invoke('repos.setPassword', { repoId: 'nas', password: 'x' })).rejects.toMatchObject({ code: 'UNKNOWN_REPO' });
    await expect(fs.stat(path.join(dataDir, 'secrets'))).rejects.toThrow();
  });
});

describe('config.importPreview / config.importApply', () => {
  it('previews without writing, applies with the plaintext password in the secret store, answers without secrets', async () => {
    const engine = await engineWith({ version: 1, repos: [], plans: [] });
    const params = { from: 'backrest' as const, text: JSON.stringify(BACKREST_CONFIG), fileName: '/etc/backrest/config.json' };
    const before = await fs.readFile(path.join(dataDir, 'config.json'), 'utf8');
    const preview = await engine.rpc.invoke('config.importPreview', params);
    expect(preview.plans.map((p) => p.id)).toEqual(['home', 'photos', 'weekly-odd']);
    expect(preview.skipped.length).toBeGreaterThan(5);
    expect(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8')).toBe(before);
    await expect(fs.stat(path.join(dataDir, 'secrets'))).rejects.toThrow();

    const applied = await engine.rpc.invoke('config.importApply', params);
    for (const answer of [preview, applied]) {
      expect(JSON.stringify(answer)).not.toContain('correct horse');
      expect(JSON.stringify(answer)).not.toContain('wJalrEXAMPLEKEY');
    }
    expect(engine.config().repos.map((r) => r.id)).toEqual(['nas', 'cloud-b2']);
    expect(await fs.readFile(path.join(dataDir, 'secrets', 'nas.password'), 'utf8')).toBe('correct horse battery staple');
  });

  it('bad input is an IMPORT_INVALID error naming the place; nothing is written', async () => {
    const engine = await engineWith({ version: 1, repos: [], plans: [] });
    const before = await fs.readFile(path.join(dataDir, 'config.json'), 'utf8');
    await expect(
      engine.rpc.invoke('config.importApply', { from: 'resticprofile', text: 'a:\n  inherit: a\n', fileName: 'profiles.yaml' }),
    ).rejects.toMatchObject({ code: 'IMPORT_INVALID', message: 'profiles.yaml: a.inherit: inherit cycle: a -> a' });
    expect(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8')).toBe(before);
  });
});

// `repos.init` takes a repository's password from wherever its password source says, as repos.testConnection does,
// with real restic 0.14: the desktop app's keychain (KeychainStore over a stand-in cipher: Electron's safeStorage
// cannot run here) and serve's 0600 secret file (a password typed in the window, repos.setPassword). The same holds
// for the source of a mirror's chunker parameters (`copyChunkerParamsFrom`: restic init --copy-chunker-params),
// whose password reaches restic as RESTIC_FROM_* by env; the two repositories' chunker parameters then match.
// No password ever reaches restic's argv or an error message.
import { describe, expect, it } from 'vitest';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { KeychainProvider } from '../../main/core/engine-api.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { KeychainStore, type SecretCipher } from '../../main/hosts/electron/keychain-store.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();

/** Reversible like safeStorage, and the plaintext never appears in keychain.json. */
const standInCipher: SecretCipher = {
  isEncryptionAvailable: () => true,
  backend: () => 'gnome_libsecret',
  encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};

interface Setup {
  ws: Workspace;
  engine: EngineInternals;
  /** Every argv the engine ran restic with, one line each. */
  argvLog: string;
  passwords: Record<'local' | 'fresh' | 'usb', string>;
}

/**
 * Three repositories whose passwords all come from `{keychain: true}`: "local" (the workspace's, initialised),
 * "fresh" and "usb" (locations with nothing yet), each with a different password. Desktop: the passwords are in
 * the keychain; serve: they are typed in the window, which puts them in 0600 files under secrets/.
 */
async function setup(host: 'electron' | 'serve'): Promise<Setup> {
  const ws = await fixture.workspace({ files: 1 });
  const argvLog = path.join(ws.root, 'restic-argv.log');
  const wrapper = path.join(ws.root, 'restic-wrapper.sh');
  await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec restic "$@"\n`);
  await chmod(wrapper, 0o755);
  const passwords = { local: ws.password, fresh: 'fresh-password-7f3a', usb: 'mirror-password-c21e' };
  await ws.writeConfig({
    repos: (['local', 'fresh', 'usb'] as const).map((id) => ({
      id,
      uri: id === 'local' ? ws.repoPath : path.join(ws.root, id),
      password: { keychain: true },
    })),
    plans: [],
    settings: { resticBinary: wrapper },
  });
  let keychain: KeychainProvider | undefined;
  if (host === 'electron') {
    keychain = KeychainStore.inDataDir(ws.dataDir, standInCipher, () => false, silentLogger);
    for (const [id, password] of Object.entries(passwords)) await keychain.setPassword(id, password);
  }
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host, runSchedules: false, logger: silentLogger, configWatch: false, keychain });
  if (host === 'serve') {
    for (const [repoId, password] of Object.entries(passwords)) {
      const { password: reference } = await engine.rpc.invoke('repos.setPassword', { repoId, password });
      expect(reference).toEqual({ file: path.join(ws.dataDir, 'secrets', `${repoId}.password`) });
    }
  }
  return { ws, engine, argvLog, passwords };
}

/** restic's `cat config` of a repository opened with `password` (by env, as a user's own shell would). */
async function repositoryConfig(uri: string, password: string): Promise<{ id: string; chunker_polynomial: string }> {
  const r = await execa('restic', ['cat', 'config'], { env: { RESTIC_REPOSITORY: uri, RESTIC_PASSWORD: password }, stdin: 'ignore', reject: false });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  return JSON.parse(String(r.stdout)) as { id: string; chunker_polynomial: string };
}

async function expectNoPasswordIn(text: string, passwords: Record<string, string>): Promise<void> {
  for (const password of Object.values(passwords)) expect(text).not.toContain(password);
}

const HOSTS = [
  { host: 'electron' as const, source: 'the desktop keychain' },
  { host: 'serve' as const, source: "serve's secret file" },
];

describe.each(HOSTS)('repos.init with passwords from $source', ({ host }) => {
  it('creates a repository that opens with its own password', async () => {
    const { ws, engine, argvLog, passwords } = await setup(host);
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'fresh' })).toEqual({ ok: true, initialized: false });
    expect(await engine.rpc.invoke('repos.init', { repoId: 'fresh' })).toEqual({ ok: true });
    await repositoryConfig(path.join(ws.root, 'fresh'), passwords.fresh);
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'fresh' })).toEqual({ ok: true, initialized: true });
    const argv = await readFile(argvLog, 'utf8');
    expect(argv).toMatch(/^init\b/m);
    await expectNoPasswordIn(argv, passwords);
  });

  it("creates a mirror with its source's chunker parameters, the source opened with the source's password", async () => {
    const { ws, engine, argvLog, passwords } = await setup(host);
    expect(await engine.rpc.invoke('repos.init', { repoId: 'usb', copyChunkerParamsFrom: 'local' })).toEqual({ ok: true });
    const mirror = await repositoryConfig(path.join(ws.root, 'usb'), passwords.usb);
    const source = await repositoryConfig(ws.repoPath, passwords.local);
    expect(mirror.chunker_polynomial).toBe(source.chunker_polynomial);
    expect(mirror.id).not.toBe(source.id); // a repository of its own, not a copy of the source's config
    const argv = await readFile(argvLog, 'utf8');
    expect(argv).toMatch(/^init --copy-chunker-params$/m);
    await expectNoPasswordIn(argv, passwords);
  });

  const SOURCE_FAILURES = [
    {
      case: "the source's stored password is wrong",
      source: 'local',
      code: 'WRONG_PASSWORD',
      message: 'Could not create repository "usb" with the chunker parameters of "local": the password of "local" is wrong.',
      wrongPassword: true,
    },
    {
      case: 'the source has no repository yet',
      source: 'fresh',
      code: 'NO_REPOSITORY',
      message: 'Could not create repository "usb" with the chunker parameters of "fresh": there is no repository at the location of "fresh".',
      wrongPassword: false,
    },
  ];
  it.each(SOURCE_FAILURES)('fails naming the source and no password, and creates nothing, when $case', async ({ source, code, message, wrongPassword }) => {
    const { ws, engine, argvLog, passwords } = await setup(host);
    const wrong = 'not-the-source-password-9d';
    if (wrongPassword && host === 'electron') await engine.keychain!.setPassword(source, wrong);
    else if (wrongPassword) await engine.rpc.invoke('repos.setPassword', { repoId: source, password: wrong });
    const error = (await engine.rpc.invoke('repos.init', { repoId: 'usb', copyChunkerParamsFrom: source }).catch((e: unknown) => e)) as {
      code?: string;
      message?: string;
      detail?: string | null;
    };
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    await expectNoPasswordIn(`${error.message} ${error.detail ?? ''}`, { ...passwords, wrong });
    await expectNoPasswordIn(await readFile(argvLog, 'utf8'), { ...passwords, wrong });
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'usb' })).toEqual({ ok: true, initialized: false });
  });
});

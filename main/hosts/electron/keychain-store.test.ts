import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeychainStore, type SecretCipher } from './keychain-store.js';

/** Reversible, but the plaintext never appears in the output (like safeStorage's ciphertext). */
function fakeCipher(backend: string | null = 'gnome_libsecret', available = true): SecretCipher {
  return {
    isEncryptionAvailable: () => available,
    backend: () => backend,
    encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b) => {
      if (b[0] === 0xff) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8');
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-keychain-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secret = 'correct horse battery staple';

describe('KeychainStore', () => {
  it('stores only ciphertext in keychain.json, owner-readable, and reads it back', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const store = KeychainStore.inDataDir(dir, fakeCipher(), () => false, logger);
    await store.setPassword('nas', secret);
    await store.setPassword('usb', 'other');
    const file = path.join(dir, 'keychain.json');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ version: 1, entries: { nas: expect.any(String), usb: expect.any(String) } });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.getPassword('nas')).toBe(secret);
    expect(await store.getPassword('none')).toBe(null);
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain(secret);
    await store.deletePassword('nas');
    expect(await store.has('nas')).toBe(false);
    expect(await store.getPassword('usb')).toBe('other');
  });

  it('concurrent writes all land', async () => {
    const store = KeychainStore.inDataDir(dir, fakeCipher(), () => false);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.setPassword(`r${i}`, `p${i}`)));
    for (let i = 0; i < 20; i++) expect(await store.getPassword(`r${i}`)).toBe(`p${i}`);
  });

  it('refuses basic_text unless the user accepted it', async () => {
    let accepted = false;
    const store = KeychainStore.inDataDir(dir, fakeCipher('basic_text'), () => accepted);
    expect(store.status()).toEqual({ available: true, backend: 'basic_text', secure: false, insecureAccepted: false });
    await expect(store.setPassword('nas', secret)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(stat(path.join(dir, 'keychain.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    accepted = true;
    await store.setPassword('nas', secret);
    expect(await store.getPassword('nas')).toBe(secret);
  });

  it('refuses when no encryption is available', async () => {
    const store = KeychainStore.inDataDir(dir, fakeCipher(null, false), () => true);
    await expect(store.setPassword('nas', secret)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('an undecryptable entry is a clear error that carries no secret', async () => {
    const store = KeychainStore.inDataDir(dir, fakeCipher(), () => false);
    await store.setPassword('nas', secret);
    const file = path.join(dir, 'keychain.json');
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.entries.nas = Buffer.from([0xff, 1, 2]).toString('base64');
    await (await import('node:fs/promises')).writeFile(file, JSON.stringify(data));
    const err = await store.getPassword('nas').catch((e: unknown) => e as Error & { code: string });
    expect(err).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(String((err as Error).message)).not.toContain('ciphertext');
  });

  it('a damaged keychain.json is reported, not overwritten silently', async () => {
    await (await import('node:fs/promises')).writeFile(path.join(dir, 'keychain.json'), '{oops');
    const store = KeychainStore.inDataDir(dir, fakeCipher(), () => false);
    await expect(store.getPassword('nas')).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    await expect(store.setPassword('nas', 'x')).rejects.toMatchObject({ code: 'STORAGE_FAILED' });
    expect(await readFile(path.join(dir, 'keychain.json'), 'utf8')).toBe('{oops');
  });
});

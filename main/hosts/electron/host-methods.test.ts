import { describe, expect, it, vi } from 'vitest';
import { folderDialogHostMethods, keychainHostMethods, type KeychainPort } from './host-methods.js';

function port(): KeychainPort & { setPassword: ReturnType<typeof vi.fn> } {
  return {
    status: () => ({ available: true, backend: 'gnome_libsecret', secure: true, insecureAccepted: false }),
    setPassword: vi.fn(async () => {}),
    deletePassword: vi.fn(async () => {}),
    has: vi.fn(async () => true),
  };
}

describe('keychain host methods', () => {
  it('validate params strictly before touching the keychain', async () => {
    const k = port();
    const m = keychainHostMethods(k, vi.fn());
    await expect(m['keychain.setPassword']!({ repoId: 'nas', password: 'pw' })).resolves.toEqual({ ok: true });
    expect(k.setPassword).toHaveBeenCalledWith('nas', 'pw');
    for (const bad of [null, [], { repoId: 'NAS!', password: 'pw' }, { repoId: 'nas', password: '' }, { repoId: 'nas', password: 'pw', extra: 1 }]) {
      await expect(m['keychain.setPassword']!(bad)).rejects.toMatchObject({ code: 'BAD_PARAMS' });
    }
    expect(k.setPassword).toHaveBeenCalledTimes(1);
  });

  it('a BAD_PARAMS error never echoes the password', async () => {
    const m = keychainHostMethods(port(), vi.fn());
    const err = await m['keychain.setPassword']!({ repoId: 'Bad Id', password: 'hunter2' }).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('hunter2');
  });

  it('status, has and allowInsecure', async () => {
    const allow = vi.fn();
    const m = keychainHostMethods(port(), allow);
    await expect(m['keychain.status']!({})).resolves.toMatchObject({ secure: true });
    await expect(m['keychain.has']!({ repoId: 'nas' })).resolves.toEqual({ stored: true });
    await m['keychain.allowInsecure']!({ allow: true });
    expect(allow).toHaveBeenCalledWith(true);
    await expect(m['keychain.allowInsecure']!({ allow: 'yes' })).rejects.toMatchObject({ code: 'BAD_PARAMS' });
  });
});

describe('folder dialog host method', () => {
  it('answers the folders the native dialog chose ([] when closed) and refuses params', async () => {
    const ask = vi.fn(async () => ['/home/me/Photos', '/home/me/Documents']);
    const m = folderDialogHostMethods(ask);
    await expect(m['dialog.chooseFolders']!({})).resolves.toEqual({ paths: ['/home/me/Photos', '/home/me/Documents'] });
    await expect(folderDialogHostMethods(async () => [])['dialog.chooseFolders']!({})).resolves.toEqual({ paths: [] });
    await expect(m['dialog.chooseFolders']!({ path: '/' })).rejects.toMatchObject({ code: 'BAD_PARAMS' });
    expect(ask).toHaveBeenCalledTimes(1);
  });
});

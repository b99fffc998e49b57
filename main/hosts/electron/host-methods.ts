// IPC methods the desktop host answers itself, because only it has the OS keychain. The window calls them
// through the same `backstay:invoke` channel; their params are checked here as strictly as the engine's.
import { BackstayError } from '../../common/index.js';
import type { HostMethod } from './ipc-router.js';
import type { KeychainStatus } from './keychain-store.js';

export interface KeychainPort {
  status(): KeychainStatus;
  setPassword(repoId: string, password: string): Promise<void>;
  deletePassword(repoId: string): Promise<void>;
  has(repoId: string): Promise<boolean>;
}

const REPO_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function objectParams(params: unknown, keys: string[]): Record<string, unknown> {
  if (!params || typeof params !== 'object' || Array.isArray(params)) throw new BackstayError('BAD_PARAMS', 'Expected an object of parameters.');
  const extra = Object.keys(params).filter((k) => !keys.includes(k));
  if (extra.length) throw new BackstayError('BAD_PARAMS', `Unknown parameter "${extra[0]}".`);
  return params as Record<string, unknown>;
}

function repoId(value: unknown): string {
  if (typeof value !== 'string' || !REPO_ID.test(value)) throw new BackstayError('BAD_PARAMS', 'repoId must be a repository id.');
  return value;
}

export function keychainHostMethods(keychain: KeychainPort, setAllowInsecure: (allow: boolean) => void): Record<string, HostMethod> {
  return {
    'keychain.status': async (params) => {
      objectParams(params, []);
      return keychain.status();
    },
    'keychain.has': async (params) => ({ stored: await keychain.has(repoId(objectParams(params, ['repoId']).repoId)) }),
    'keychain.setPassword': async (params) => {
      const p = objectParams(params, ['repoId', 'password']);
      if (typeof p.password !== 'string' || p.password.length === 0 || p.password.length > 4096) {
        throw new BackstayError('BAD_PARAMS', 'The password must be a non-empty text.');
      }
      await keychain.setPassword(repoId(p.repoId), p.password);
      return { ok: true };
    },
    'keychain.deletePassword': async (params) => {
      await keychain.deletePassword(repoId(objectParams(params, ['repoId']).repoId));
      return { ok: true };
    },
    'keychain.allowInsecure': async (params) => {
      const p = objectParams(params, ['allow']);
      if (typeof p.allow !== 'boolean') throw new BackstayError('BAD_PARAMS', 'allow must be true or false.');
      setAllowInsecure(p.allow);
      return { ok: true };
    },
  };
}

/** `dialog.chooseFolders`: the guided first run's folder picker (the window in `serve` browses with fs.listDirs). */
export function folderDialogHostMethods(askFolders: () => Promise<string[]>): Record<string, HostMethod> {
  return {
    'dialog.chooseFolders': async (params) => {
      objectParams(params, []);
      return { paths: await askFolders() };
    },
  };
}

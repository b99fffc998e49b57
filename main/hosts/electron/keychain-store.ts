// Repository passwords for `{"keychain": true}`: encrypted by the OS keychain (Electron safeStorage) and kept as
// opaque blobs in <dataDir>/keychain.json. Only the ciphertext touches the disk; nothing here logs a secret.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/index.js';
import type { KeychainProvider, Logger } from '../../core/engine-api.js';

/** safeStorage, narrowed to what the store needs (electron-keychain.ts adapts the real one). */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  /** Linux only: which backend safeStorage picked ('basic_text' means a hard-coded key, i.e. no protection). */
  backend(): string | null;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface KeychainStatus {
  available: boolean;
  backend: string | null;
  /** False when the only backend is basic_text: passwords would be obfuscated, not protected. */
  secure: boolean;
  insecureAccepted: boolean;
}

export interface KeychainStoreOptions {
  file: string;
  cipher: SecretCipher;
  /** The user accepted basic_text on Linux (asked once, remembered by the host). */
  insecureAccepted(): boolean;
  logger?: Logger;
}

interface KeychainFile {
  version: 1;
  /** repoId -> base64 ciphertext */
  entries: Record<string, string>;
}

export const KEYCHAIN_FILE = 'keychain.json';

export class KeychainStore implements KeychainProvider {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: KeychainStoreOptions) {}

  static inDataDir(dataDir: string, cipher: SecretCipher, insecureAccepted: () => boolean, logger?: Logger): KeychainStore {
    return new KeychainStore({ file: path.join(dataDir, KEYCHAIN_FILE), cipher, insecureAccepted, ...(logger ? { logger } : {}) });
  }

  status(): KeychainStatus {
    const available = this.options.cipher.isEncryptionAvailable();
    const backend = this.options.cipher.backend();
    return { available, backend, secure: available && backend !== 'basic_text', insecureAccepted: this.options.insecureAccepted() };
  }

  private assertUsable(): void {
    const s = this.status();
    if (!s.available) {
      throw new BackstayError(
        'NOT_SUPPORTED',
        'The system keychain is not available. Use a password file or a password command for this repository.',
      );
    }
    if (!s.secure && !s.insecureAccepted) {
      throw new BackstayError(
        'NOT_SUPPORTED',
        'No secure keychain (GNOME Keyring or KWallet) is running, so the password could only be obfuscated. ' +
          'Start a keyring, use a password file, or allow the weaker storage in Settings.',
      );
    }
  }

  private async read(): Promise<KeychainFile> {
    let text: string;
    try {
      text = await readFile(this.options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw new BackstayError('STORAGE_FAILED', `Backstay could not read ${this.options.file}.`);
    }
    try {
      const parsed = JSON.parse(text) as Partial<KeychainFile>;
      if (parsed.version !== 1 || !parsed.entries || typeof parsed.entries !== 'object') throw new Error('shape');
      return { version: 1, entries: { ...parsed.entries } };
    } catch {
      throw new BackstayError('STORAGE_FAILED', `${this.options.file} is damaged; set the repository passwords again.`);
    }
  }

  async getPassword(repoId: string): Promise<string | null> {
    const data = await this.read();
    const blob = data.entries[repoId];
    if (blob === undefined) return null;
    this.assertUsable();
    try {
      return this.options.cipher.decryptString(Buffer.from(blob, 'base64'));
    } catch {
      // No detail: the error text of a decryption failure is not useful to a person and never has the secret.
      this.options.logger?.warn('keychain entry could not be decrypted', { repoId });
      throw new BackstayError('WRONG_PASSWORD', `The stored password of repository "${repoId}" cannot be read any more; enter it again.`);
    }
  }

  async setPassword(repoId: string, password: string): Promise<void> {
    this.assertUsable();
    const blob = this.options.cipher.encryptString(password).toString('base64');
    await this.update((entries) => {
      entries[repoId] = blob;
    });
    this.options.logger?.info('keychain entry stored', { repoId });
  }

  async deletePassword(repoId: string): Promise<void> {
    await this.update((entries) => {
      delete entries[repoId];
    });
  }

  async has(repoId: string): Promise<boolean> {
    return (await this.read()).entries[repoId] !== undefined;
  }

  /** Read-modify-write, one at a time, replaced atomically and readable by the owner only. */
  private update(change: (entries: Record<string, string>) => void): Promise<void> {
    const run = this.writing.then(async () => {
      const data = await this.read();
      change(data.entries);
      await mkdir(path.dirname(this.options.file), { recursive: true });
      const tmp = `${this.options.file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
      await rename(tmp, this.options.file);
    });
    this.writing = run.catch(() => undefined);
    return run;
  }
}

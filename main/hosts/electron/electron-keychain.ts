// safeStorage behind the SecretCipher port of keychain-store.ts.
import { safeStorage } from 'electron';
import type { SecretCipher } from './keychain-store.js';

/**
 * On Linux without GNOME Keyring or KWallet, safeStorage only offers basic_text (a fixed key). It is used only
 * once the user accepted it (`insecureAccepted`), and then only after telling safeStorage so explicitly.
 */
export function safeStorageCipher(insecureAccepted: () => boolean): SecretCipher {
  const backend = () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null);
  return {
    backend,
    isEncryptionAvailable() {
      if (safeStorage.isEncryptionAvailable()) return true;
      if (process.platform === 'linux' && backend() === 'basic_text' && insecureAccepted()) {
        safeStorage.setUsePlainTextEncryption(true);
        return safeStorage.isEncryptionAvailable();
      }
      return false;
    },
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  };
}

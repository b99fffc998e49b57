// Which values config.get and `backstay export` hide: the class of secret env names, URI passwords in every
// repository URI form restic takes, and the round trip of a masked value back to the stored one.
import { describe, expect, it } from 'vitest';
import { isSecretEnvName, maskRepoSecrets, maskUriPassword, restoreMaskedSecrets, SECRET_MASK } from '../../main/core/config/secret-mask.js';

describe('isSecretEnvName', () => {
  it.each([
    'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'B2_ACCOUNT_KEY', 'AZURE_ACCOUNT_KEY', 'AZURE_ACCOUNT_SAS', 'GOOGLE_PROJECT_ID',
    'GOOGLE_APPLICATION_CREDENTIALS', 'RESTIC_PASSWORD', 'OS_PASSWORD', 'ST_KEY', 'RCLONE_CONFIG_X_PASS', 'github_token', 'MY_API_KEY_FILE',
  ])('%s is a secret', (name) => expect(isSecretEnvName(name)).toBe(true));
  it.each(['AWS_ACCESS_KEY_ID', 'B2_ACCOUNT_ID', 'AZURE_ACCOUNT_NAME', 'RESTIC_COMPRESSION', 'AWS_DEFAULT_REGION', 'OS_USERNAME', 'KEYBOARD'])(
    '%s is not',
    (name) => expect(isSecretEnvName(name)).toBe(false),
  );
});

describe('maskUriPassword', () => {
  it.each([
    ['rest:https://me:pw@nas:8000/repo', `rest:https://me:${SECRET_MASK}@nas:8000/repo`],
    ['rest:http://me:p%40ss@127.0.0.1:8000/', `rest:http://me:${SECRET_MASK}@127.0.0.1:8000/`],
    ['https://me:pw@host/x', `https://me:${SECRET_MASK}@host/x`],
    ['s3:https://s3.example.com/bucket', 's3:https://s3.example.com/bucket'],
    ['sftp:user@host:/srv/restic', 'sftp:user@host:/srv/restic'],
    ['rest:https://me@nas/', 'rest:https://me@nas/'],
    ['/srv/restic', '/srv/restic'],
    ['rclone:remote:path', 'rclone:remote:path'],
  ])('%s -> %s', (uri, masked) => expect(maskUriPassword(uri)).toBe(masked));
});

describe('restoreMaskedSecrets', () => {
  const stored = { id: 'r', uri: 'rest:https://me:pw@nas/', password: { command: 'pass show r' }, env: { B2_ACCOUNT_KEY: 'k', B2_ACCOUNT_ID: 'i' } };
  it('gives back every stored secret for a mask, and takes a typed value as typed', () => {
    const masked = maskRepoSecrets(stored);
    expect(JSON.stringify(masked)).not.toMatch(/pass show|"k"|:pw@/);
    expect(restoreMaskedSecrets(masked, stored)).toEqual(stored);
    const typed = { ...masked, uri: 'rest:https://me:new@nas/', env: { ...masked.env, B2_ACCOUNT_KEY: 'new' }, password: { command: 'other' } };
    expect(restoreMaskedSecrets(typed, stored)).toEqual({ ...stored, uri: 'rest:https://me:new@nas/', env: { B2_ACCOUNT_KEY: 'new', B2_ACCOUNT_ID: 'i' }, password: { command: 'other' } });
  });
  it('a mask on a new host or user in the URI is not taken as the old password', () => {
    const moved = { ...maskRepoSecrets(stored), uri: `rest:https://me:${SECRET_MASK}@other/` };
    expect(restoreMaskedSecrets(moved, stored).uri).toBe(`rest:https://me:${SECRET_MASK}@other/`);
  });
});

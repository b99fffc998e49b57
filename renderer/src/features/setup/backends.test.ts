import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.js';
import { zhCN } from '../../i18n/zh-CN.js';
import { BACKEND_KINDS, BACKENDS, envFor, missingFor, suggestRepoId, type BackendKind } from './backends.js';

describe('backends', () => {
  // The URI restic takes for each kind, from what a person fills in (restic's docs, "Preparing a new repository").
  const table: [BackendKind, Record<string, string>, string, string[]][] = [
    ['local', { path: '/media/usb/backups' }, '/media/usb/backups', []],
    ['sftp', { user: 'me', host: 'nas.local', path: '/srv/restic' }, 'sftp:me@nas.local:/srv/restic', []],
    ['sftp', { host: 'nas.local', path: '/srv/restic' }, 'sftp:nas.local:/srv/restic', []],
    ['rest', { url: 'http://127.0.0.1:8000/' }, 'rest:http://127.0.0.1:8000/', []],
    ['s3', { endpoint: 's3.amazonaws.com', bucket: 'b', path: '/home/' }, 's3:s3.amazonaws.com/b/home', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']],
    ['s3', { endpoint: 'https://minio.local:9000/', bucket: 'b' }, 's3:https://minio.local:9000/b', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']],
    ['b2', { bucket: 'b', path: 'home' }, 'b2:b:home', ['B2_ACCOUNT_ID', 'B2_ACCOUNT_KEY']],
    ['azure', { container: 'c', path: 'home' }, 'azure:c:/home', ['AZURE_ACCOUNT_NAME', 'AZURE_ACCOUNT_KEY']],
    ['gcs', { bucket: 'b', path: 'home' }, 'gs:b:/home', ['GOOGLE_PROJECT_ID', 'GOOGLE_APPLICATION_CREDENTIALS']],
    ['rclone', { remote: 'drive:', path: 'restic' }, 'rclone:drive:restic', []],
  ];

  it.each(table)('%s %j is %s and needs %j', (kind, values, uri, requiredEnv) => {
    const b = BACKENDS[kind];
    expect(b.uri(values)).toBe(uri);
    expect(b.env.filter((e) => !e.optional).map((e) => e.name)).toEqual(requiredEnv);
    // Filled in, nothing is missing; with the variables left empty, exactly they are.
    const env = Object.fromEntries(requiredEnv.map((n) => [n, 'x']));
    expect(missingFor(b, values, env)).toEqual([]);
    expect(missingFor(b, values, {})).toEqual(requiredEnv);
  });

  it('every kind is in the table with words in both languages, and its required fields are asked for', () => {
    expect(Object.keys(BACKENDS).sort()).toEqual([...BACKEND_KINDS].sort());
    for (const kind of BACKEND_KINDS) {
      const b = BACKENDS[kind];
      expect(en[b.label]).toBeTruthy();
      expect(zhCN[b.label]).toBeTruthy();
      for (const f of b.fields) expect(zhCN[f.label]).toBeTruthy();
      const required = b.fields.filter((f) => !f.optional).map((f) => f.key);
      expect(missingFor(b, {}, Object.fromEntries(b.env.map((e) => [e.name, 'x'])))).toEqual(required);
    }
  });

  it('keys and secrets are secret; account names are not', () => {
    const secret = (kind: BackendKind) => BACKENDS[kind].env.filter((e) => e.secret).map((e) => e.name);
    expect(secret('s3')).toEqual(['AWS_SECRET_ACCESS_KEY']);
    expect(secret('b2')).toEqual(['B2_ACCOUNT_KEY']);
    expect(secret('azure')).toEqual(['AZURE_ACCOUNT_KEY']);
  });

  it('saves only the variables filled in, trimmed', () => {
    expect(envFor(BACKENDS.s3, { AWS_ACCESS_KEY_ID: ' id ', AWS_SECRET_ACCESS_KEY: 'k', AWS_DEFAULT_REGION: '' })).toEqual({
      AWS_ACCESS_KEY_ID: 'id',
      AWS_SECRET_ACCESS_KEY: 'k',
    });
  });

  it('suggests an id no repository has', () => {
    expect(suggestRepoId('local', [])).toBe('local');
    expect(suggestRepoId('local', ['local', 'local-2'])).toBe('local-3');
  });
});

import { describe, expect, it } from 'vitest';
import type { RepoState } from '../../common/index.js';
import { repoSchema } from '../config/schema.js';
import { deriveRepoStates } from './repo-states.js';

const repo = (id: string, extra: Record<string, unknown> = {}) =>
  repoSchema.parse({ id, uri: `sftp://user:secret@host/${id}`, password: { file: '/pw' }, ...extra });
const known = (id: string): RepoState => ({
  id,
  uri: 'old',
  passwordKind: 'file',
  envKeys: [],
  health: 'locked',
  lastError: 'locked by pid 7',
});

describe('deriveRepoStates', () => {
  it('starts unknown, with the uri redacted and only the names of the env variables', () => {
    expect(deriveRepoStates([repo('nas', { env: { B2_KEY: 'k' }, password: { env: 'PW' } })], null, [])).toEqual([
      { id: 'nas', uri: expect.not.stringContaining('secret'), passwordKind: 'env', envKeys: ['B2_KEY'], health: 'unknown', lastError: null },
    ]);
  });

  const changes: Array<[string, Record<string, unknown>, boolean]> = [
    ['nothing about the connection', { maintenance: { checkReadDataSubset: '5%' } }, true],
    ['the uri', { uri: 'sftp://host/elsewhere' }, false],
    ['the password', { password: { file: '/other' } }, false],
    ['the env', { env: { X: '1' } }, false],
    ['the flags', { flags: ['--limit-upload=100'] }, false],
  ];
  it.each(changes)('a change of %s keeps what was known: %s', (_what, change, kept) => {
    const [state] = deriveRepoStates([repo('nas', change)], [repo('nas')], [known('nas')]);
    expect(state?.health).toBe(kept ? 'locked' : 'unknown');
    expect(state?.lastError).toBe(kept ? 'locked by pid 7' : null);
  });

  it('keeps what is known about the other repositories when one is added', () => {
    const states = deriveRepoStates([repo('nas'), repo('usb')], [repo('nas')], [known('nas')]);
    expect(states.map((s) => [s.id, s.health])).toEqual([
      ['nas', 'locked'],
      ['usb', 'unknown'],
    ]);
  });

  it('at startup (no previous config) knows nothing yet', () => {
    expect(deriveRepoStates([repo('nas')], null, [known('nas')])[0]?.health).toBe('unknown');
  });
});

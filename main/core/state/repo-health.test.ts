import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, type OpKind, type OpStatus } from '../../common/index.js';
import { repoHealthAfter, type RepoHealthPatch } from './repo-health.js';
import { anOperation } from './testing/operations.js';

const error = (code: ErrorCode) => ({ code, message: 'boom', detail: null });

describe('repoHealthAfter', () => {
  const cases: Array<[OpKind, OpStatus, ErrorCode | null, RepoHealthPatch | null]> = [
    ['backup', 'success', null, { health: 'ok', lastError: null, lastErrorCode: null }],
    ['backup', 'warning', 'PARTIAL', { health: 'ok', lastError: null, lastErrorCode: null }],
    ['check', 'success', null, { health: 'ok', lastError: null, lastErrorCode: null }],
    ['backup', 'error', 'REPOSITORY_LOCKED', { health: 'locked', lastError: 'boom', lastErrorCode: 'REPOSITORY_LOCKED' }],
    ['prune', 'cancelled', 'REPOSITORY_LOCKED', { health: 'locked', lastError: null, lastErrorCode: null }],
    ['backup', 'error', 'WRONG_PASSWORD', { health: 'error', lastError: 'boom', lastErrorCode: 'WRONG_PASSWORD' }],
    ['forget', 'error', 'NETWORK', { health: 'error', lastError: 'boom', lastErrorCode: 'NETWORK' }],
    ['stats', 'error', 'NO_REPOSITORY', { health: 'error', lastError: 'boom', lastErrorCode: 'NO_REPOSITORY' }],
    ['check', 'error', 'RESTIC_FAILED', { health: 'error', lastError: 'boom', lastErrorCode: 'RESTIC_FAILED' }],
    ['check', 'error', 'INDEX_DAMAGED', { health: 'error', lastError: 'boom', lastErrorCode: 'INDEX_DAMAGED' }],
    // Not about the repository: the plan shows these, the repository keeps what it was.
    ['backup', 'error', 'SOURCE_MISSING', null],
    ['backup', 'error', 'NO_SNAPSHOT', null],
    ['backup', 'error', 'TOO_MANY_ARGUMENTS', null],
    ['backup', 'error', 'RESTIC_FAILED', null],
    ['restore', 'error', 'TARGET_INVALID', null],
    ['backup', 'cancelled', 'CANCELLED', null],
    ['backup', 'interrupted', 'INTERRUPTED', null],
  ];
  it.each(cases)('a %s that ended %s (%s) leaves the repository %j', (kind, status, code, expected) => {
    expect(repoHealthAfter(anOperation({ kind, status, error: code ? error(code) : null }))).toEqual(expected);
  });

  it('no error code about the input or the machine marks a repository broken after a backup', () => {
    const aboutTheRepository = new Set(['NO_REPOSITORY', 'WRONG_PASSWORD', 'NETWORK', 'INDEX_DAMAGED', 'REPOSITORY_LOCKED']);
    for (const code of ERROR_CODES) {
      const health = repoHealthAfter(anOperation({ kind: 'backup', status: 'error', error: error(code) }))?.health ?? null;
      expect([code, health]).toEqual([code, aboutTheRepository.has(code) ? (code === 'REPOSITORY_LOCKED' ? 'locked' : 'error') : null]);
    }
  });
});

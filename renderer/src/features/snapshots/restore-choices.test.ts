import { describe, expect, it } from 'vitest';
import { hasOverwriteChoice } from './restore-choices.js';

describe('the overwrite choice follows the restic version', () => {
  it.each([
    ['restic 0.14.0 compiled with go1.19.8 on linux/amd64', false],
    ['restic 0.16.5 compiled with go1.22 on linux/amd64', false],
    ['restic 0.17.0 compiled with go1.22 on linux/amd64', true],
    ['restic 0.19.1', true],
    ['restic 1.0.0', true],
    [null, false],
    ['', false],
  ])('%s -> %s', (version, expected) => {
    expect(hasOverwriteChoice(version)).toBe(expected);
  });
});

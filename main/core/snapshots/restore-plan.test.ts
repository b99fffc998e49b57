import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { validateRestoreTarget } from './restore-plan.js';

const SNAP = '4f1c2d3e' + '0'.repeat(56);
const NOW = new Date('2026-01-31T14:25:01.000Z');
let dir: string;
let source: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'backstay-restore-'));
  source = path.join(dir, 'home', 'me');
  mkdirSync(path.join(source, 'docs'), { recursive: true });
  writeFileSync(path.join(source, 'docs', 'a.txt'), 'a');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<BackstayError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(BackstayError);
  return err as BackstayError;
}
const validate = (target: string, overwrite = false, snapshotPaths = [source]) =>
  validateRestoreTarget({ target, snapshotPaths, overwrite, snapshotId: SNAP, now: NOW });

describe('validateRestoreTarget', () => {
  it('accepts a missing folder whose parent is writable, as is', async () => {
    const target = path.join(dir, 'restored', 'here');
    expect(await validate(target)).toEqual({ target, newSubfolder: false });
  });

  it('accepts an empty existing folder as is', async () => {
    const target = path.join(dir, 'empty');
    mkdirSync(target);
    expect(await validate(target)).toEqual({ target, newSubfolder: false });
  });

  it('uses a new subfolder for a non-empty folder unless overwrite was chosen', async () => {
    const target = path.join(dir, 'full');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep.txt'), 'x');
    const sub = path.join(target, 'restore-4f1c2d3e-20260131-142501');
    expect(await validate(target)).toEqual({ target: sub, newSubfolder: true });
    mkdirSync(sub);
    expect((await validate(target)).target).toBe(`${sub}-2`);
    expect(await validate(target, true)).toEqual({ target, newSubfolder: false });
  });

  it('refuses a relative or empty path', async () => {
    expect((await rejection(validate('restored'))).code).toBe('TARGET_INVALID');
    expect((await rejection(validate('restored'))).message).toMatch(/full path/);
    expect((await rejection(validate(''))).code).toBe('TARGET_INVALID');
  });

  it('refuses a target inside or equal to the folder being restored, unless overwrite', async () => {
    for (const target of [source, path.join(source, 'docs'), path.join(source, 'docs', 'new')]) {
      const err = await rejection(validate(target));
      expect(err.code).toBe('TARGET_INVALID');
      expect(err.message).toMatch(/would restore into the folder being restored/);
    }
    expect((await validate(path.join(source, 'docs'), true)).target).toBe(path.join(source, 'docs'));
    // A sibling whose name merely starts the same is not inside.
    expect((await validate(`${source}2`)).newSubfolder).toBe(false);
  });

  it('sees through a symlink pointing into the source', async () => {
    const link = path.join(dir, 'shortcut');
    symlinkSync(path.join(source, 'docs'), link);
    expect((await rejection(validate(link))).message).toMatch(/folder being restored/);
  });

  it('refuses a file, and a folder that cannot be created under a file', async () => {
    const file = path.join(dir, 'file.txt');
    writeFileSync(file, 'x');
    expect((await rejection(validate(file))).message).toMatch(/is a file, not a folder/);
    expect((await rejection(validate(path.join(file, 'sub')))).message).toMatch(/cannot be created/);
  });

  it('refuses a folder that cannot be written', async () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    // root may write anywhere; use a read-only file system instead if there is one
    const target = process.getuid?.() === 0 ? '/proc/self' : locked;
    const err = await rejection(validate(target));
    expect(err.code).toBe('TARGET_INVALID');
    expect(err.message).toMatch(/cannot write/);
  });
});

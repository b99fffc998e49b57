import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { makeFakeRestic } from '../../../test/helpers/fake-restic.js';
import { REAL_RESTIC } from '../../../test/helpers/restic-wrapper-repo.js';
import { clearResticVersionCache, findResticBinary, parseResticVersion, readResticVersion, resticFeatures } from './binary.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-binary-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function executable(name: string, body = '#!/bin/sh\nexit 0\n'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, body);
  await chmod(file, 0o755);
  return file;
}

function thrown(fn: () => unknown): BackstayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BackstayError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('findResticBinary', () => {
  it('prefers settings.resticBinary, then $BACKSTAY_RESTIC, then PATH', async () => {
    const configured = await executable('restic-configured');
    const fromEnv = await executable('restic-env');
    const onPathDir = await mkdtemp(path.join(dir, 'bin-'));
    const onPath = path.join(onPathDir, 'restic');
    await writeFile(onPath, '#!/bin/sh\n');
    await chmod(onPath, 0o755);
    const env = { PATH: onPathDir, BACKSTAY_RESTIC: fromEnv };
    expect(findResticBinary({ configured, env })).toBe(configured);
    expect(findResticBinary({ configured: null, env })).toBe(fromEnv);
    expect(findResticBinary({ configured: null, env: { PATH: onPathDir } })).toBe(onPath);
  });

  it('finds the real restic on PATH', () => {
    expect(findResticBinary({ configured: null, env: { PATH: `/nonexistent${path.delimiter}${path.dirname(REAL_RESTIC)}` } })).toBe(REAL_RESTIC);
  });

  it('skips files on PATH that are not executable', async () => {
    const d = await mkdtemp(path.join(dir, 'noexec-'));
    await writeFile(path.join(d, 'restic'), 'not a program');
    const err = thrown(() => findResticBinary({ configured: null, env: { PATH: d } }));
    expect(err.code).toBe('RESTIC_NOT_FOUND');
  });

  it('names everything it tried when restic is nowhere', () => {
    const err = thrown(() => findResticBinary({ configured: null, env: { PATH: '/nonexistent' } }));
    expect(err.code).toBe('RESTIC_NOT_FOUND');
    expect(err.message).toContain('settings.resticBinary');
    expect(err.message).toContain('$BACKSTAY_RESTIC');
    expect(err.message).toContain('PATH');
  });

  it('does not fall back silently when the configured binary is missing', () => {
    const err = thrown(() => findResticBinary({ configured: '/opt/no/restic', env: { PATH: path.dirname(REAL_RESTIC) } }));
    expect(err.code).toBe('RESTIC_NOT_FOUND');
    expect(err.message).toContain('/opt/no/restic');
    const err2 = thrown(() => findResticBinary({ configured: null, env: { BACKSTAY_RESTIC: '/opt/no/restic2', PATH: path.dirname(REAL_RESTIC) } }));
    expect(err2.message).toContain('$BACKSTAY_RESTIC');
  });
});

describe('readResticVersion', () => {
  it('reads the real restic 0.14', async () => {
    const v = await readResticVersion(REAL_RESTIC);
    expect(v.major).toBe(0);
    expect(v.minor).toBeGreaterThanOrEqual(14);
    expect(v.raw).toMatch(/^restic \d+\.\d+\.\d+ compiled with go/);
  });

  it('reads a fake 0.17.3 and caches by path and mtime', async () => {
    const d = await mkdtemp(path.join(dir, 'fake-'));
    const fake = await makeFakeRestic(d, { version: 'restic 0.17.3 compiled with go1.22.5 on linux/amd64' });
    expect(await readResticVersion(fake.binary)).toMatchObject({ major: 0, minor: 17, patch: 3 });
    // Change what it prints without touching the binary: the cached answer stays.
    await makeFakeRestic(d, { version: 'restic 0.18.0 compiled with go1.23 on linux/amd64' });
    const script = path.join(d, 'fake-restic.json');
    expect(fake.env.FAKE_RESTIC_SCRIPT).toBe(script);
    // makeFakeRestic rewrote the binary too; force a distinct mtime to show the cache notices an upgrade.
    const later = new Date(Date.now() + 5000);
    const { utimes } = await import('node:fs/promises');
    await utimes(fake.binary, later, later);
    expect(await readResticVersion(fake.binary)).toMatchObject({ minor: 18, patch: 0 });
  });

  it('refuses restic below 0.14 with a clear message', async () => {
    clearResticVersionCache();
    const d = await mkdtemp(path.join(dir, 'old-'));
    const fake = await makeFakeRestic(d, { version: 'restic 0.13.1 compiled with go1.17 on linux/amd64' });
    await expect(readResticVersion(fake.binary)).rejects.toMatchObject({
      code: 'RESTIC_TOO_OLD',
      message: expect.stringMatching(/restic 0\.13\.1 .* too old: Backstay needs restic 0\.14\.0 or newer/),
    });
  });

  it('says so when the program is not restic', async () => {
    const notRestic = await executable('not-restic', '#!/bin/sh\necho "hello"\n');
    await expect(readResticVersion(notRestic)).rejects.toMatchObject({ code: 'RESTIC_FAILED' });
    await expect(readResticVersion(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'RESTIC_NOT_FOUND' });
  });

  it('parses dev and short version strings', () => {
    expect(parseResticVersion('restic 0.16.4-dev (compiled manually) compiled with go1.21 on linux/amd64')).toMatchObject({ major: 0, minor: 16, patch: 4 });
    expect(parseResticVersion('restic 0.19.0\n')).toMatchObject({ minor: 19, patch: 0, raw: 'restic 0.19.0' });
    expect(parseResticVersion('rclone v1.60')).toBeNull();
  });
});

describe('resticFeatures', () => {
  it('picks per-version behaviour', () => {
    const f014 = resticFeatures({ major: 0, minor: 14, patch: 0 });
    expect(f014.repairIndexArgs).toEqual(['rebuild-index']);
    expect(f014.restoreJson).toBe(false);
    expect(f014.exitCodesRepoLockedCancelled).toBe(false);
    expect(f014.trapsSigterm).toBe(false);
    expect(f014.statusLinesPerSecond).toBe(60);
    const f016 = resticFeatures({ major: 0, minor: 16, patch: 4 });
    expect(f016.repairIndexArgs).toEqual(['repair', 'index']);
    expect(f016.restoreJson).toBe(true);
    expect(resticFeatures({ major: 0, minor: 17, patch: 0 })).toMatchObject({ exitCodesRepoLockedCancelled: true, exitCodeWrongPassword: false, errorMessageField: false });
    expect(resticFeatures({ major: 0, minor: 17, patch: 1 })).toMatchObject({ exitCodeWrongPassword: true, errorMessageField: true, exitErrorJson: false });
    expect(resticFeatures({ major: 0, minor: 18, patch: 0 }).exitErrorJson).toBe(true);
    expect(resticFeatures({ major: 0, minor: 19, patch: 0 }).statusLinesPerSecond).toBe(10);
    expect(resticFeatures({ major: 1, minor: 0, patch: 0 }).restoreJson).toBe(true);
  });
});

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { hashConfigText, loadConfig, loadConfigWithHash, serializeConfig } from './load.js';
import { saveConfig, updateConfig } from './save.js';
import { emptyConfig, type BackstayConfig } from './schema.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backstay-config-'));
  file = path.join(dir, 'Backstay', 'config.json');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const repo = { id: 'nas', uri: '/srv/restic', password: { file: '/p' } };
const plan = { id: 'home', repo: 'nas', paths: ['/home/me'] };

async function modeOf(p: string): Promise<number> {
  return (await fs.stat(p)).mode & 0o777;
}

async function rejection(promise: Promise<unknown>): Promise<BackstayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BackstayError);
    return err as BackstayError;
  }
  throw new Error('expected a rejection');
}

describe('loadConfig', () => {
  it('first run: creates an empty valid config (0600, folder 0700) and returns it', async () => {
    const config = await loadConfig(file);
    expect(config).toEqual(emptyConfig());
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(emptyConfig());
    if (process.platform !== 'win32') {
      expect(await modeOf(file)).toBe(0o600);
      expect(await modeOf(path.dirname(file))).toBe(0o700);
    }
    // Loading again reads the same file.
    expect(await loadConfig(file)).toEqual(config);
  });

  it('two first runs at once both end with the same single file', async () => {
    const [a, b] = await Promise.all([loadConfig(file), loadConfig(file)]);
    expect(a).toEqual(b);
    expect(await fs.readdir(path.dirname(file))).toEqual(['config.json']);
  });

  it('an invalid file is an error naming file and path, and is never touched', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const text = JSON.stringify({ version: 1, repos: [repo], plans: [{ ...plan, repo: 'nsa' }] });
    await fs.writeFile(file, text);
    const before = await fs.stat(file);
    const err = await rejection(loadConfig(file));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(`${file}: plans[0].repo: no repository "nsa" (known: nas)`);
    expect(await fs.readFile(file, 'utf8')).toBe(text);
    expect((await fs.stat(file)).mtimeMs).toBe(before.mtimeMs);
  });

  it('invalid JSON and an empty file are errors and are not replaced by a fresh config', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"version": 1,');
    expect((await rejection(loadConfig(file))).message).toBe(
      `${file}: not valid JSON at line 1, column 15: expected a key in double quotes, found the end of the file`,
    );
    expect(await fs.readFile(file, 'utf8')).toBe('{"version": 1,');
    await fs.writeFile(file, '');
    expect((await rejection(loadConfig(file))).message).toContain('the file is empty');
    expect(await fs.readFile(file, 'utf8')).toBe('');
  });

  it('a file where its folder should be is a clear error', async () => {
    await fs.writeFile(path.join(dir, 'Backstay'), 'not a folder');
    expect((await rejection(loadConfig(file))).message).toBe(`${file}: cannot be read (a folder on its path is a file)`);
    expect(await fs.readFile(path.join(dir, 'Backstay'), 'utf8')).toBe('not a folder');
  });

  it('a folder where the file should be is a clear error', async () => {
    await fs.mkdir(file, { recursive: true });
    expect((await rejection(loadConfig(file))).message).toBe(`${file}: cannot be read (it is a folder, not a file)`);
  });
});

describe('saveConfig', () => {
  it('validates, fills defaults, writes 0600 and leaves no temp file', async () => {
    const saved = await saveConfig(file, { version: 1, repos: [repo], plans: [plan] });
    expect(saved.plans[0]!.excludes).toEqual([]);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(saved);
    expect(await loadConfig(file)).toEqual(saved);
    expect(await fs.readdir(path.dirname(file))).toEqual(['config.json']);
    if (process.platform !== 'win32') expect(await modeOf(file)).toBe(0o600);
  });

  it('refuses an invalid config and leaves the file as it was', async () => {
    const good = await saveConfig(file, { version: 1, repos: [repo], plans: [plan] });
    const text = await fs.readFile(file, 'utf8');
    const bad = { ...good, plans: [{ ...good.plans[0]!, repo: 'gone' }] };
    const err = await rejection(saveConfig(file, bad));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(`${file}: plans[0].repo: no repository "gone" (known: nas)`);
    expect(await fs.readFile(file, 'utf8')).toBe(text);
    expect(await fs.readdir(path.dirname(file))).toEqual(['config.json']);
  });

  it('refuses to replace a file on disk that is itself invalid (someone is editing it)', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"version": 1, "repos": [}');
    const err = await rejection(saveConfig(file, emptyConfig()));
    expect(err.message).toContain(`${file}: not saved, because the file on disk is invalid`);
    expect(await fs.readFile(file, 'utf8')).toBe('{"version": 1, "repos": [}');
  });

  it('a failed rename leaves no temp file behind', async () => {
    // A non-empty folder in the file's place makes rename() fail after the temp file was written.
    await fs.mkdir(path.join(file, 'blocker'), { recursive: true });
    await expect(saveConfig(file, emptyConfig())).rejects.toThrow();
    expect(await fs.readdir(path.dirname(file))).toEqual(['config.json']);
    expect(await fs.readdir(file)).toEqual(['blocker']);
  });

  it('is atomic: a reader racing many saves only ever sees a whole old or whole new file', async () => {
    await saveConfig(file, emptyConfig());
    const versions = Array.from({ length: 40 }, (_, i) =>
      ({ ...emptyConfig(), repos: [{ ...repo, uri: `/srv/${'x'.repeat(2000 + i * 500)}`, env: {}, flags: [] }] }) satisfies BackstayConfig,
    );
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await fs.readFile(file, 'utf8');
        JSON.parse(text); // throws on a partial file
        reads++;
      }
    })();
    for (const v of versions) await saveConfig(file, v);
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect((await loadConfig(file)).repos[0]!.uri).toBe(versions.at(-1)!.repos[0]!.uri);
    expect(await fs.readdir(path.dirname(file))).toEqual(['config.json']);
  });
});

describe('updateConfig', () => {
  it('concurrent updates in one process are serialised: none is lost', async () => {
    await saveConfig(file, { version: 1, repos: [repo] });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        updateConfig(file, async (draft) => {
          await new Promise((resolve) => setImmediate(resolve)); // yield, so unserialised updates would interleave
          draft.plans.push({ ...plan, id: `p${i}`, excludes: [], schedule: null, retention: null });
        }),
      ),
    );
    const ids = (await loadConfig(file)).plans.map((p) => p.id).sort();
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`).sort());
  });

  it('a mutation that makes the config invalid is refused, and later updates still run', async () => {
    await saveConfig(file, { version: 1, repos: [repo] });
    const before = await fs.readFile(file, 'utf8');
    const failed = updateConfig(file, (draft) => ({ ...draft, plans: [{ ...plan, repo: 'nope' }] }));
    const next = updateConfig(file, (draft) => {
      draft.settings.stallAfterSeconds = 60;
    });
    expect((await rejection(failed)).message).toContain('plans[0].repo: no repository "nope"');
    expect((await next).settings.stallAfterSeconds).toBe(60);
    expect(before).not.toBe(await fs.readFile(file, 'utf8'));
    expect((await loadConfig(file)).plans).toEqual([]);
  });
});

describe('a symlinked config.json', () => {
  // A config kept elsewhere (a dotfiles repository) and linked in, by an absolute or a relative link, or by a chain.
  const layouts: [string, (target: string) => string][] = [
    ['an absolute link', (target) => target],
    ['a relative link', (target) => path.relative(path.dirname(file), target)],
  ];
  it.each(layouts)('%s: a save writes through to the target, atomically, and the link stays a link', async (_name, linkText) => {
    const target = path.join(dir, 'dotfiles', 'backstay.json');
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(target, JSON.stringify({ version: 1, repos: [repo] }));
    await fs.symlink(linkText(target), file);

    await saveConfig(file, { version: 1, repos: [repo], plans: [plan] });

    expect((await fs.lstat(file)).isSymbolicLink()).toBe(true);
    expect(await fs.readlink(file)).toBe(linkText(target));
    expect(JSON.parse(await fs.readFile(target, 'utf8')).plans).toHaveLength(1);
    expect((await loadConfig(file)).plans[0]!.id).toBe('home');
    // No temp file left beside either the link or the target.
    expect(await fs.readdir(path.dirname(file))).toEqual(['config.json']);
    expect(await fs.readdir(path.dirname(target))).toEqual(['backstay.json']);
  });

  it('a chain of links is followed to its end; a loop is an error and writes nothing', async () => {
    const target = path.join(dir, 'real.json');
    const middle = path.join(dir, 'middle.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(target, JSON.stringify({ version: 1 }));
    await fs.symlink(target, middle);
    await fs.symlink(middle, file);
    await updateConfig(file, (draft) => {
      draft.repos.push(repo as never);
    });
    expect((await fs.lstat(middle)).isSymbolicLink()).toBe(true);
    expect((await fs.lstat(file)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await fs.readFile(target, 'utf8')).repos[0].id).toBe('nas');

    await fs.rm(target);
    await fs.symlink(file, target); // file -> middle -> target -> file
    await expect(saveConfig(file, { version: 1 })).rejects.toThrow();
    expect((await fs.lstat(target)).isSymbolicLink()).toBe(true);
  });

  it('a first run through a link whose target does not exist yet creates the target', async () => {
    const target = path.join(dir, 'elsewhere.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.symlink(target, file);
    expect(await loadConfig(file)).toEqual(emptyConfig());
    expect((await fs.lstat(file)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await fs.readFile(target, 'utf8'))).toEqual(emptyConfig());
  });
});

describe('updateConfig with the hash of what the caller read', () => {
  it('refuses with CONFIG_CHANGED when the file was edited meanwhile, and leaves the edit alone', async () => {
    await saveConfig(file, { version: 1, repos: [repo] });
    const { hash } = await loadConfigWithHash(file);
    const byHand = JSON.stringify({ version: 1, repos: [repo], plans: [plan] }, null, 2);
    await fs.writeFile(file, byHand);
    const error = await rejection(updateConfig(file, (draft) => void (draft.settings.stallAfterSeconds = 60), { expectedHash: hash }));
    expect(error.code).toBe('CONFIG_CHANGED');
    expect(error.message).toContain(file);
    expect(await fs.readFile(file, 'utf8')).toBe(byHand);
    // Against what is on disk now, the same change goes through and keeps the hand edit.
    const now = await loadConfigWithHash(file);
    const saved = await updateConfig(file, (draft) => void (draft.settings.stallAfterSeconds = 60), { expectedHash: now.hash });
    expect(saved.plans.map((p) => p.id)).toEqual(['home']);
    expect(saved.settings.stallAfterSeconds).toBe(60);
    expect(hashConfigText(await fs.readFile(file, 'utf8'))).toBe(hashConfigText(serializeConfig(saved)));
  });
});

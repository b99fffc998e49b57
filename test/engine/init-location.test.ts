// repos.init and the folder it is given (real restic 0.14). restic creates a repository in any folder, also one
// full of documents, and says "already exists" before it looks at any password; so Backstay creates one only in a
// new or empty folder (a drive's own system entries do not count), and calls an existing repository ready only if
// this password opens it.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();

async function engineOn(ws: Workspace, uri = ws.repoPath): Promise<EngineInternals> {
  await ws.writeConfig({ repos: [{ id: 'local', uri, password: { file: ws.passwordFile } }] });
  return fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
}

const refusal = (engine: EngineInternals) =>
  engine.rpc.invoke('repos.init', { repoId: 'local' }).then(
    () => null,
    (e: unknown) => e as { code?: string; message?: string },
  );

describe('repos.init on a repository that is already there', () => {
  it('is ready when the password opens it', async () => {
    const ws = await fixture.workspace({ files: 1 });
    const engine = await engineOn(ws);
    expect(await engine.rpc.invoke('repos.init', { repoId: 'local' })).toEqual({ ok: true });
  });

  it('is refused, WRONG_PASSWORD, when the password does not open it', async () => {
    const ws = await fixture.workspace({ files: 1 });
    await writeFile(ws.passwordFile, 'not-the-password', { mode: 0o600 });
    const engine = await engineOn(ws);
    const error = await refusal(engine);
    expect(error?.code).toBe('WRONG_PASSWORD');
    expect(error?.message).toBe('A repository is already at the location of "local", and this password does not open it.');
    expect(error?.message).not.toContain('not-the-password');
  });
});

describe('repos.init in a local folder', () => {
  it.each([
    { what: 'a folder that is not there yet', entries: null, created: true },
    { what: 'an empty folder', entries: [], created: true },
    { what: "a drive's root with only its own entries", entries: ['lost+found', '.Trash-1000', 'System Volume Information'], created: true },
    { what: 'a folder of documents', entries: ['taxes-2025.pdf', 'photos'], created: false },
    { what: 'a folder with one hidden file', entries: ['.profile'], created: false },
  ])('$what: created $created', async ({ entries, created }) => {
    const ws = await fixture.workspace({ files: 1, init: false });
    const folder = path.join(ws.root, 'target');
    if (entries) {
      await mkdir(folder);
      for (const name of entries) await (name.includes('.') && !name.startsWith('.Trash') ? writeFile(path.join(folder, name), 'mine') : mkdir(path.join(folder, name)));
    }
    const engine = await engineOn(ws, folder);
    const error = await refusal(engine);
    const after = await readdir(folder).catch(() => []);
    if (created) {
      expect(error).toBeNull();
      expect(after).toContain('config');
    } else {
      expect(error?.code).toBe('LOCATION_NOT_EMPTY');
      expect(error?.message).toMatch(/^The folder of repository "local" already holds other files \(\d+, such as "[^"]+"\)\. A repository needs a folder of its own/);
      expect(after.sort()).toEqual([...entries!].sort()); // nothing of restic's was put among them
    }
  });
});

describe("what the repository's card learns from Test connection and Create", () => {
  const repoState = (engine: EngineInternals) => engine.state().repos.find((r) => r.id === 'local')!;

  it('no repository yet, then created: the card says so, then says it is fine', async () => {
    const ws = await fixture.workspace({ files: 1, init: false });
    const engine = await engineOn(ws, path.join(ws.root, 'new'));
    expect(repoState(engine).health).toBe('unknown');
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'local' })).toEqual({ ok: true, initialized: false });
    expect(repoState(engine)).toMatchObject({ health: 'error', lastErrorCode: 'NO_REPOSITORY' });
    expect(await engine.rpc.invoke('repos.init', { repoId: 'local' })).toEqual({ ok: true });
    expect(repoState(engine)).toMatchObject({ health: 'ok', lastError: null, lastErrorCode: null });
  });

  it('a wrong password found by Create marks the repository; a folder of other files does not', async () => {
    const ws = await fixture.workspace({ files: 1 });
    await writeFile(ws.passwordFile, 'not-the-password', { mode: 0o600 });
    const engine = await engineOn(ws);
    expect((await refusal(engine))?.code).toBe('WRONG_PASSWORD');
    expect(repoState(engine)).toMatchObject({ health: 'error', lastErrorCode: 'WRONG_PASSWORD' });

    const other = await fixture.workspace({ files: 1, init: false });
    await mkdir(path.join(other.root, 'docs'));
    await writeFile(path.join(other.root, 'docs', 'taxes.pdf'), 'mine');
    const second = await engineOn(other, path.join(other.root, 'docs'));
    expect((await refusal(second))?.code).toBe('LOCATION_NOT_EMPTY');
    expect(repoState(second).health).toBe('unknown'); // nothing was learnt about a repository: there is none
  });
});

// The engine side of the guided first run (issue 13, "Setting up, for a non-expert") with real restic 0.14:
// fs.listDirs lists folders only and says plainly why a path cannot be listed; repos.testConnection tells a
// working repository from an empty location (which setup then creates) and fails with the cause otherwise; a typed
// password (repos.setPassword) reaches no RPC answer.
import { describe, expect, it } from 'vitest';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BackstayError } from '../../main/common/index.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();

async function start(ws: Workspace, repos?: unknown[]) {
  await ws.writeConfig({ plans: [], ...(repos ? { repos } : {}) });
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger: silentLogger });
  await waitUntil(() => engine.state().restic.version !== null, 15_000, 'restic detected at start');
  return engine;
}

async function failure(call: Promise<unknown>): Promise<BackstayError> {
  const error = await call.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackstayError);
  return error as BackstayError;
}

describe('fs.listDirs', () => {
  it('lists the folders of a folder (links to folders too), never its files, in natural order, with its parent', async () => {
    const ws = await fixture.workspace({ init: false, files: 0 });
    const engine = await start(ws);
    const at = path.join(ws.root, 'browse');
    for (const name of ['IMG_10', 'IMG_2', 'alpha']) await mkdir(path.join(at, name), { recursive: true });
    await writeFile(path.join(at, 'a-file.txt'), 'not a folder');
    await symlink(path.join(at, 'alpha'), path.join(at, 'link-to-alpha'));
    await symlink(path.join(at, 'missing'), path.join(at, 'dangling'));
    const answer = await engine.rpc.invoke('fs.listDirs', { path: at });
    expect(answer.path).toBe(at);
    expect(answer.parent).toBe(ws.root);
    expect(answer.dirs.map((d) => d.name)).toEqual(['alpha', 'IMG_2', 'IMG_10', 'link-to-alpha']);
    expect(answer.dirs[0]).toEqual({ name: 'alpha', path: path.join(at, 'alpha') });
  });

  it('starts at the home folder, and the root has no parent', async () => {
    const ws = await fixture.workspace({ init: false, files: 0 });
    const engine = await start(ws);
    expect((await engine.rpc.invoke('fs.listDirs', {})).path).toBe(path.resolve(os.homedir()));
    expect((await engine.rpc.invoke('fs.listDirs', { path: '/' })).parent).toBeNull();
  });

  it.each([
    { case: 'a missing folder', make: async (_at: string) => undefined, code: 'NOT_FOUND' },
    { case: 'a file', make: (at: string) => writeFile(at, 'x'), code: 'NOT_A_FOLDER' },
    {
      case: 'a folder it may not read',
      make: async (at: string) => {
        await mkdir(at);
        await chmod(at, 0o000);
      },
      code: 'FOLDER_UNREADABLE',
      skip: process.getuid?.() === 0,
    },
    { case: 'a relative path', make: async (_at: string) => undefined, code: 'BAD_PARAMS', relative: true },
  ])('refuses $case with $code', async ({ make, code, skip, relative }) => {
    if (skip) return;
    const ws = await fixture.workspace({ init: false, files: 0 });
    const engine = await start(ws);
    const at = path.join(ws.root, 'target');
    await make(at);
    const error = await failure(engine.rpc.invoke('fs.listDirs', { path: relative ? 'target' : at }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(relative ? 'target' : at);
  });
});

describe('repos.testConnection', () => {
  it('answers initialized for a repository that is there and opens with its password', async () => {
    const ws = await fixture.workspace({ files: 0 });
    const engine = await start(ws);
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'local' })).toEqual({ ok: true, initialized: true });
  });

  it('answers not initialized for an empty location, and initialized once repos.init created it', async () => {
    const ws = await fixture.workspace({ init: false, files: 0 });
    const engine = await start(ws);
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'local' })).toEqual({ ok: true, initialized: false });
    await engine.rpc.invoke('repos.init', { repoId: 'local' });
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'local' })).toEqual({ ok: true, initialized: true });
  });

  it('fails with WRONG_PASSWORD for a repository that is there when the password is wrong', async () => {
    const ws = await fixture.workspace({ files: 0 });
    const wrong = path.join(ws.root, 'wrong-password');
    await writeFile(wrong, 'not-the-password', { mode: 0o600 });
    const engine = await start(ws, [{ id: 'local', uri: ws.repoPath, password: { file: wrong } }]);
    const error = await failure(engine.rpc.invoke('repos.testConnection', { repoId: 'local' }));
    expect(error.code).toBe('WRONG_PASSWORD');
    expect(error.message).not.toContain('not-the-password');
  });
});

describe('repos.setPassword', () => {
  it('a typed password opens the repository and appears in no RPC answer (config.get, state.get)', async () => {
    const ws = await fixture.workspace({ files: 0 });
    // The repository starts with a placeholder source, as the window saves a new one before the password is typed.
    const engine = await start(ws, [{ id: 'local', uri: ws.repoPath, password: { keychain: true } }]);
    const answer = await engine.rpc.invoke('repos.setPassword', { repoId: 'local', password: ws.password });
    expect(JSON.stringify(answer)).not.toContain(ws.password);
    expect(await engine.rpc.invoke('repos.testConnection', { repoId: 'local' })).toEqual({ ok: true, initialized: true });
    const config = JSON.stringify(await engine.rpc.invoke('config.get', {}));
    const state = JSON.stringify(await engine.rpc.invoke('state.get', {}));
    expect(config).not.toContain(ws.password);
    expect(state).not.toContain(ws.password);
  });
});

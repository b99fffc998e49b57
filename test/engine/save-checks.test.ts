// Saving from the window with the real engine and real restic 0.14 (issue 10, items 16, 17 and 20): a restic
// program path that cannot work is refused on its field and config.json stays as it was; a good one is used at once
// (state.restic, and the next backup runs it); a repository whose folder is relative or whose password file is
// missing is refused with every problem at once; saving one repository keeps what is known about the others.
import { describe, expect, it } from 'vitest';
import { chmod, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FieldIssuesError, type FieldIssue } from '../../main/common/index.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { findResticBinary } from '../../main/core/restic/binary.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();
let ws: Workspace | null = null;
let engine: EngineInternals | null = null;

async function setup(config: Parameters<Workspace['writeConfig']>[0] = {}) {
  ws = await fixture.workspace({ files: 2 });
  await ws.writeConfig(config);
  engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  await waitUntil(() => engine!.state().restic.version !== null, 15_000, 'restic detected at start');
  return { ws, engine };
}

const configText = (w: Workspace) => readFile(path.join(w.dataDir, 'config.json'), 'utf8');

/** The refusal of an RPC, with its issues as [path, code] pairs. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; issues: [FieldIssue['path'], string][] }> {
  const error = await call.then(
    () => {
      throw new Error('the save was accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FieldIssuesError);
  const e = error as FieldIssuesError;
  return { code: e.code, issues: e.issues.map((i) => [i.path, i.code]) };
}

/** A restic that notes each command it runs, then is the real restic: proof of which program a backup used. */
async function loggingRestic(w: Workspace): Promise<{ program: string; log: string }> {
  const real = findResticBinary({ configured: null, env: process.env });
  const program = path.join(w.root, 'my-restic');
  const log = path.join(w.root, 'my-restic.log');
  await writeFile(program, `#!/bin/sh\necho "$1" >> '${log}'\nexec '${real}' "$@"\n`);
  await chmod(program, 0o755);
  return { program, log };
}

describe('settings.resticBinary on save', () => {
  it('refuses a path where nothing is, a program that is not restic, and a restic that is too old; config.json is unchanged', async () => {
    const { ws: w, engine: e } = await setup();
    const before = await configText(w);
    const notRestic = path.join(w.root, 'not-restic');
    await writeFile(notRestic, '#!/bin/sh\necho "hello"\n', { mode: 0o755 });
    const tooOld = path.join(w.root, 'old-restic');
    await writeFile(tooOld, '#!/bin/sh\necho "restic 0.9.0 compiled with go1.10 on linux/amd64"\n', { mode: 0o755 });
    for (const [binary, code] of [
      [path.join(w.root, 'nowhere', 'restic'), 'restic_not_found'],
      [notRestic, 'restic_not_restic'],
      [tooOld, 'restic_too_old'],
    ] as const) {
      const answer = await refusal(e.rpc.invoke('config.saveSettings', { settings: { resticBinary: binary } }));
      expect(answer, binary).toEqual({ code: 'BAD_PARAMS', issues: [[['settings', 'resticBinary'], code]] });
      expect(await configText(w)).toBe(before);
      expect(e.config().settings.resticBinary).toBeNull();
    }
    // Other settings problems come in the same answer, each on its field.
    const both = await refusal(e.rpc.invoke('config.saveSettings', { settings: { resticBinary: tooOld, stallAfterSeconds: -5 } }));
    expect(both.issues.map(([p]) => p.join('.')).sort()).toEqual(['settings.resticBinary', 'settings.stallAfterSeconds']);
  });

  it('a good path is used at once: state.restic names it and the next backup runs it', async () => {
    const { ws: w, engine: e } = await setup();
    const real = e.state().restic.path;
    const { program, log } = await loggingRestic(w);
    await e.rpc.invoke('config.saveSettings', { settings: { resticBinary: program } });
    // The answer comes once the state says what is detected now.
    expect(e.state().restic).toMatchObject({ path: program, error: null });
    expect(e.state().restic.version).toMatch(/^restic 0\.\d+/);

    const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    const op = await e.orchestrator.waitFor(opId);
    expect(op.status).toBe('success');
    expect((await readFile(log, 'utf8')).split('\n')).toContain('backup');

    // A symlink to restic in another folder works the same; clearing the setting goes back to restic on PATH.
    const link = path.join(w.root, 'restic-link');
    await symlink(real!, link);
    await e.rpc.invoke('config.saveSettings', { settings: { resticBinary: link } });
    expect(e.state().restic.path).toBe(link);
    await e.rpc.invoke('config.saveSettings', { settings: { resticBinary: null } });
    expect(e.state().restic.path).toBe(real);
  });
});

describe('repositories on save', () => {
  it('refuses a relative folder, a missing password file and a bad name with every problem at once; config.json is unchanged', async () => {
    const { ws: w, engine: e } = await setup();
    const before = await configText(w);
    const answer = await refusal(
      e.rpc.invoke('config.saveRepo', { repo: { id: 'My Photos', uri: './repo', password: { file: path.join(w.root, 'no-password-file') } } }),
    );
    expect(answer).toEqual({
      code: 'BAD_PARAMS',
      issues: [
        [['repo', 'id'], 'invalid_id'],
        [['repo', 'uri'], 'not_absolute'],
        [['repo', 'password', 'file'], 'file_missing'],
      ],
    });
    for (const uri of ['repo', 'local:relative']) {
      expect((await refusal(e.rpc.invoke('config.saveRepo', { repo: { id: 'rel', uri, password: { file: w.passwordFile } } }))).issues).toEqual([
        [['repo', 'uri'], 'not_absolute'],
      ]);
    }
    const variable = 'BACKSTAY_TEST_UNSET_PASSWORD_VARIABLE';
    delete process.env[variable];
    expect((await refusal(e.rpc.invoke('config.saveRepo', { repo: { id: 'envy', uri: w.repoPath, password: { env: variable } } }))).issues).toEqual([
      [['repo', 'password', 'env'], 'env_not_set'],
    ]);
    expect(await configText(w)).toBe(before);
  });

  it('a plan naming a repository that does not exist is refused on that field, with its other problems', async () => {
    const { engine: e } = await setup();
    const answer = await refusal(e.rpc.invoke('config.savePlan', { plan: { id: 'pics', repo: 'usb', paths: ['/a', 'photos'], schedule: { cron: '61 * * * *' } } }));
    expect(answer.issues).toEqual([
      [['plan', 'paths', 1], 'not_absolute'],
      [['plan', 'schedule', 'cron'], 'invalid_cron'],
      [['plan', 'repo'], 'unknown_repo'],
    ]);
  });

  it('a new plan or repository with an id already in use is refused on its id, and the existing one is kept', async () => {
    const { ws: w, engine: e } = await setup();
    const before = await configText(w);
    const existingPlan = e.config().plans[0]!;
    const existingRepo = e.config().repos[0]!;
    const planAnswer = await refusal(
      e.rpc.invoke('config.savePlan', { plan: { id: existingPlan.id, repo: existingRepo.id, paths: ['/elsewhere'] }, create: true }),
    );
    expect(planAnswer).toEqual({ code: 'BAD_PARAMS', issues: [[['plan', 'id'], 'id_taken']] });
    const repoAnswer = await refusal(
      e.rpc.invoke('config.saveRepo', { repo: { id: existingRepo.id, uri: path.join(w.root, 'other-repo'), password: { env: 'HOME' } }, create: true }),
    );
    expect(repoAnswer.issues).toContainEqual([['repo', 'id'], 'id_taken']);
    expect(await configText(w)).toBe(before);
    // Editing (no create) still saves over the plan of that id, as an edit form does.
    await e.rpc.invoke('config.savePlan', { plan: { id: existingPlan.id, repo: existingRepo.id, paths: ['/elsewhere'] } });
    expect(e.config().plans.find((p) => p.id === existingPlan.id)?.paths).toEqual(['/elsewhere']);
  });

  it('saving one repository keeps the health of the others; a repository whose location changed is not checked yet', async () => {
    const { ws: w, engine: e } = await setup();
    const otherRepo = path.join(w.root, 'other-repo');
    const init = await w.restic(['init'], otherRepo);
    expect(init.exitCode).toBe(0);
    await e.rpc.invoke('config.saveRepo', { repo: { id: 'other', uri: otherRepo, password: { file: w.passwordFile } } });

    const { opId } = await e.rpc.invoke('repos.check', { repoId: 'local' });
    expect((await e.orchestrator.waitFor(opId)).status).toBe('success');
    const health = (id: string) => e.state().repos.find((r) => r.id === id)?.health;
    expect(health('local')).toBe('ok');

    // Edit the other repository (its env), then add a third: "local" stays known to be ok.
    await e.rpc.invoke('config.saveRepo', { repo: { id: 'other', uri: otherRepo, password: { file: w.passwordFile }, env: { RESTIC_COMPRESSION: 'auto' } } });
    await e.rpc.invoke('config.saveRepo', { repo: { id: 'third', uri: path.join(w.root, 'third'), password: { file: w.passwordFile } } });
    expect(health('local')).toBe('ok');

    // Saving "local" unchanged keeps it; pointing it somewhere else makes it unknown again.
    const local = e.config().repos.find((r) => r.id === 'local')!;
    await e.rpc.invoke('config.saveRepo', { repo: { id: 'local', uri: local.uri, password: local.password, env: local.env, flags: local.flags } });
    expect(health('local')).toBe('ok');
    await e.rpc.invoke('config.saveRepo', { repo: { id: 'local', uri: otherRepo, password: local.password } });
    expect(health('local')).toBe('unknown');
  });

  it('a relative location written into config.json by hand is not initialised wherever the host runs', async () => {
    ws = await fixture.workspace({ files: 1, init: false });
    await ws.writeConfig({ repos: [{ id: 'rel', uri: 'relative-repo', password: { file: ws.passwordFile } }], plans: [] });
    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const error = (await engine.rpc.invoke('repos.init', { repoId: 'rel' }).catch((e: unknown) => e)) as { code?: string; message?: string };
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('absolute');
    expect(await readFile(path.join(process.cwd(), 'relative-repo', 'config')).catch(() => null)).toBeNull();
  });
});


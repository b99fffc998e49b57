// The host side of "Backstay never lies" (issue 10, items 2, 4 and 6), with a real engine in this process:
// - a save never overwrites an edit made by hand that the host has not read yet (CONFIG_CHANGED), and loses nothing;
// - the periodic check alone (no fs.watch) finds an edit by hand;
// - a damaged oplog is moved aside by the host, which starts a new one and says where the old one is;
// - "no successful backup for noSuccessWarnDays" is noticed when the time comes, with nothing else happening.
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../main/common/errors.js';
import { startEngine, type EngineInternals } from '../../main/core/engine.js';
import { openOplog } from '../../main/core/oplog/open-oplog.js';
import { silentLogger } from '../../main/hosts/headless/testing/fake-engine.js';
import { waitUntil } from '../helpers/rclone.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import type { Workspace } from '../helpers/workspace.js';

const fixture = useEngineFixture();
let ws: Workspace | null = null;
let engine: EngineInternals | null = null;

const configFile = () => path.join(ws!.dataDir, 'config.json');
const plan = (id: string) => ({ id, repo: 'local', paths: [ws!.sourceDir] });
const planIds = () => engine!.state().plans.map((p) => p.id);

async function failure(promise: Promise<unknown>): Promise<BackstayError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BackstayError);
    return err as BackstayError;
  }
  throw new Error('expected a failure');
}

describe('a save from the window and an edit by hand', () => {
  it('the save is refused with CONFIG_CHANGED, the hand edit is loaded and kept; saving again keeps both', async () => {
    ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig();
    // No watch: the edit below is one the host has not seen when the save arrives.
    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger: silentLogger, configWatch: false });
    const config = JSON.parse(await readFile(configFile(), 'utf8')) as { plans: unknown[] };
    const byHand = JSON.stringify({ ...config, plans: [...config.plans, plan('byhand')] }, null, 2);
    await writeFile(configFile(), byHand);

    const refused = await failure(engine.rpc.invoke('config.savePlan', { plan: plan('window') }));
    expect(refused.code).toBe('CONFIG_CHANGED');
    expect(refused.message).toMatch(/changed outside Backstay/);
    expect(await readFile(configFile(), 'utf8')).toBe(byHand);
    expect(planIds()).toEqual(['home', 'byhand']);

    await engine.rpc.invoke('config.savePlan', { plan: plan('window') });
    const saved = JSON.parse(await readFile(configFile(), 'utf8')) as { plans: { id: string }[] };
    expect(saved.plans.map((p) => p.id)).toEqual(['home', 'byhand', 'window']);
    expect(planIds()).toEqual(['home', 'byhand', 'window']);
    // Its own save is no change to it: the next save goes straight through.
    await engine.rpc.invoke('config.deletePlan', { planId: 'window' });
    expect(planIds()).toEqual(['home', 'byhand']);
  });

  it('an edit that breaks the file: the save is refused, the file is untouched and the error is shown', async () => {
    ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig();
    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger: silentLogger, configWatch: false });
    await writeFile(configFile(), '{"version": 1, "plans": [');
    const refused = await failure(engine.rpc.invoke('config.savePlan', { plan: plan('window') }));
    expect(refused.code).toBe('CONFIG_CHANGED');
    expect(refused.message).toContain('not valid JSON');
    expect(engine.state().configError).toContain('not valid JSON');
    expect(await readFile(configFile(), 'utf8')).toBe('{"version": 1, "plans": [');
    expect(planIds()).toEqual(['home']); // the running config stays what it was
  });

  it('with fs.watch off, the periodic check finds a plan added by hand', async () => {
    ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig();
    engine = await fixture.startEngine({
      dataDir: ws.dataDir,
      host: 'serve',
      runSchedules: false,
      logger: silentLogger,
      configWatch: { fsWatch: false, pollMs: 200 },
    });
    const config = JSON.parse(await readFile(configFile(), 'utf8')) as { plans: unknown[] };
    await writeFile(configFile(), JSON.stringify({ ...config, plans: [...config.plans, plan('polled')] }));
    await waitUntil(() => planIds().includes('polled'), 3_000, 'the polled plan');
  });
});

describe('a damaged oplog', () => {
  // companion: a -wal beside it moves with it.
  const damage: [string, (file: string) => Promise<void>, boolean][] = [
    ['random bytes (not a database)', (file) => writeFile(file, randomBytes(64 * 1024)), true],
    [
      'truncated (malformed)',
      async (file) => {
        const store = openOplog(path.dirname(file));
        for (let i = 0; i < 2000; i++) store.appendLog(store.insert({ kind: 'backup', trigger: 'manual', planId: 'home', repoId: 'local', ownerPid: 1, ownerStartedAt: new Date(0).toISOString() }).id, 'stdout', 'x'.repeat(200));
        store.close();
        const bytes = readFileSync(file);
        await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      },
      true,
    ],
  ];

  it.each(damage)('%s: the host moves it aside, starts a new one and says where the old one is', async (_what, spoil, companion) => {
    ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig();
    const file = path.join(ws.dataDir, 'oplog.sqlite');
    await spoil(file);
    if (companion) await writeFile(`${file}-wal`, 'wal'); // a companion file: it goes with the damaged one
    const damagedBytes = readFileSync(file);

    // The one-shot CLI is no host: it says what SQLite says and what to do, and moves nothing.
    const cliError = await failure(startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger }));
    expect(cliError.code).toBe('OPLOG_CORRUPT');
    expect(cliError.message).toMatch(/SQLite says: (file is not a database|database disk image is malformed)/);
    expect(cliError.message).toMatch(/moves the damaged file aside/);
    expect(readFileSync(file)).toEqual(damagedBytes);
    if (companion) expect(readFileSync(`${file}-wal`, 'utf8')).toBe('wal');

    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger, configWatch: false });
    const moved = (await readdir(ws.dataDir)).filter((name) => name.startsWith('oplog.sqlite.corrupt-'));
    const movedMain = moved.find((name) => !name.endsWith('-wal') && !name.endsWith('-shm'))!;
    if (companion) expect(readFileSync(path.join(ws.dataDir, `${movedMain}-wal`), 'utf8')).toBe('wal');
    expect(moved.every((name) => name === movedMain || name === `${movedMain}-wal` || name === `${movedMain}-shm`)).toBe(true);
    expect(readFileSync(path.join(ws.dataDir, movedMain))).toEqual(damagedBytes);
    const warning = engine.state().warnings.find((w) => w.id === 'oplog-corrupt');
    expect(warning?.message).toContain(path.join(ws.dataDir, movedMain));
    expect(warning?.message).toMatch(/SQLite says: (file is not a database|database disk image is malformed)/);
    expect(warnings.filter((w) => w.includes('damaged'))).toHaveLength(1);

    // The new log works.
    expect((await engine.rpc.invoke('ops.list', {})).ops).toEqual([]);
    expect(existsSync(file)).toBe(true);
  });
});

describe('no successful backup for noSuccessWarnDays', () => {
  it('is noticed when the time comes, though nothing else happens', async () => {
    ws = await fixture.workspace({ files: 1 });
    await ws.writeConfig({ settings: { noSuccessWarnDays: 1 } });
    // The last success was 1 day minus 2 s ago: the warning is due 2 s after the engine starts.
    const store = openOplog(ws.dataDir);
    const op = store.insert({ kind: 'backup', trigger: 'manual', planId: 'home', repoId: 'local', ownerPid: 1, ownerStartedAt: new Date(0).toISOString() });
    const endedAt = new Date(Date.now() - 86_400_000 + 2_000).toISOString();
    store.update(op.id, { status: 'success', startedAt: endedAt, endedAt, snapshotId: 'abcdef12' });
    store.close();

    engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'serve', runSchedules: false, logger: silentLogger, configWatch: false });
    const warned = () => engine!.state().warnings.some((w) => w.id === 'no-success:home');
    expect(warned()).toBe(false);
    await waitUntil(warned, 6_000, 'the no-success warning');
  });
});

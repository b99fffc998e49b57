// Long exclude lists and a failed start of restic (issue 10, item 7). 100,000 excludes once made the spawn fail with
// E2BIG, coded RESTIC_NOT_FOUND, with the whole argv (21 MB) as the error in the oplog. Now long lists go to restic
// through a temporary `--exclude-file` (0600, removed afterwards), and a spawn failure is a short, coded error.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { makeFakeRestic } from '../helpers/fake-restic.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

async function start(excludes: string[], settings: Record<string, unknown> = {}, init = true) {
  const ws = await fixture.workspace({ init, files: 5 });
  await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], excludes }], settings });
  const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
  return { ws, engine };
}

async function backup(e: EngineInternals) {
  const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
  return e.orchestrator.waitFor(opId);
}

const manyPatterns = (n: number, make = (i: number) => `/nowhere/projects/dir-${i}/**`) => Array.from({ length: n }, (_, i) => make(i));

describe('a plan with 100,000 excludes', () => {
  it('backs up with real restic, which applies them from an exclude file that is gone afterwards', { timeout: 120_000 }, async () => {
    const excludes = [...manyPatterns(100_000), 'file-3.bin'];
    const { ws, engine: e } = await start(excludes);
    const op = await backup(e);
    expect(op.status, JSON.stringify(op.error)).toBe('success');
    // restic read the file: the pattern at its very end excluded a file.
    const ls = await ws.restic(['ls', '--json', op.snapshotId!]);
    const names = ls.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { name?: string }).name);
    expect(names).toContain('file-2.bin');
    expect(names).not.toContain('file-3.bin');
    const commandLine = e.store.readLog(op.id).find((l) => l.stream === 'backstay' && l.text.startsWith('restic '))!.text;
    expect(commandLine.length).toBeLessThan(2200);
    const excludeFile = /--exclude-file (\S+)/.exec(commandLine)![1]!;
    expect(existsSync(excludeFile)).toBe(false);
    expect(existsSync(path.dirname(excludeFile))).toBe(false);
  });
});

describe('which excludes go into the file', () => {
  it('the file is 0600 and holds the plain patterns; ones that would read differently there stay arguments', async () => {
    const ws = await fixture.workspace({ init: false, files: 1 });
    const fakeDir = path.join(ws.root, 'fake');
    await mkdir(fakeDir);
    const proofFile = path.join(ws.root, 'proof.json');
    const { binary } = await makeFakeRestic(fakeDir, {
      version: 'restic 0.14.0 compiled with go1.19.8 on linux/amd64',
      steps: [{ writeFile: proofFile }, { stdout: JSON.stringify({ message_type: 'summary', snapshot_id: 'deadbeef' }) }],
      exitCode: 0,
    });
    const special = ['$HOME/.cache', '#not-a-comment', ' leading-space', 'trailing-space '];
    const plain = manyPatterns(150);
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], excludes: [...plain, ...special] }], settings: { resticBinary: binary } });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const op = await backup(engine);
    expect(op.status).toBe('success');
    const proof = JSON.parse(await readFile(proofFile, 'utf8')) as { argv: string[]; excludeFiles: Array<{ path: string; mode: number; lines: string[] }> };
    expect(proof.excludeFiles).toHaveLength(1);
    expect(proof.excludeFiles[0]!.mode).toBe(0o600);
    expect(proof.excludeFiles[0]!.lines).toEqual(plain);
    const onArgv = proof.argv.flatMap((a, i) => (a === '--exclude' ? [proof.argv[i + 1]!] : []));
    expect(onArgv).toEqual(special);
    expect(existsSync(proof.excludeFiles[0]!.path)).toBe(false);
  });

  it('a short list stays on the command line (no file)', async () => {
    const ws = await fixture.workspace({ init: false, files: 1 });
    const fakeDir = path.join(ws.root, 'fake');
    await mkdir(fakeDir);
    const proofFile = path.join(ws.root, 'proof.json');
    const { binary } = await makeFakeRestic(fakeDir, {
      steps: [{ writeFile: proofFile }, { stdout: JSON.stringify({ message_type: 'summary', snapshot_id: 'deadbeef' }) }],
    });
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], excludes: ['**/node_modules', '*.tmp'] }], settings: { resticBinary: binary } });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    expect((await backup(engine)).status).toBe('success');
    const proof = JSON.parse(await readFile(proofFile, 'utf8')) as { argv: string[]; excludeFiles: unknown[] };
    expect(proof.excludeFiles).toEqual([]);
    expect(proof.argv).toEqual(expect.arrayContaining(['--exclude', '**/node_modules', '*.tmp']));
  });
});

describe('restic that cannot be started', () => {
  it('E2BIG (100,000 excludes that must stay arguments): TOO_MANY_ARGUMENTS, a few KB at most, no argv anywhere', async () => {
    // A "$" would be expanded in an exclude file, so these cannot go there: the command line is too long.
    const { engine: e } = await start(manyPatterns(100_000, (i) => `/data/$weird-${i}/**`));
    const op = await backup(e);
    expect(op.status).toBe('error');
    expect(op.error?.code).toBe('TOO_MANY_ARGUMENTS');
    expect(op.error?.message).toMatch(/command line is too long.*exclude file/);
    const stored = JSON.stringify(e.store.get(op.id));
    expect(stored.length).toBeLessThan(4096);
    expect(stored).not.toContain('$weird-');
    const log = e.store.readLog(op.id).map((l) => l.text).join('\n');
    expect(log.length).toBeLessThan(8192);
  });

  it('ENOENT is RESTIC_NOT_FOUND, EACCES is RESTIC_START_FAILED', async () => {
    // The binary passes the start-up check, then goes away or loses its x bit before the backup spawns it.
    const ws = await fixture.workspace({ init: false, files: 1 });
    const fakeDir = path.join(ws.root, 'fake');
    await mkdir(fakeDir);
    const { binary } = await makeFakeRestic(fakeDir, { steps: [] });
    await ws.writeConfig({ settings: { resticBinary: binary } });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    await engine.resolveRestic();
    const { chmod, rm } = await import('node:fs/promises');
    await chmod(binary, 0o644);
    const denied = await backup(engine);
    expect(denied.error?.code).toBe('RESTIC_START_FAILED');
    expect(denied.error?.message).toMatch(/permission denied/);
    await rm(binary);
    const missing = await backup(engine);
    expect(missing.error?.code).toBe('RESTIC_NOT_FOUND');
  });
});

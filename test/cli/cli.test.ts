// The `backstay` command line as a user runs it: a real CLI process (through tsx) against real restic 0.14 and real
// repositories in temp dirs, plus the fake restic for what 0.14 cannot show (0.18 output, a restic that ignores
// SIGINT). CONTRACT.md "Command line" is the spec: JSON lines, exit codes, one clear line for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { backstay, jsonLines } from '../helpers/cli.js';
import { makeFakeRestic, type FakeResticScript } from '../helpers/fake-restic.js';
import { waitUntil } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';

type Result = Awaited<ReturnType<typeof backstay>>;
type Line = Record<string, unknown>;

const CONTRACT_OP_FIELDS = [
  'id', 'kind', 'trigger', 'planId', 'repoId', 'status', 'createdAt', 'startedAt', 'endedAt', 'snapshotId', 'error',
  'progress', 'summary',
];

const workspaces: Workspace[] = [];
async function workspace(opts: Parameters<typeof createWorkspace>[0] = {}): Promise<Workspace> {
  const ws = await createWorkspace(opts);
  workspaces.push(ws);
  return ws;
}
afterAll(async () => {
  await Promise.all(workspaces.map((ws) => ws.cleanup()));
});

const out = (r: Result): string => String(r.stdout);
const err = (r: Result): string => String(r.stderr);
const stderrLines = (r: Result): string[] => err(r).split('\n').filter((l) => l.trim() !== '');
const dataDirArgs = (ws: Workspace): string[] => ['--data-dir', ws.dataDir];

function finishedLine(lines: Line[]): Line {
  const finished = lines.filter((l) => l.type === 'finished');
  expect(finished).toHaveLength(1);
  return finished[0]!;
}

/** Every byte under `dir` (oplog.sqlite, its WAL, logs/...) except config.json, as latin1 text to search. */
async function bytesUnder(dir: string, skip = new Set(['config.json'])): Promise<string> {
  let all = '';
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || skip.has(entry.name)) continue;
    all += (await readFile(path.join(entry.parentPath, entry.name))).toString('latin1');
  }
  return all;
}

/** Starts `backstay backup` and collects its stdout as it arrives, so a test can act mid-backup. */
function startBackup(ws: Workspace, plan = 'home', env: Record<string, string> = {}) {
  const child = backstay(['backup', plan, '--json', ...dataDirArgs(ws)], { env });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  // Only whole lines: a chunk may end mid-line.
  const lines = (): Line[] => jsonLines(stdout.slice(0, stdout.lastIndexOf('\n') + 1));
  const waitForLine = async (type: string, timeoutMs = 30_000): Promise<Line> => {
    await waitUntil(() => lines().some((l) => l.type === type), timeoutMs, `a "${type}" line from backstay backup`);
    return lines().find((l) => l.type === type)!;
  };
  return { child, lines, waitForLine };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('backstay backup against real restic', () => {
  it('--json prints queued, started, progress, finished with the snapshot id, and exits 0', async () => {
    const ws = await workspace();
    await ws.writeConfig();
    const r = await backstay(['backup', 'home', '--json', ...dataDirArgs(ws)]);
    expect(err(r)).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = jsonLines(out(r));
    // Every stdout line is one JSON object with type and opId, all about the same operation.
    expect(out(r).trim().split('\n')).toHaveLength(lines.length);
    const opId = lines[0]!.opId;
    expect(typeof opId).toBe('number');
    for (const line of lines) expect(line.opId).toBe(opId);
    expect(lines.map((l) => l.type)[0]).toBe('queued');
    expect(lines.map((l) => l.type)[1]).toBe('started');
    expect(lines.at(-1)!.type).toBe('finished');
    expect(new Set(lines.slice(2, -1).map((l) => l.type))).toEqual(new Set(lines.length > 3 ? ['progress'] : []));
    const finished = finishedLine(lines);
    expect(finished.status).toBe('success');
    expect(finished.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);
    const snapshots = JSON.parse((await ws.restic(['snapshots', '--json'])).stdout) as Array<{ id: string }>;
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.id.startsWith(finished.snapshotId as string)).toBe(true);
  });

  it('without --json prints words for a person, no JSON, and exits 0', async () => {
    const ws = await workspace();
    await ws.writeConfig();
    const r = await backstay(['backup', 'home', ...dataDirArgs(ws)]);
    expect(r.exitCode).toBe(0);
    expect(out(r)).toMatch(/Backup finished: snapshot [0-9a-f]{8,64}/);
    expect(out(r) + err(r)).not.toMatch(/^\{/m);
    expect(err(r)).toMatch(/started/);
  });

  it('exits 3 with a warning naming the missing path when one of several source paths is gone', async () => {
    // restic 0.14 exits 0 here and says so in a text line; Backstay still calls it a warning (snapshot saved).
    const ws = await workspace();
    const missing = path.join(ws.root, 'unplugged');
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir, missing] }] });
    const r = await backstay(['backup', 'home', '--json', ...dataDirArgs(ws)]);
    expect(r.exitCode).toBe(3);
    const finished = finishedLine(jsonLines(out(r)));
    expect(finished.status).toBe('warning');
    expect(finished.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);
    expect(JSON.stringify(finished)).toContain(missing);
  });

  it('exits 1 with WRONG_PASSWORD on the finished line for a wrong password, which it never shows', async () => {
    const ws = await workspace();
    await ws.writeConfig();
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    await writeFile(ws.passwordFile, wrong);
    const r = await backstay(['backup', 'home', '--json', ...dataDirArgs(ws)]);
    expect(r.exitCode).toBe(1);
    const finished = finishedLine(jsonLines(out(r)));
    expect(finished.status).toBe('error');
    expect((finished.error as { code: string }).code).toBe('WRONG_PASSWORD');
    expect((finished.error as { message: string }).message).toMatch(/password/i);
    const everything = out(r) + err(r) + (await bytesUnder(ws.dataDir));
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(ws.password);
  });
});

describe('a long backup: live in a second process, cancelled by SIGINT', () => {
  let ws: Workspace;
  beforeAll(async () => {
    // 12 x 16 MiB of random data: restic 0.14 needs several seconds for it here, time enough to look and cancel.
    ws = await workspace({ files: 12, fileBytes: 16 * 1024 * 1024 });
    await ws.writeConfig();
  });

  it('`ops --json` elsewhere shows it running; SIGINT to the CLI ends it cancelled with 130 and no restic left', async () => {
    const run = startBackup(ws);
    await run.waitForLine('progress');
    const opId = run.lines()[0]!.opId;

    const ops = await backstay(['ops', '--json', ...dataDirArgs(ws)]);
    expect(ops.exitCode).toBe(0);
    const live = (JSON.parse(out(ops)) as Line[]).find((op) => op.id === opId)!;
    expect(['running', 'stalled']).toContain(live.status);
    expect(live.endedAt).toBeNull();
    const resticPid = live.resticPid as number | null;

    const sentAt = Date.now();
    run.child.kill('SIGINT');
    const r = await run.child;
    expect(r.exitCode).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(15_000);
    const finished = finishedLine(run.lines());
    expect(finished.status).toBe('cancelled');
    if (resticPid !== null) expect(isAlive(resticPid)).toBe(false);

    const after = JSON.parse(out(await backstay(['ops', '--json', ...dataDirArgs(ws)]))) as Line[];
    expect(after.find((op) => op.id === opId)!.status).toBe('cancelled');
  });
});

describe('backstay ops', () => {
  let ws: Workspace;
  let opIds: number[];
  beforeAll(async () => {
    ws = await workspace();
    const docs = path.join(ws.root, 'docs');
    await mkdir(docs);
    await writeFile(path.join(docs, 'a.txt'), 'a');
    await ws.writeConfig({
      plans: [
        { id: 'home', repo: 'local', paths: [ws.sourceDir] },
        { id: 'docs', repo: 'local', paths: [docs] },
      ],
    });
    opIds = [];
    for (const plan of ['home', 'docs', 'home']) {
      const r = await backstay(['backup', plan, '--json', ...dataDirArgs(ws)]);
      expect(r.exitCode).toBe(0);
      opIds.push(jsonLines(out(r))[0]!.opId as number);
    }
  });

  it('--json prints every operation newest first with the contract fields', async () => {
    const r = await backstay(['ops', '--json', ...dataDirArgs(ws)]);
    expect(r.exitCode).toBe(0);
    const ops = JSON.parse(out(r)) as Line[];
    expect(ops.map((op) => op.id)).toEqual([...opIds].reverse());
    for (const op of ops) {
      for (const field of CONTRACT_OP_FIELDS) expect(op, field).toHaveProperty(field);
      expect(op.kind).toBe('backup');
      expect(op.trigger).toBe('manual');
      expect(op.repoId).toBe('local');
      expect(op.status).toBe('success');
      expect(op.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);
      expect(op.error).toBeNull();
      for (const at of ['createdAt', 'startedAt', 'endedAt']) expect(new Date(op[at] as string).toISOString()).toBe(op[at]);
    }
    expect(ops.map((op) => op.planId)).toEqual(['home', 'docs', 'home']);
  });

  it('--plan and --limit filter', async () => {
    const docs = JSON.parse(out(await backstay(['ops', '--json', '--plan', 'docs', ...dataDirArgs(ws)]))) as Line[];
    expect(docs.map((op) => op.id)).toEqual([opIds[1]]);
    const two = JSON.parse(out(await backstay(['ops', '--json', '--limit', '2', ...dataDirArgs(ws)]))) as Line[];
    expect(two.map((op) => op.id)).toEqual([opIds[2], opIds[1]]);
    const homeOne = JSON.parse(out(await backstay(['ops', '--json', '--plan', 'home', '--limit', '1', ...dataDirArgs(ws)]))) as Line[];
    expect(homeOne.map((op) => op.id)).toEqual([opIds[2]]);
  });

  it('without --json prints one row per operation', async () => {
    const r = await backstay(['ops', ...dataDirArgs(ws)]);
    expect(r.exitCode).toBe(0);
    const rows = out(r).trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain(String(opIds[2]));
    expect(rows[0]).toContain('success');
  });
});

describe('bad input exits 2 with one clear line on stderr', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await workspace({ init: false });
    await ws.writeConfig();
  });

  function expectBadInput(r: Result): string {
    expect(r.exitCode, err(r)).toBe(2);
    expect(out(r)).toBe('');
    const lines = stderrLines(r);
    expect(lines, err(r)).toHaveLength(1);
    return lines[0]!;
  }

  it.concurrent.each([['ops'], ['backup', 'home'], ['history', '/x', '--repo', 'local'], ['find', 'a', '--repo', 'local']])(
    '%s on a data directory that is not there: says so and creates nothing',
    async (...command) => {
      const missing = path.join(ws.root, `typo-${command[0]}`);
      const line = expectBadInput(await backstay([...command, '--data-dir', missing]));
      expect(line).toBe(`backstay: There is no Backstay data directory at ${missing}: nothing is set up or has run there (nothing was created). Check --data-dir.`);
      expect(existsSync(missing)).toBe(false);
    },
  );

  it.concurrent('an unknown plan: names it and the known plans', async () => {
    const line = expectBadInput(await backstay(['backup', 'nope', '--json', ...dataDirArgs(ws)]));
    expect(line).toContain('"nope"');
    expect(line).toContain('home');
  });

  it.concurrent('an invalid config: names the file and the JSON path, and leaves the file byte-identical', async () => {
    const bad = await workspace({ init: false });
    const file = path.join(bad.dataDir, 'config.json');
    const text = `{"version": 1, "repos": [{"id": "local", "uri": "${bad.repoPath}", "password": {"file": "${bad.passwordFile}"}}],\n` +
      ` "plans": [{"id": "home", "repo": "local", "paths": ["${bad.sourceDir}"], "excludes": "*.tmp"}]}\n`;
    await writeFile(file, text);
    const line = expectBadInput(await backstay(['backup', 'home', ...dataDirArgs(bad)]));
    expect(line).toContain(file);
    expect(line).toContain('plans[0].excludes');
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it.concurrent('a config that is not JSON: names the file, leaves it alone', async () => {
    const bad = await workspace({ init: false });
    const file = path.join(bad.dataDir, 'config.json');
    await writeFile(file, '{"version": 1,');
    const line = expectBadInput(await backstay(['backup', 'home', '--json', ...dataDirArgs(bad)]));
    expect(line).toContain(file);
    expect(await readFile(file, 'utf8')).toBe('{"version": 1,');
  });

  it.concurrent('settings.resticBinary pointing to a missing file: names the path and the setting', async () => {
    const bad = await workspace({ init: false });
    const missing = path.join(bad.root, 'no-such-restic');
    await bad.writeConfig({ settings: { resticBinary: missing } });
    const line = expectBadInput(await backstay(['backup', 'home', '--json', ...dataDirArgs(bad)]));
    expect(line).toContain(missing);
    expect(line).toContain('settings.resticBinary');
  });

  it.concurrent('$BACKSTAY_RESTIC pointing to a missing file: names the path and the variable', async () => {
    const missing = path.join(ws.root, 'no-such-restic-either');
    const line = expectBadInput(await backstay(['backup', 'home', ...dataDirArgs(ws)], { env: { BACKSTAY_RESTIC: missing } }));
    expect(line).toContain(missing);
    expect(line).toContain('BACKSTAY_RESTIC');
  });

  it.concurrent('an unknown option', async () => {
    const line = expectBadInput(await backstay(['backup', 'home', '--bogus', ...dataDirArgs(ws)]));
    expect(line).toContain('--bogus');
  });

  it.concurrent('a missing argument', async () => {
    const line = expectBadInput(await backstay(['backup', ...dataDirArgs(ws)]));
    expect(line).toMatch(/plan/);
  });

  it.concurrent('a --limit that is not a number', async () => {
    const line = expectBadInput(await backstay(['ops', '--limit', 'lots', ...dataDirArgs(ws)]));
    expect(line).toContain('--limit');
  });

  it.concurrent('an unknown command', async () => {
    const line = expectBadInput(await backstay(['frobnicate', ...dataDirArgs(ws)]));
    expect(line).toContain('frobnicate');
  });
});

describe('help', () => {
  it.concurrent('`backstay --help` exits 0 and lists the commands', async () => {
    const r = await backstay(['--help']);
    expect(r.exitCode).toBe(0);
    expect(out(r)).toMatch(/Usage: backstay/);
    for (const command of ['serve', 'backup', 'ops']) expect(out(r)).toContain(command);
  });

  it.concurrent('`backstay backup --help` exits 0 and shows its usage', async () => {
    const r = await backstay(['backup', '--help']);
    expect(r.exitCode).toBe(0);
    expect(out(r)).toMatch(/Usage: backstay backup .*<plan>/);
    expect(out(r)).toContain('--json');
    expect(out(r)).toContain('--data-dir');
  });
});

describe('secrets', () => {
  it('the password (given by env) is in no output, oplog byte or log, for a good and a failing backup', async () => {
    const ws = await workspace();
    const variable = 'BACKSTAY_TEST_REPO_PASSWORD';
    await ws.writeConfig({ repos: [{ id: 'local', uri: ws.repoPath, password: { env: variable } }] });
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    // Several processes on one data directory at once, as users do; the oplog must take it.
    const good = { [variable]: ws.password };
    const bad = { [variable]: wrong };
    const runs = await Promise.all([
      backstay(['backup', 'home', '--json', ...dataDirArgs(ws)], { env: good }),
      backstay(['backup', 'home', ...dataDirArgs(ws)], { env: good }),
      backstay(['backup', 'home', '--json', ...dataDirArgs(ws)], { env: bad }),
      backstay(['backup', 'home', ...dataDirArgs(ws)], { env: bad }),
    ]);
    runs.push(await backstay(['ops', '--json', ...dataDirArgs(ws)]), await backstay(['ops', ...dataDirArgs(ws)]));
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 1, 1, 0, 0]);
    const files = await bytesUnder(ws.dataDir);
    expect(files).toContain('WRONG_PASSWORD'); // the oplog was read, and holds the failure
    expect((await readdir(path.join(ws.dataDir, 'logs'))).length).toBeGreaterThan(0);
    const everything = runs.map((r) => out(r) + err(r)).join('\n') + files;
    expect(everything).not.toContain(ws.password);
    expect(everything).not.toContain(wrong);
  });
});

describe('with the fake restic', () => {
  async function fakeWorkspace(script: FakeResticScript, settings: Record<string, unknown> = {}) {
    const dir = await workspace({ init: false, files: 1 });
    const fakeDir = path.join(dir.root, 'fake');
    await mkdir(fakeDir);
    const { binary } = await makeFakeRestic(fakeDir, script);
    await dir.writeConfig({ settings: { resticBinary: binary, ...settings } });
    return dir;
  }

  const V018 = 'restic 0.18.0 compiled with go1.24.1 on linux/amd64';
  const status = (done: number) =>
    JSON.stringify({ message_type: 'status', seconds_elapsed: 1, percent_done: done / 2000, total_files: 2, files_done: done / 1000, total_bytes: 2000, bytes_done: done });

  it('a restic 0.18 backup: the 64-hex snapshot id reaches the finished line and the oplog', async () => {
    const snapshotId = randomBytes(32).toString('hex');
    const ws = await fakeWorkspace({
      version: V018,
      steps: [
        { stdout: status(1000) },
        { stdout: status(2000) },
        {
          stdout: JSON.stringify({
            message_type: 'summary', files_new: 2, files_changed: 0, files_unmodified: 0, dirs_new: 1, dirs_changed: 0,
            dirs_unmodified: 0, data_blobs: 2, tree_blobs: 1, data_added: 2100, data_added_packed: 1900,
            total_files_processed: 2, total_bytes_processed: 2000, backup_start: '2026-11-25T10:00:00Z',
            backup_end: '2026-11-25T10:00:01Z', total_duration: 1.01, snapshot_id: snapshotId,
          }),
        },
      ],
      exitCode: 0,
    });
    const r = await backstay(['backup', 'home', '--json', ...dataDirArgs(ws)]);
    expect(r.exitCode).toBe(0);
    const finished = finishedLine(jsonLines(out(r)));
    expect(finished.status).toBe('success');
    expect(finished.snapshotId).toBe(snapshotId);
    const ops = JSON.parse(out(await backstay(['ops', '--json', ...dataDirArgs(ws)]))) as Line[];
    expect(ops[0]!.snapshotId).toBe(snapshotId);
  });

  it('a restic 0.18 exit_error: exit 1, and restic\'s own words on the finished line', async () => {
    const ws = await fakeWorkspace({
      version: V018,
      steps: [{ stderr: JSON.stringify({ message_type: 'exit_error', code: 10, message: 'Fatal: repository does not exist: unable to open config file' }) }],
      exitCode: 10,
    });
    const r = await backstay(['backup', 'home', '--json', ...dataDirArgs(ws)]);
    expect(r.exitCode).toBe(1);
    const finished = finishedLine(jsonLines(out(r)));
    expect(finished.status).toBe('error');
    expect((finished.error as { code: string }).code).toBe('NO_REPOSITORY');
    expect(JSON.stringify(finished.error)).toContain('repository does not exist');
  });

  it('restic exits 0 without saving a snapshot: exit 1, NO_SNAPSHOT, and never "snapshot ?"', async () => {
    const ws = await fakeWorkspace({ version: V018, steps: [{ stdout: status(1000) }, { stderr: 'something went oddly' }], exitCode: 0 });
    const json = await backstay(['backup', 'home', '--json', ...dataDirArgs(ws)]);
    expect(json.exitCode).toBe(1);
    const finished = finishedLine(jsonLines(out(json)));
    expect(finished.status).toBe('error');
    expect(finished.snapshotId).toBeNull();
    expect((finished.error as { code: string; message: string; detail: string }).code).toBe('NO_SNAPSHOT');
    expect((finished.error as { detail: string }).detail).toContain('something went oddly');
    const human = await backstay(['backup', 'home', ...dataDirArgs(ws)]);
    expect(human.exitCode).toBe(1);
    expect(out(human) + err(human)).not.toContain('snapshot ?');
    expect(err(human)).toMatch(/Backup failed: restic ended with exit code 0 without saving a snapshot/);
    const ops = JSON.parse(out(await backstay(['ops', '--json', ...dataDirArgs(ws)]))) as Line[];
    expect(ops.map((o) => o.status)).toEqual(['error', 'error']);
  });

  it('restic ignores SIGINT and its backend is frozen: SIGINT to the CLI still ends 130 within cancelGraceSeconds + a few', async () => {
    // After a cancel that had to kill restic, the engine runs `restic unlock`; on a frozen backend that hangs too.
    // The CLI must not wait for it (it did, for a minute); it exits and the unlock process is ended with it.
    const unlockProof = path.join(os.tmpdir(), `backstay-unlock-${randomBytes(6).toString('hex')}.json`);
    const ws = await fakeWorkspace(
      {
        version: V018,
        steps: [{ ignoreSigint: true }, { stdout: status(1000) }, { hang: true }],
        commands: { unlock: { steps: [{ writeFile: unlockProof }, { hang: true }] } },
      },
      { cancelGraceSeconds: 1 },
    );
    const run = startBackup(ws);
    await run.waitForLine('progress');
    const sentAt = Date.now();
    run.child.kill('SIGINT');
    const r = await run.child;
    const tookMs = Date.now() - sentAt;
    expect(r.exitCode).toBe(130);
    expect(finishedLine(run.lines()).status).toBe('cancelled');
    // From the signal on, it says cancelling (asked restic, then forced it), and nothing that reads as running.
    const lines = run.lines();
    const cancelling = lines.filter((l) => l.type === 'cancelling');
    // 'interrupt' first; 'terminate' may last only milliseconds (restic dies on SIGTERM), and the CLI prints what the
    // state publisher (at most uiUpdateHz) showed, so a busy machine can skip it. The escalation itself is proven by
    // the time this took (below) and the exit.
    const stages = cancelling.map((l) => l.stage);
    expect(stages[0]).toBe('interrupt');
    expect(['interrupt', 'terminate', 'kill'].filter((s) => stages.includes(s))).toEqual([...new Set(stages)]);
    expect(cancelling.every((l) => l.opId === lines[0]!.opId && typeof l.requestedAt === 'string')).toBe(true);
    const afterCancel = lines.slice(lines.indexOf(cancelling[0]!));
    expect(afterCancel.map((l) => l.type).filter((t) => t !== 'cancelling')).toEqual(['finished']);
    expect(tookMs).toBeLessThan(1000 + 5000);
    expect(tookMs).toBeGreaterThanOrEqual(900); // it did wait out the grace period: SIGINT alone was not enough
    const unlock = JSON.parse(await readFile(unlockProof, 'utf8')) as { pid: number };
    await rm(unlockProof, { force: true });
    await waitUntil(() => !isAlive(unlock.pid), 3000, 'the hanging restic unlock to be ended');
  });
});

// `backstay history` and `backstay find` as a user runs them (a real CLI process, real restic 0.14): without a
// running serve the command indexes the repository itself (an `index` operation in the oplog), then answers.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backstay } from '../helpers/cli.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { killIfRunning, startServeProcess } from '../serve/serve-harness.js';

let ws: Workspace;
const run = (args: string[]) => backstay([...args, '--data-dir', ws.dataDir]);
const lines = (text: unknown) => String(text).split('\n').filter((l) => l.trim() !== '');

beforeAll(async () => {
  ws = await createWorkspace({ files: 2 });
  await ws.writeConfig();
  for (const content of ['one', 'two, longer']) {
    await writeFile(path.join(ws.sourceDir, 'report [final].txt'), content);
    const r = await ws.restic(['backup', '--tag', 'backstay:plan=home', ws.sourceDir]);
    expect(r.exitCode).toBe(0);
  }
}, 60_000);

afterAll(async () => {
  await ws?.cleanup();
});

describe('backstay history / find', () => {
  it('history --json: the versions of a file, newest first; a human table without --json', async () => {
    const file = path.join(ws.sourceDir, 'report [final].txt');
    const r = await run(['history', file, '--repo', 'local', '--json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const answer = JSON.parse(String(r.stdout)) as { versions: { size: number; changed: boolean }[]; complete: boolean };
    expect(answer.complete).toBe(true);
    expect(answer.versions.map((v) => [v.size, v.changed])).toEqual([
      [11, true],
      [3, false],
    ]);
    const human = await run(['history', file, '--repo', 'local']);
    expect(human.exitCode).toBe(0);
    expect(lines(human.stdout)[0]).toMatch(/^TYPE\s+SIZE\s+MTIME\s+FIRST SEEN\s+LAST SEEN\s+SNAPSHOTS/);
    expect(lines(human.stdout)).toHaveLength(3);
    const ops = JSON.parse(String((await run(['ops', '--json'])).stdout)) as { kind: string; status: string }[];
    expect(ops.filter((o) => o.kind === 'index').every((o) => o.status === 'success')).toBe(true);
  });

  it('find: a glob with metacharacters, and an escaped literal name', async () => {
    const glob = await run(['find', '*.txt', '--repo', 'local', '--json']);
    expect(glob.exitCode, String(glob.stderr)).toBe(0);
    const found = JSON.parse(String(glob.stdout)) as { results: { path: string; versions: number }[] };
    expect(found.results).toEqual([expect.objectContaining({ path: path.join(ws.sourceDir, 'report [final].txt'), versions: 2 })]);
    const literal = await run(['find', 'report \\[final\\]*', '--repo', 'local', '--json']);
    expect((JSON.parse(String(literal.stdout)) as { results: unknown[] }).results).toHaveLength(1);
    const human = await run(['find', 'file-', '--repo', 'local']);
    expect(lines(human.stdout).slice(1).map((l) => path.basename(l.split(/\s{2,}/)[0]!))).toEqual(['file-0.bin', 'file-1.bin']);
  });

  it('bad input exits 2 with one line; a path in no snapshot exits 1', async () => {
    for (const args of [
      ['find', '', '--repo', 'local'],
      ['find', 'x', '--repo', 'nope'],
      ['history', '/x', '--repo', 'nope'],
      ['find', 'x', '--repo', 'local', '--since', 'last tuesday'],
    ]) {
      const r = await run(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(lines(r.stderr), args.join(' ')).toHaveLength(1);
    }
    const missing = await run(['history', '/not/backed/up', '--repo', 'local']);
    expect(missing.exitCode).toBe(1);
    expect(lines(missing.stderr)).toEqual([expect.stringMatching(/none of the snapshots/)]);
  });
});

describe('backstay history with serve running', () => {
  it('asks the host, which indexes in its own queue; the answer is complete', async () => {
    const hosted = await createWorkspace({ files: 3 });
    await hosted.writeConfig();
    expect((await hosted.restic(['backup', '--tag', 'backstay:plan=home', hosted.sourceDir])).exitCode).toBe(0);
    const serve = await startServeProcess(hosted.dataDir);
    try {
      const r = await backstay(['history', path.join(hosted.sourceDir, 'file-1.bin'), '--repo', 'local', '--json', '--data-dir', hosted.dataDir]);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const answer = JSON.parse(String(r.stdout)) as { versions: unknown[]; complete: boolean };
      expect(answer).toMatchObject({ complete: true });
      expect(answer.versions).toHaveLength(1);
      // The indexing ran in the host (its oplog), as a system operation.
      const { ops } = await serve.client.rpc('ops.list', { repoId: 'local', kind: 'index' });
      expect(ops.map((o) => [o.trigger, o.status])).toContainEqual(['system', 'success']);
    } finally {
      await serve.stop('SIGTERM', 20_000).catch(() => killIfRunning(serve));
      await hosted.cleanup();
    }
  });
});

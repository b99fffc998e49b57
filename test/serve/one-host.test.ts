// Exactly one host per data directory (issue 10, item 3): two `backstay serve` started at the same moment on one data
// directory, real processes. One becomes ready; the other exits 2 with one line naming the winner's pid. After a
// SIGKILL of the winner (no clean-up of any kind), a new one starts. The clients that are not hosts keep working.
import { describe, expect, it } from 'vitest';
import { backstay } from '../helpers/cli.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { killIfRunning, spawnBackstay, startServeProcess, type ChildCli } from './serve-harness.js';

const fixture = useEngineFixture();
const children: ChildCli[] = [];

const isReady = (line: string) => line.startsWith('{') && line.includes('"ready"');

describe('one host per data directory', () => {
  it('two serve at the same moment: exactly one ready, the other exits 2 naming its pid; after SIGKILL a new one starts', async () => {
    const ws = await fixture.workspace({ files: 1 });
    fixture.onTeardown(async () => {
      for (const child of children.splice(0)) await killIfRunning(child);
    });
    await ws.writeConfig();
    const ROUNDS = 3;
    for (let round = 0; round < ROUNDS; round++) {
      const pair = [0, 1].map(() => spawnBackstay(['serve', '--data-dir', ws.dataDir, '--port', '0']));
      children.push(...pair);
      // The loser exits; the winner prints its ready line and stays.
      const loserIndex = await Promise.race(pair.map((cli, i) => cli.exited.then(() => i)));
      const loser = pair[loserIndex]!;
      const winner = pair[1 - loserIndex]!;
      expect(await loser.exited).toEqual({ code: 2, signal: null });
      await winner.waitForLine(isReady, 30_000, 'the winner ready line');
      expect(loser.lines.filter(isReady)).toEqual([]);
      const stderrLines = loser.stderr().trim().split('\n');
      expect(stderrLines).toHaveLength(1);
      expect(stderrLines[0]).toContain(`pid ${winner.pid}`);
      expect(stderrLines[0]).toContain('already running');

      // The clients that are not hosts still work beside it.
      const ops = await backstay(['ops', '--data-dir', ws.dataDir, '--json']);
      expect(ops.exitCode).toBe(0);
      expect(Array.isArray(JSON.parse(String(ops.stdout)))).toBe(true);

      // A third one later is refused too.
      const late = spawnBackstay(['serve', '--data-dir', ws.dataDir, '--port', '0']);
      children.push(late);
      expect((await late.exited).code).toBe(2);
      expect(late.stderr()).toContain(`pid ${winner.pid}`);

      winner.child.kill('SIGKILL');
      await winner.exited;
    }
    // After the last SIGKILL: a new host starts (the OS released the lock; host.json and serve.json are leftovers).
    const next = await startServeProcess(ws.dataDir);
    children.push(next);
    const state = await next.client.rpc('state.get', {});
    expect(state.plans.map((p) => p.id)).toEqual(['home']);
  }, 120_000);
});

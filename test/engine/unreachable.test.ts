// One classification of restic failures (issue 10, item 13, engine part): a REST repository that cannot be reached
// is NETWORK for every command (backup, check, stats, snapshots list, browse), never NO_REPOSITORY. restic 0.14 adds
// "Is there a repository at the following location?" to a refused connection, which once read as "initialise it".
// Real restic against a closed 127.0.0.1 port and against an rclone backend that was stopped.
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/rclone.js';
import { BackstayError } from '../../main/common/errors.js';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

/** A loopback port with nothing listening: an unreachable REST server. */
const closedPort = freePort;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof BackstayError ? err.code : `not a BackstayError: ${String(err)}`;
  }
  return 'no error';
}

async function everyCommand(e: EngineInternals): Promise<Record<string, string | undefined>> {
  const op = async (method: 'plans.backup' | 'repos.check' | 'repos.stats') => {
    const { opId } = method === 'plans.backup' ? await e.rpc.invoke(method, { planId: 'home' }) : await e.rpc.invoke(method, { repoId: 'http' });
    const done = await e.orchestrator.waitFor(opId);
    expect(done.status).toBe('error');
    return done.error?.code;
  };
  return {
    backup: await op('plans.backup'),
    check: await op('repos.check'),
    stats: await op('repos.stats'),
    'snapshots.list': await codeOf(e.rpc.invoke('snapshots.list', { repoId: 'http' })),
    'snapshots.browse': await codeOf(e.rpc.invoke('snapshots.browse', { repoId: 'http', snapshotId: 'deadbeef', path: '/' })),
  };
}

const ALL_NETWORK = { backup: 'NETWORK', check: 'NETWORK', stats: 'NETWORK', 'snapshots.list': 'NETWORK', 'snapshots.browse': 'NETWORK' };

describe('an unreachable REST repository is NETWORK for every command', () => {
  it('a closed port on 127.0.0.1 (nothing listening)', async () => {
    const ws = await fixture.workspace({ init: false, files: 1 });
    const uri = `rest:http://127.0.0.1:${await closedPort()}/`;
    await ws.writeConfig({
      repos: [{ id: 'http', uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'home', repo: 'http', paths: [ws.sourceDir] }],
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    expect(await everyCommand(engine)).toEqual(ALL_NETWORK);
  });

  it('an rclone backend that was stopped after the repository was made', async () => {
    const ws = await fixture.workspace({ init: false, files: 1 });
    const rclone = await fixture.serveOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'home', repo: 'http', paths: [ws.sourceDir] }],
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    // The control: while rclone runs, the same commands work.
    const first = await engine.orchestrator.waitFor((await engine.rpc.invoke('plans.backup', { planId: 'home' })).opId);
    expect(first.status).toBe('success');
    expect((await engine.rpc.invoke('snapshots.list', { repoId: 'http' })).snapshots).toHaveLength(1);
    await rclone.stop();
    engine.snapshots.invalidate('http');
    expect(await everyCommand(engine)).toEqual(ALL_NETWORK);
  });
});

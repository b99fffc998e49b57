// A host killed with SIGKILL mid-backup: the next Backstay process marks the operation `interrupted`, stops the
// orphaned restic, removes its stale lock, and both a backup and an exclusive operation then succeed.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { silentLogger } from '../../main/core/logging.js';
import { openOplog } from '../../main/core/oplog/open-oplog.js';
import { isPidAlive as isAlive } from '../../main/core/process/process-identity.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { CLI_ENTRY } from '../helpers/cli.js';
import { waitUntil } from '../helpers/rclone.js';

const fixture = useEngineFixture();

describe('a Backstay process killed mid-backup', () => {
  it('leaves an operation the next process marks interrupted, and no lock blocks later work', async () => {
    const ws = await fixture.workspace({ files: 0 });
    for (let i = 0; i < 8; i += 1) await writeFile(path.join(ws.sourceDir, `big-${i}.bin`), randomBytes(16 * 1024 * 1024));
    await ws.writeConfig();
    const host = execa(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'backup', 'home', '--json', '--data-dir', ws.dataDir], {
      stdin: 'ignore',
      reject: false,
      buffer: false,
    });
    let sawProgress = false;
    host.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"type":"progress"')) sawProgress = true;
    });
    await waitUntil(() => sawProgress, 30_000, 'progress from the CLI');
    const store = openOplog(ws.dataDir);
    const live = store.listLive();
    store.close();
    expect(live).toHaveLength(1);
    const resticPid = live[0]!.resticPid;
    host.kill('SIGKILL');
    await host;

    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const op = engine.store.get(live[0]!.id)!;
    expect(op.status).toBe('interrupted');
    expect(op.error?.code).toBe('INTERRUPTED');
    expect(op.endedAt).not.toBeNull();
    if (resticPid) await waitUntil(() => !isAlive(resticPid), 10_000, 'the orphaned restic to be gone');

    const e = engine;
    const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    expect((await e.orchestrator.waitFor(opId)).status).toBe('success');
    const { opId: checkId } = await e.rpc.invoke('repos.check', { repoId: 'local' });
    const check = await e.orchestrator.waitFor(checkId);
    expect(check.error).toBeNull();
    expect(check.status).toBe('success');
  });
});

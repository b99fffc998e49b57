// A slow uplink is not a stall. restic 0.14 counts bytes READ as bytes_done, so on a slow upload its status lines
// reach 100% early and then repeat; the upload still moves restic's I/O, which the supervisor counts as progress.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

describe('a slow upload', () => {
  it('stays running (never stalled) while restic uploads after reading everything', async () => {
    const ws = await fixture.workspace({ files: 0 });
    await writeFile(path.join(ws.sourceDir, 'data.bin'), randomBytes(12 * 1024 * 1024));
    await ws.writeConfig({
      // 2 MiB/s: the 12 MiB are read at once, then uploaded for ~6 s, three times stallAfterSeconds.
      repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, flags: ['--limit-upload', '2048'] }],
      settings: { stallAfterSeconds: 2 },
    });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    const e = engine;
    const statuses = new Set<string>();
    const sub = e.publisher.subscribe({
      name: 'test',
      maxHz: 50,
      send: (state) => {
        for (const r of state.running) statuses.add(r.status);
      },
    });
    const { opId } = await e.rpc.invoke('plans.backup', { planId: 'home' });
    const op = await e.orchestrator.waitFor(opId);
    sub.dispose();
    expect(op.status).toBe('success');
    expect(statuses.has('running')).toBe(true);
    expect(statuses.has('stalled')).toBe(false);
    expect(e.store.readLog(opId).some((l) => l.text.startsWith('stalled'))).toBe(false);
    const duration = Date.parse(op.endedAt!) - Date.parse(op.startedAt!);
    expect(duration).toBeGreaterThan(4000); // it really was slow, so the test could have failed
  });
});

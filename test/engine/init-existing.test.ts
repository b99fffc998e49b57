// repos.init where a repository already is (real restic 0.14): restic's init says "already exists" before it looks
// at any password, so "ready" must mean the repository opens with this password, never only that something is there.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import type { EngineInternals } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

async function engineOn(ws: Awaited<ReturnType<typeof fixture.workspace>>): Promise<EngineInternals> {
  await ws.writeConfig();
  return fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
}

describe('repos.init on a repository that is already there', () => {
  it('is ready when the password opens it', async () => {
    const ws = await fixture.workspace({ files: 1 });
    const engine = await engineOn(ws);
    expect(await engine.rpc.invoke('repos.init', { repoId: 'local' })).toEqual({ ok: true });
  });

  it('is refused, WRONG_PASSWORD, when the password does not open it', async () => {
    const ws = await fixture.workspace({ files: 1 });
    await writeFile(ws.passwordFile, 'not-the-password', { mode: 0o600 });
    const engine = await engineOn(ws);
    const error = (await engine.rpc.invoke('repos.init', { repoId: 'local' }).catch((e: unknown) => e)) as { code?: string; message?: string };
    expect(error.code).toBe('WRONG_PASSWORD');
    expect(error.message).toBe('A repository is already at the location of "local", and this password does not open it.');
    expect(error.message).not.toContain('not-the-password');
  });
});

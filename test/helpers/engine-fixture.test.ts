// The fixture's teardown order, with a real engine, workspace and a frozen rclone backend. The first test only
// starts things and records what its teardown steps see; the second (run after the first one's afterEach, tests in
// a file run in order) checks the record and that nothing was left behind.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from './engine-fixture.js';
import { waitUntil } from './rclone.js';

const fixture = useEngineFixture();

/** The state letter of a process (T = stopped by SIGSTOP), or null once it is gone. */
function processState(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] ?? null;
  } catch {
    return null;
  }
}

const seen: string[] = [];
let left: { root: string; rclonePid: number } | null = null;

describe('useEngineFixture', () => {
  it('starts a workspace, an engine and a frozen HTTP backend', async () => {
    const ws = await fixture.workspace({ init: false, files: 1 });
    const rclone = await fixture.serveOverHttp(ws);
    await ws.writeConfig({ repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }], plans: [] });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    rclone.freeze();
    await waitUntil(() => processState(rclone.pid) === 'T', 5000, 'rclone to stop');
    left = { root: ws.root, rclonePid: rclone.pid };
    fixture.onTeardown(() => seen.push(`first extra; backend ${processState(rclone.pid) === 'T' ? 'frozen' : 'thawed'}`));
    fixture.onTeardown(() => seen.push(`second extra; engine ${engine.state().repos.length === 1 ? 'up' : '?'}`));
  });

  it('tore it down: backend thawed first, extras newest first while the engine ran, then nothing left', () => {
    expect(seen).toEqual(['second extra; engine up', 'first extra; backend thawed']);
    expect(left).not.toBeNull();
    expect(existsSync(left!.root)).toBe(false);
    expect(processState(left!.rclonePid)).toBeNull();
  });
});

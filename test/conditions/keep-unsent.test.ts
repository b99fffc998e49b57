// The window's forms have no fields for conditions and limits: saving a plan or a repository from them must not drop
// what config.json says about those (config.savePlan / saveRepo replace an entry whole otherwise).
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logging.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';

const fixture = useEngineFixture();

describe('saving from the window keeps conditions and limits', () => {
  it('a plan saved without conditions keeps the stored ones; {} clears them', async () => {
    const ws = await fixture.workspace();
    const conditions = { onBattery: 'skip', onMetered: 'run', requireReachable: true };
    await ws.writeConfig({ plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir], conditions }] });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    await engine.rpc.invoke('config.savePlan', { plan: { id: 'home', repo: 'local', paths: [ws.sourceDir], excludes: ['*.tmp'] } });
    expect(engine.config().plans[0]).toMatchObject({ excludes: ['*.tmp'], conditions });
    await engine.rpc.invoke('config.savePlan', { plan: { id: 'home', repo: 'local', paths: [ws.sourceDir], conditions: {} } });
    expect(engine.config().plans[0]!.conditions).toEqual({ onBattery: 'run', onMetered: 'run', requireReachable: false });
  });

  it('a repository saved without limits keeps the stored ones', async () => {
    const ws = await fixture.workspace();
    const limits = { uploadKiBs: 2048, rules: [{ days: ['sat'], from: '01:00', to: '05:00' }] };
    await ws.writeConfig({ repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, limits }] });
    const engine = await fixture.startEngine({ dataDir: ws.dataDir, host: 'cli', runSchedules: false, logger: silentLogger });
    await engine.rpc.invoke('config.saveRepo', { repo: { id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, flags: ['--no-cache'] } });
    expect(engine.config().repos[0]).toMatchObject({ flags: ['--no-cache'], limits });
  });
});

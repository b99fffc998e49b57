// serve re-reads config.json (issue 10, item 4), through the real process: a config that is invalid at start and is
// then fixed by hand clears the error and lets saves through; a plan added by hand becomes known; a save never
// overwrites an edit made by hand. Bounds: the watch reacts at once on Linux, the periodic check within 2 s.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../main/common/index.js';
import { BackstayError } from '../../main/common/errors.js';
import { useEngineFixture } from '../helpers/engine-fixture.js';
import { waitUntil } from '../helpers/rclone.js';
import type { Workspace } from '../helpers/workspace.js';
import { killIfRunning, startServeProcess, type ServeProcess } from './serve-harness.js';

/** How long a change by hand may take to show in state.get: the periodic check is every 2 s. */
const NOTICE_BOUND_MS = 6_000;

const fixture = useEngineFixture();
let ws: Workspace | null = null;
let serve: ServeProcess | null = null;

const configFile = () => path.join(ws!.dataDir, 'config.json');
const repo = () => ({ id: 'local', uri: ws!.repoPath, password: { file: ws!.passwordFile } });
const plan = (id: string) => ({ id, repo: 'local', paths: [ws!.sourceDir] });
const writeByHand = (config: unknown) => writeFile(configFile(), JSON.stringify(config, null, 2));

async function stateWhen(check: (state: AppState) => boolean, what: string): Promise<{ state: AppState; afterMs: number }> {
  const started = Date.now();
  let state = await serve!.client.rpc('state.get', {});
  await waitUntil(
    async () => {
      state = await serve!.client.rpc('state.get', {});
      return check(state);
    },
    NOTICE_BOUND_MS,
    what,
  );
  return { state, afterMs: Date.now() - started };
}

async function rpcError(promise: Promise<unknown>): Promise<BackstayError> {
  try {
    await promise;
  } catch (err) {
    return err as BackstayError;
  }
  throw new Error('expected the call to fail');
}

describe('serve re-reads config.json', () => {
  it('invalid at start, fixed by hand: the error clears and saves work again; a plan added by hand appears', async () => {
    ws = await fixture.workspace({ files: 1 });
    await writeByHand({ version: 1, repos: [repo()], plans: [{ ...plan('home'), repo: 'nsa' }] });
    serve = await startServeProcess(ws.dataDir);
    const started = serve;
    fixture.onTeardown(() => killIfRunning(started));

    const initial = await serve.client.rpc('state.get', {});
    expect(initial.configError).toContain('plans[0].repo: no repository "nsa"');
    expect((await rpcError(serve.client.rpc('config.saveSettings', { settings: { language: 'en' } }))).code).toBe('CONFIG_INVALID');

    // Fixed by hand (a new file renamed over the old one, as editors do).
    await writeFile(configFile() + '.tmp', JSON.stringify({ version: 1, repos: [repo()], plans: [plan('home')] }));
    await rename(configFile() + '.tmp', configFile());
    const fixed = await stateWhen((s) => s.configError === null, 'the config error to clear');
    expect(fixed.state.plans.map((p) => p.id)).toEqual(['home']);
    console.log(`config error cleared ${fixed.afterMs} ms after the fix`);

    await serve.client.rpc('config.saveSettings', { settings: { language: 'en' } });
    await serve.client.rpc('config.savePlan', { plan: plan('docs') });
    const saved = JSON.parse(await readFile(configFile(), 'utf8')) as { plans: { id: string }[] };
    expect(saved.plans.map((p) => p.id)).toEqual(['home', 'docs']);

    // A plan added by hand (in place, as `echo > config.json` does) becomes known and can be run.
    await writeByHand({ ...saved, plans: [...saved.plans, plan('added')] });
    const added = await stateWhen((s) => s.plans.some((p) => p.id === 'added'), 'the plan added by hand');
    console.log(`plan added by hand known ${added.afterMs} ms later`);
    const { opId } = await serve.client.rpc('plans.backup', { planId: 'added' });
    expect(opId).toBeGreaterThan(0);

    // Broken by hand again: the error shows, the running config stays, and a save is refused without touching the file.
    await writeFile(configFile(), '{"version": 1,');
    const broken = await stateWhen((s) => s.configError !== null, 'the new config error');
    expect(broken.state.configError).toContain('not valid JSON');
    expect(broken.state.plans.map((p) => p.id)).toEqual(['home', 'docs', 'added']);
    expect((await rpcError(serve.client.rpc('config.deletePlan', { planId: 'docs' }))).code).toMatch(/^CONFIG_(INVALID|CHANGED)$/);
    expect(await readFile(configFile(), 'utf8')).toBe('{"version": 1,');
  }, 90_000);
});

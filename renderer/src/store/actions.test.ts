// The store's actions as plain functions against the fake client: each asks the host exactly what the view used to
// ask itself, and the cancel bookkeeping lives with the call.
import { describe, expect, it } from 'vitest';
import type { RpcMethod } from '../../../main/common/index.js';
import { fakeClient } from '../../test-support/fake-client.js';
import { createActions, type AppActions } from './actions.js';
import { createAppStore, KeychainSaveError, RpcError, selectCancelRequested } from './index.js';

const schedule = { cron: '0 * * * *' };
const restoreRequest = { repoId: 'nas', snapshotId: 'abc', target: '/tmp/r', overwrite: false, paths: ['/a'] };
const repo = { id: 'nas', uri: '/srv/repo', password: { keychain: true } } as never;

const CALLS: { name: string; act: (a: AppActions) => Promise<unknown>; method: RpcMethod; params: unknown }[] = [
  { name: 'plans.save', act: (a) => a.plans.save({ id: 'home' } as never), method: 'config.savePlan', params: { plan: { id: 'home' } } },
  { name: 'plans.remove', act: (a) => a.plans.remove('home'), method: 'config.deletePlan', params: { planId: 'home' } },
  { name: 'plans.backupNow', act: (a) => a.plans.backupNow('home'), method: 'plans.backup', params: { planId: 'home', trigger: 'manual' } },
  { name: 'plans.recentBackups', act: (a) => a.plans.recentBackups('home', 30), method: 'ops.list', params: { planId: 'home', kind: 'backup', limit: 30 } },
  { name: 'repos.remove', act: (a) => a.repos.remove('nas'), method: 'config.deleteRepo', params: { repoId: 'nas' } },
  { name: 'repos.init', act: (a) => a.repos.init('nas'), method: 'repos.init', params: { repoId: 'nas' } },
  { name: 'repos.start', act: (a) => a.repos.start('repos.repairIndex', 'nas'), method: 'repos.repairIndex', params: { repoId: 'nas' } },
  { name: 'repos.keychainHas', act: (a) => a.repos.keychainHas('nas'), method: 'keychain.has', params: { repoId: 'nas' } },
  { name: 'repos.recentStats', act: (a) => a.repos.recentStats('nas', 20), method: 'ops.list', params: { repoId: 'nas', kind: 'stats', limit: 20 } },
  { name: 'snapshots.list (all plans)', act: (a) => a.snapshots.list('nas', ''), method: 'snapshots.list', params: { repoId: 'nas' } },
  { name: 'snapshots.list (one plan)', act: (a) => a.snapshots.list('nas', 'home'), method: 'snapshots.list', params: { repoId: 'nas', planId: 'home' } },
  { name: 'snapshots.browse', act: (a) => a.snapshots.browse('nas', 'abc', '/x'), method: 'snapshots.browse', params: { repoId: 'nas', snapshotId: 'abc', path: '/x' } },
  {
    name: 'snapshots.search',
    act: (a) => a.snapshots.search('nas', 'abc', 'thesis', 200),
    method: 'snapshots.search',
    params: { repoId: 'nas', snapshotId: 'abc', query: 'thesis', limit: 200 },
  },
  { name: 'snapshots.diff', act: (a) => a.snapshots.diff('nas', 'old', 'new'), method: 'snapshots.diff', params: { repoId: 'nas', snapshotA: 'old', snapshotB: 'new' } },
  { name: 'restore.start', act: (a) => a.restore.start(restoreRequest), method: 'restore.start', params: restoreRequest },
  { name: 'restore.outcome', act: (a) => a.restore.outcome(7), method: 'ops.get', params: { opId: 7 } },
  { name: 'settings.loadConfig', act: (a) => a.settings.loadConfig(), method: 'config.get', params: {} },
  { name: 'settings.save', act: (a) => a.settings.save({ language: 'zh-CN' }), method: 'config.saveSettings', params: { settings: { language: 'zh-CN' } } },
  { name: 'schedule.pause', act: (a) => a.schedule.pause(null), method: 'schedule.pause', params: { until: null } },
  { name: 'schedule.resume', act: (a) => a.schedule.resume(), method: 'schedule.resume', params: {} },
  { name: 'schedule.preview', act: (a) => a.schedule.preview(schedule, 5), method: 'schedule.preview', params: { schedule, count: 5 } },
  { name: 'ops.get', act: (a) => a.ops.get(3), method: 'ops.get', params: { opId: 3 } },
  { name: 'ops.log (from the start)', act: (a) => a.ops.log(3, undefined, 500), method: 'ops.log', params: { opId: 3, limit: 500 } },
  { name: 'ops.log (after a line)', act: (a) => a.ops.log(3, 41, 500), method: 'ops.log', params: { opId: 3, limit: 500, afterSeq: 41 } },
  { name: 'ops.keepWaiting', act: (a) => a.ops.keepWaiting(3), method: 'ops.keepWaiting', params: { opId: 3 } },
];

describe('store actions', () => {
  it.each(CALLS)('$name asks the host $method with the view\'s params', async ({ act, method, params }) => {
    const client = fakeClient();
    const actions = createActions(client, createAppStore());
    await act(actions).catch(() => undefined); // the fake answers UNKNOWN_METHOD: only the request matters here
    expect(client.calls).toEqual([{ method, params }]);
  });

  it('ops.cancel marks the cancel requested at once and gives the button back when the host refuses', async () => {
    const store = createAppStore();
    let answer: () => void = () => undefined;
    const client = fakeClient({ 'ops.cancel': () => new Promise((resolve) => (answer = () => resolve({ ok: true }))) });
    const actions = createActions(client, store);
    const cancelled = actions.ops.cancel(5);
    expect(selectCancelRequested(5)(store.getState())).toBe(true);
    answer();
    await expect(cancelled).resolves.toEqual({ ok: true });
    expect(selectCancelRequested(5)(store.getState())).toBe(true); // until the state confirms it

    const refused = createActions(fakeClient({ 'ops.cancel': () => Promise.reject(new RpcError('NOT_RUNNING', 'gone')) }), store);
    await expect(refused.ops.cancel(6)).rejects.toMatchObject({ code: 'NOT_RUNNING' });
    expect(selectCancelRequested(6)(store.getState())).toBe(false);
  });

  it('repos.save stores the typed password in the keychain only on the desktop, after the repository', async () => {
    const handlers = { 'config.saveRepo': () => ({ ok: true as const }), 'keychain.setPassword': () => ({ ok: true as const }) };
    const desktop = fakeClient(handlers, { desktop: true });
    expect(await createActions(desktop, createAppStore()).repos.save(repo, 's3cret')).toEqual({ ok: true, storedPassword: true });
    expect(desktop.calls.map((c) => c.method)).toEqual(['config.saveRepo', 'keychain.setPassword']);

    const browser = fakeClient(handlers);
    expect(await createActions(browser, createAppStore()).repos.save(repo, 's3cret')).toEqual({ ok: true, storedPassword: false });
    expect(browser.calls.map((c) => c.method)).toEqual(['config.saveRepo']);

    const refusing = fakeClient({ ...handlers, 'keychain.setPassword': () => Promise.reject(new RpcError('KEYCHAIN', 'locked')) }, { desktop: true });
    const failure = await createActions(refusing, createAppStore()).repos.save(repo, 's3cret').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(KeychainSaveError);
    expect((failure as Error).message).not.toContain('s3cret');
  });

  it('repos.loadForEdit finds the repository in the saved config', async () => {
    const client = fakeClient({ 'config.get': () => ({ repos: [repo], plans: [], settings: {} as never }) });
    const actions = createActions(client, createAppStore());
    expect(await actions.repos.loadForEdit('nas')).toBe(repo);
    expect(await actions.repos.loadForEdit('gone')).toBeUndefined();
  });
});

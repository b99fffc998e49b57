// The tray's part of issue 16: "Slow down backups for 1 hour" / "Full speed", and a postponed plan says it waits.
import { describe, expect, it } from 'vitest';
import { trayModel, type MenuItemModel } from '../../main/hosts/electron/tray-model.js';
import { runTrayAction } from '../../main/hosts/electron/tray-actions.js';
import { appState, local, plan } from '../../main/core/state/testing/app-state.js';

const now = local(16, 0);
const find = (items: MenuItemModel[], prefix: string) => items.find((i) => i.type === 'item' && i.label.startsWith(prefix)) as Extract<MenuItemModel, { type: 'item' }> | undefined;

describe('tray: bandwidth and postponed runs', () => {
  it('offers a slow-down for an hour when at full speed', () => {
    const m = trayModel(appState({ plans: [plan('Home', null)] }), now, 'en');
    expect(find(m.items, 'Slow down backups')?.action).toEqual({ action: 'slowDown', minutes: 60 });
  });

  it.each([
    ['en', 'Full speed (slowed down until 16:30)'],
    ['zh-CN', '全速（已降速至 16:30）'],
  ] as const)('offers full speed while slowed down (%s)', (lang, label) => {
    const m = trayModel(appState({ plans: [plan('Home', null)], slowDown: { until: local(16, 30).toISOString(), uploadKiBs: 1024 } }), now, lang);
    const entry = m.items.find((i) => i.type === 'item' && i.label === label);
    expect(entry && entry.type === 'item' && entry.action).toEqual({ action: 'fullSpeed' });
  });

  it('a slow-down that has ended offers a slow-down again', () => {
    const m = trayModel(appState({ plans: [plan('Home', null)], slowDown: { until: local(15, 0).toISOString(), uploadKiBs: 1024 } }), now, 'en');
    expect(find(m.items, 'Slow down backups')).toBeDefined();
  });

  it('a postponed plan says since when it waits', () => {
    const m = trayModel(appState({ plans: [plan('Home', null, { postponed: { reason: 'on-battery', since: local(10, 2).toISOString() } })] }), now, 'en');
    expect(find(m.items, 'Home')?.label).toBe('Home - never backed up, postponed 10:02');
  });

  it.each([
    [{ action: 'slowDown', minutes: 60 } as const, 'settings.slowDown', { minutes: 60 }],
    [{ action: 'fullSpeed' } as const, 'settings.fullSpeed', {}],
  ])('%j calls %s', async (action, method, params) => {
    const calls: unknown[] = [];
    await runTrayAction(action, {
      rpc: { invoke: (async (m: string, p: unknown) => void calls.push([m, p])) as never },
      openWindow: () => undefined,
      requestQuit: () => undefined,
      reportError: (_a, err) => {
        throw err;
      },
    });
    expect(calls).toEqual([[method, params]]);
  });
});

// Issue 16 in the window: a postponed plan says why and since when (en and zh-CN), and the header offers
// "Slow down backups for 1 hour" / "Full speed", saying when a running backup was restarted for it.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import type { AppState } from '../../../../main/common/index.js';

afterEach(cleanup);

const since = new Date();
since.setHours(10, 2, 0, 0);

function mount(state: AppState, handlers: Handlers = {}, systemLanguage = 'en-US') {
  const client = fakeClient(handlers);
  const store = createAppStore({ systemLanguage });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => {
    client.status('connected');
    client.push(state);
  });
  return { client };
}

describe('postponed plans', () => {
  it.each([
    ['en-US', 'Postponed on battery, since 10:02.'],
    ['zh-CN', '已推迟 正在使用电池，自 10:02 起。'],
  ])('the plan row says why and since when (%s)', (language, words) => {
    const state = appState({ plans: [plan('home', { postponed: { reason: 'on-battery', since: since.toISOString() } })] });
    mount({ ...state, settings: { ...state.settings, language: language === 'zh-CN' ? 'zh-CN' : 'en' } }, {}, language);
    expect(screen.getByTestId('plan-postponed-home').textContent?.replace(/\s+/g, ' ')).toContain(words);
  });

  it('a plan that waits for nothing shows no postponement', () => {
    mount(appState({ plans: [plan('home')] }));
    expect(screen.queryByTestId('plan-postponed-home')).toBeNull();
  });
});

describe('slow down / full speed', () => {
  it('slows down for an hour and says the running backup was restarted', async () => {
    const { client } = mount(appState({ plans: [plan('home')] }), {
      'settings.slowDown': () => ({ until: new Date(Date.now() + 3600_000).toISOString(), restarted: [7] }),
    });
    fireEvent.click(within(screen.getByTestId('speed-control')).getByRole('button', { name: 'Slow down backups for 1 hour' }));
    await waitFor(() => expect(screen.getByTestId('speed-control').textContent).toMatch(/restarted with the new limit/));
    expect(client.calls.find((c) => c.method === 'settings.slowDown')?.params).toEqual({ minutes: 60 });
  });

  it('while slowed down, says until when and offers full speed', async () => {
    const until = new Date();
    until.setHours(11, 30, 0, 0);
    const { client } = mount(appState({ plans: [plan('home')], slowDown: { until: until.toISOString(), uploadKiBs: 1024 } }), {
      'settings.fullSpeed': () => ({ restarted: [] }),
    });
    const control = screen.getByTestId('speed-control');
    expect(control.textContent).toContain('Slowed down until');
    expect(control.textContent).toContain('11:30');
    fireEvent.click(within(control).getByRole('button', { name: 'Full speed' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'settings.fullSpeed')).toBe(true));
  });
});

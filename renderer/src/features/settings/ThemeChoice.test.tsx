// The theme setting: System / Light / Dark, saved in settings.theme and applied to the page at once (data-theme
// on <html>, which tokens.css reads); a theme changed elsewhere (another window, config.json) is followed too.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
  localStorage.clear();
});

const base = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 };

async function mount(theme: 'system' | 'light' | 'dark' | undefined) {
  let saved: unknown = theme;
  const client = fakeClient({
    'config.get': () => ({ repos: [], plans: [], settings: base }),
    'ops.list': () => ({ ops: [] }),
    'config.saveSettings': ({ settings }) => {
      saved = settings.theme;
      return { ok: true };
    },
  });
  const store = createAppStore({ systemLanguage: 'en' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => client.push(appState({ settings: { ...base, ...(theme ? { theme } : {}) } })));
  fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Settings' }));
  await screen.findByTestId('theme-choice');
  return { client, saved: () => saved };
}

describe('settings: the theme', () => {
  it.each([
    { stored: undefined, checked: 'system', attribute: undefined },
    { stored: 'system', checked: 'system', attribute: undefined },
    { stored: 'light', checked: 'light', attribute: 'light' },
    { stored: 'dark', checked: 'dark', attribute: 'dark' },
  ] as const)('stored $stored: $checked is checked and <html data-theme> is $attribute', async ({ stored, checked, attribute }) => {
    await mount(stored);
    expect((screen.getByTestId(`theme-${checked}`) as HTMLInputElement).checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe(attribute);
  });

  it('a choice is saved as settings.theme and applied at once; back to System removes the pin', async () => {
    const { saved } = await mount('system');
    fireEvent.click(screen.getByLabelText('Dark'));
    await act(async () => {});
    expect(saved()).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    fireEvent.click(screen.getByLabelText('Follow the system'));
    await act(async () => {});
    expect(saved()).toBe('system');
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it('follows a theme changed elsewhere (a new state snapshot)', async () => {
    const { client } = await mount('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    act(() => client.push(appState({ version: 2, settings: { ...base, theme: 'dark' } })));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect((screen.getByTestId('theme-dark') as HTMLInputElement).checked).toBe(true);
  });
});

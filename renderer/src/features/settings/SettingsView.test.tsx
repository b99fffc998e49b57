// The restic program in Settings: what the host detects now (path and version, or why there is none, in the
// window's language), and a refused path marked on its field until it is edited.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ResticInfo } from '../../../../main/common/index.js';
import { App } from '../../App.js';
import { RpcError } from '../../client/index.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';

afterEach(cleanup);

const settings = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 };

async function mount(handlers: Handlers, restic: ResticInfo) {
  const client = fakeClient({ 'config.get': () => ({ repos: [], plans: [], settings }), 'ops.list': () => ({ ops: [] }), ...handlers });
  const store = createAppStore({ systemLanguage: 'en' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => client.push(appState({ restic })));
  fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Settings' }));
  await screen.findByLabelText(/restic program/);
  return { client, store };
}

const program = () => screen.getByLabelText(/restic program/) as HTMLInputElement;

describe('settings: the restic program', () => {
  it('a refused path is marked on the field in words, and the mark goes when the field is edited', async () => {
    const issue = { path: ['settings', 'resticBinary'], code: 'restic_too_old' as const, message: 'restic 0.9.0 is too old', params: { version: '0.9.0', minimum: '0.14.0' } };
    const { client, store } = await mount(
      {
        'config.saveSettings': ({ settings: s }) => {
          if (s.resticBinary === '/opt/old/restic') throw new RpcError('BAD_PARAMS', 'Invalid params for config.saveSettings (1 problem): ...', [issue]);
          return { ok: true };
        },
      },
      { path: '/usr/bin/restic', version: 'restic 0.14.0 compiled with go1.19.8 on linux/amd64', error: null },
    );
    expect(screen.getByTestId('restic-detected').textContent).toBe('Detected: restic 0.14.0 at /usr/bin/restic');
    fireEvent.change(program(), { target: { value: '/opt/old/restic' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId('field-error-resticBinary')).textContent).toBe('This is restic 0.9.0; Backstay needs restic 0.14.0 or newer.');
    expect(program().getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('Not saved: correct the marked fields.');
    expect(screen.queryByText('Saved.')).toBeNull();

    act(() => store.getState().setLanguage('zh-CN'));
    expect(screen.getByTestId('field-error-resticBinary').textContent).toBe('这是 restic 0.9.0；Backstay 需要 restic 0.14.0 或更新版本。');
    act(() => store.getState().setLanguage('en'));

    fireEvent.change(program(), { target: { value: '/usr/local/bin/restic' } });
    expect(screen.queryByTestId('field-error-resticBinary')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(client.calls.filter((c) => c.method === 'config.saveSettings')).toHaveLength(2);
  });

  it('says why no restic is detected, in the window language, with the host words as the detail', async () => {
    const { store } = await mount({}, { path: null, version: null, error: 'restic was not found at "/opt/x" (settings.resticBinary).', errorCode: 'RESTIC_NOT_FOUND' });
    const detected = screen.getByTestId('restic-detected');
    expect(detected.textContent).toContain('restic was not found. Install restic, or set the restic program under Settings.');
    expect(detected.textContent).toContain('/opt/x');
    act(() => store.getState().setLanguage('zh-CN'));
    await waitFor(() => expect(screen.getByTestId('restic-detected').querySelector('summary')?.textContent).toBe('详情'));
    expect(screen.getByTestId('restic-detected').firstElementChild?.textContent).toBe('找不到 restic。请安装 restic，或在“设置”中指定 restic 程序。');
  });
});

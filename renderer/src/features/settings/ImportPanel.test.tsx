// The window's first run for people coming from Backrest or resticprofile: pick the file, see what comes in and
// what does not (and why), then confirm; nothing is imported before the confirmation.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import type { ImportPreviewResult, RpcParams } from '../../../../main/common/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';

afterEach(cleanup);

const settings = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 };
const PREVIEW: ImportPreviewResult = {
  repos: [{ id: 'nas', uri: 'rest:http://nas:8000/', password: { file: '/d/secrets/nas.password' } }],
  plans: [{ id: 'home', repo: 'nas', paths: ['/home/me'] }],
  skipped: [{ what: 'repository "nas" hook 1 (Discord)', why: 'Backstay cannot send Discord messages' }],
  renamed: [{ kind: 'repo', from: 'My NAS', to: 'nas', why: 'ids are 1-64 characters' }],
  secrets: [{ repo: 'nas', from: 'repository "My NAS" password' }],
};

async function mount(language: 'en' | 'zh-CN' = 'en') {
  const calls: { method: string; params: RpcParams<'config.importPreview'> }[] = [];
  const client = fakeClient({
    'config.get': () => ({ repos: [], plans: [], settings }),
    'ops.list': () => ({ ops: [] }),
    'config.importPreview': (params) => {
      calls.push({ method: 'preview', params });
      return PREVIEW;
    },
    'config.importApply': (params) => {
      calls.push({ method: 'apply', params });
      return PREVIEW;
    },
  });
  const store = createAppStore({ systemLanguage: 'en' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => client.push(appState({ settings })));
  act(() => store.getState().setLanguage(language));
  const nav = within(screen.getByRole('navigation'));
  fireEvent.click(nav.getByRole('button', { name: language === 'en' ? 'Settings' : '设置' }));
  return { panel: within(await screen.findByTestId('import-panel')), calls };
}

async function chooseFile(text: string, name: string) {
  const input = screen.getByTestId('import-file');
  await act(async () => {
    fireEvent.change(input, { target: { files: [new File([text], name, { type: 'application/json' })] } });
  });
}

describe('settings: import from another tool', () => {
  it('previews what comes in and what does not, and imports only when confirmed', async () => {
    const { panel, calls } = await mount();
    fireEvent.change(panel.getByLabelText('Import from'), { target: { value: 'resticprofile' } });
    await chooseFile('version: "1"\n', 'profiles.yaml');
    await act(async () => {
      fireEvent.click(panel.getByRole('button', { name: 'Show what will be imported' }));
    });
    const preview = within(await screen.findByTestId('import-preview'));
    expect(calls).toEqual([{ method: 'preview', params: { from: 'resticprofile', text: 'version: "1"\n', fileName: 'profiles.yaml' } }]);
    expect(preview.getByText('Repositories to add (1)')).toBeTruthy();
    expect(preview.getByText('Not imported (1)')).toBeTruthy();
    expect(within(screen.getByTestId('import-skipped')).getByText('repository "nas" hook 1 (Discord)')).toBeTruthy();
    expect(preview.getByText('"My NAS" becomes "nas": ids are 1-64 characters')).toBeTruthy();
    expect(preview.getByText(/nas \(found in repository "My NAS" password\): kept in a file only you can read/)).toBeTruthy();

    await act(async () => {
      fireEvent.click(panel.getByRole('button', { name: 'Import' }));
    });
    expect(calls.map((c) => c.method)).toEqual(['preview', 'apply']);
    expect(await panel.findByText('Imported 1 repositories and 1 plans.')).toBeTruthy();
  });

  it('speaks Chinese', async () => {
    const { panel } = await mount('zh-CN');
    expect(panel.getByText('从其他工具迁移')).toBeTruthy();
    expect((panel.getByRole('button', { name: '查看将导入的内容' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

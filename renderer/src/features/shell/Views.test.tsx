// The other views, driven as a person would: through the sidebar, with a fake client.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Operation } from '../../../../main/common/index.js';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { RpcError } from '../../client/index.js';
import { formatSummaryValue } from '../../format/format.js';
import { translate } from '../../i18n/index.js';
import { appState, plan } from '../../../test-support/fixtures.js';

afterEach(cleanup);

const settings = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 };

function mount(handlers: Handlers, options: { desktop?: boolean } = {}) {
  const client = fakeClient({ 'config.get': () => ({ repos: [], plans: [], settings }), ...handlers }, options);
  const store = createAppStore({ systemLanguage: 'en' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => client.push(appState({ plans: [plan('home', { lastOp: { opId: 2, kind: 'backup', status: 'success', startedAt: null, endedAt: '2026-11-25T10:00:00Z', dataAdded: 5, errorMessage: null } })] })));
  return client;
}

const go = (name: string) => fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name }));
const field = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;

describe('repositories', () => {
  it('adds a repository with a password file and backend env', async () => {
    const client = mount({ 'config.saveRepo': () => ({ ok: true }) });
    go('Repositories');
    fireEvent.click(await screen.findByRole('button', { name: 'Add a repository' }));
    expect(screen.queryByLabelText('the system keychain')).toBeNull(); // a browser cannot reach the keychain
    fireEvent.change(field('Name'), { target: { value: 'usb' } });
    fireEvent.change(field('Location'), { target: { value: '/media/usb/restic' } });
    fireEvent.change(field('Password file'), { target: { value: '/home/me/.restic-pass' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    fireEvent.change(field('Variable'), { target: { value: 'RCLONE_CONFIG' } });
    fireEvent.change(field('Value'), { target: { value: '/x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(client.calls.at(-1)).toEqual({
        method: 'config.saveRepo',
        params: { create: true, repo: { id: 'usb', uri: '/media/usb/restic', password: { file: '/home/me/.restic-pass' }, env: { RCLONE_CONFIG: '/x' } } },
      }),
    );
  });

  it('offers the keychain in the desktop app and runs repository actions', async () => {
    const client = mount({ 'repos.check': () => ({ opId: 7 }) }, { desktop: true });
    go('Repositories');
    const card = within(await screen.findByTestId('repo-row-nas'));
    fireEvent.click(card.getByRole('button', { name: 'Check' }));
    expect((await card.findByRole('status')).textContent).toBe('Started operation #7.');
    expect(client.calls.at(-1)).toEqual({ method: 'repos.check', params: { repoId: 'nas' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a repository' }));
    expect(screen.getByLabelText('the system keychain')).toBeTruthy();
  });
});

describe('plans', () => {
  it('creates a plan with a cron schedule previewed by the host, and retention', async () => {
    const client = mount({
      'schedule.preview': () => ({ runs: ['2026-11-25T16:00:00.000Z', '2026-11-25T17:00:00.000Z'] }),
      'config.savePlan': () => ({ ok: true }),
      'ops.list': () => ({ ops: [] }),
    });
    go('Plans');
    fireEvent.click(await screen.findByRole('button', { name: 'New plan' }));
    fireEvent.change(field('Name'), { target: { value: 'docs' } });
    fireEvent.change(field(/Folders and files/), { target: { value: '/home/me/Documents\n\n/home/me/Notes ' } });
    fireEvent.click(screen.getByLabelText('Cron expression'));
    fireEvent.change(field(/Cron \(minute/), { target: { value: '0 * * * *' } });
    fireEvent.change(field('Daily'), { target: { value: '7' } });
    await waitFor(() => expect(client.calls.some((c) => c.method === 'schedule.preview')).toBe(true), { timeout: 2000 });
    expect(await screen.findByText(/Next runs/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(client.calls.at(-1)).toEqual({
        method: 'config.savePlan',
        params: { create: true, plan: { id: 'docs', repo: 'nas', paths: ['/home/me/Documents', '/home/me/Notes'], excludes: [], schedule: { cron: '0 * * * *' }, retention: { keepDaily: 7 } } },
      }),
    );
  });

  it("charts a plan's recent backups from ops.list", async () => {
    // Two days ago, so the runs fall inside the 90-day strip whenever this runs.
    const day = new Date(Date.now() - 2 * 86_400_000);
    const at = (minute: number) => new Date(day.getFullYear(), day.getMonth(), day.getDate(), 10, minute).toISOString();
    const ops = [3, 2, 1].map((id) => ({ id, status: id === 2 ? 'error' : 'success', startedAt: at(0), endedAt: at(id), createdAt: at(0), summary: { dataAdded: id * 1024 } }) as unknown as Operation);
    const client = mount({ 'ops.list': () => ({ ops }) });
    go('Plans');
    await screen.findByText('Recent backups');
    expect(client.calls.find((c) => c.method === 'ops.list')?.params).toEqual({ planId: 'home', kind: 'backup', limit: 1000 });
    // Each uPlot chart's text alternative lists every run (oldest first) with its value and result.
    for (const chart of ['chart-duration', 'chart-added', 'chart-files']) expect((await screen.findByTestId(chart)).querySelectorAll('tbody tr')).toHaveLength(3);
    expect([...screen.getByTestId('chart-added').querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['1 KiB · Success', '2 KiB · Error', '3 KiB · Success']);
    // The 90-day strip: that day shows its worst result (the failure); no other day has a backup.
    const cells = [...screen.getByTestId('success-strip').querySelectorAll('.strip-cell')];
    expect(cells).toHaveLength(90);
    expect(cells.filter((c) => c.getAttribute('data-result') === 'error')).toHaveLength(1);
    expect(cells.filter((c) => c.getAttribute('data-result') === 'none')).toHaveLength(89);
  });
});

describe('snapshots', () => {
  it('browses a snapshot, picks a file and restores it into a folder', async () => {
    const client = mount({
      'snapshots.list': () => ({ snapshots: [{ id: 'abcdef1234', shortId: 'abcdef12', time: '2026-11-25T10:00:00Z', paths: ['/home/me'], tags: [], hostname: 'box' }] }),
      'snapshots.browse': ({ path }) => ({
        entries:
          path === '/'
            ? [{ name: 'home', type: 'dir', path: '/home', size: null, mtime: null }]
            : [{ name: 'notes.txt', type: 'file', path: '/home/notes.txt', size: 2048, mtime: null }],
      }),
      'restore.start': () => ({ opId: 9 }),
    });
    go('Snapshots');
    fireEvent.click(await screen.findByRole('button', { name: 'Browse snapshot abcdef12' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Open home' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select notes.txt' }));
    fireEvent.change(field('Restore into folder'), { target: { value: '/tmp/back' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect((await screen.findByText('Started operation #9.')).getAttribute('role')).toBe('status');
    expect(client.calls.at(-1)).toEqual({
      method: 'restore.start',
      params: { repoId: 'nas', snapshotId: 'abcdef1234', target: '/tmp/back', overwrite: false, paths: ['/home/notes.txt'] },
    });
  });
});

describe('settings', () => {
  it('shows the detected restic, saves settings, and switches the language', async () => {
    const client = mount({ 'config.saveSettings': () => ({ ok: true }) });
    go('Settings');
    expect(await screen.findByText('Detected: restic 0.14.0 at /usr/bin/restic')).toBeTruthy();
    fireEvent.change(field(/stalled after/), { target: { value: '120' } });
    fireEvent.click(screen.getByLabelText('Notify me when a backup succeeds'));
    expect(field('Start Backstay when I log in').disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(client.calls.at(-1)).toEqual({
        method: 'config.saveSettings',
        params: { settings: { resticBinary: null, stallAfterSeconds: 120, cancelGraceSeconds: 15, notifyOnSuccess: true } },
      }),
    );
    fireEvent.change(screen.getByTestId('language-select'), { target: { value: 'zh-CN' } });
    expect(await within(screen.getByRole('navigation')).findByRole('button', { name: '设置' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});

describe('language (settings.language in config.json)', () => {
  function mountWithLanguage(language: 'auto' | 'en' | 'zh-CN' | undefined, saveSettings: Handlers['config.saveSettings'] = () => ({ ok: true })) {
    const storage = new Map<string, string>();
    const client = fakeClient({ 'config.get': () => ({ repos: [], plans: [], settings }), 'config.saveSettings': saveSettings });
    const store = createAppStore({ systemLanguage: 'en-US', storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) } });
    connectStore(client, store);
    render(<App store={store} client={client} />);
    const push = (lang: typeof language) =>
      act(() => client.push(appState({ version: Math.random(), settings: { ...settings, ...(lang ? { language: lang } : {}) } })));
    push(language);
    return { client, store, storage, push };
  }
  const nav = (name: string) => within(screen.getByRole('navigation')).queryByRole('button', { name });

  it('offers Follow the system, English and Chinese; the choice is saved to the host and applied at once', async () => {
    const { client, storage } = mountWithLanguage('auto');
    go('Settings');
    const select = (await screen.findByTestId('language-select')) as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['auto', 'Follow the system (English)'],
      ['en', 'English'],
      ['zh-CN', '简体中文'],
    ]);
    expect(select.value).toBe('auto');
    fireEvent.change(select, { target: { value: 'zh-CN' } });
    expect(client.calls.at(-1)).toEqual({ method: 'config.saveSettings', params: { settings: { language: 'zh-CN' } } });
    await waitFor(() => expect(nav('设置')).toBeTruthy());
    expect(storage.get('backstay.language')).toBe('zh-CN'); // localStorage only caches what the setting says
  });

  it('follows the setting from the host: another window (or config.json by hand) changing it switches this one', async () => {
    const { push, storage } = mountWithLanguage('en');
    expect(nav('Settings')).toBeTruthy();
    push('zh-CN');
    expect(nav('设置')).toBeTruthy();
    push('auto'); // follow the system: en-US
    expect(nav('Settings')).toBeTruthy();
    expect(storage.get('backstay.language')).toBe('en');
  });

  it('a stale cached choice loses to the setting once the host answers', () => {
    const storage = new Map([['backstay.language', 'zh-CN']]);
    const client = fakeClient({ 'config.get': () => ({ repos: [], plans: [], settings }) });
    const store = createAppStore({ systemLanguage: 'en-US', storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) } });
    connectStore(client, store);
    render(<App store={store} client={client} />);
    expect(nav('设置')).toBeTruthy(); // the cache paints the first frame
    act(() => client.push(appState({ settings: { ...settings, language: 'en' } })));
    expect(nav('Settings')).toBeTruthy();
  });

  it('a refused save leaves the language as it was and says why', async () => {
    mountWithLanguage('en', () => {
      throw new RpcError('CONFIG_INVALID', 'config.json must be fixed by hand first');
    });
    go('Settings');
    fireEvent.change(await screen.findByTestId('language-select'), { target: { value: 'zh-CN' } });
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(nav('Settings')).toBeTruthy();
    expect((screen.getByTestId('language-select') as HTMLSelectElement).value).toBe('en');
  });
});

describe('repository statistics', () => {
  const statsOp = (id: number, patch: Partial<Operation>): Operation =>
    ({
      id,
      kind: 'stats',
      trigger: 'manual',
      planId: null,
      repoId: 'nas',
      status: 'success',
      createdAt: '2026-11-25T10:00:00.000Z',
      startedAt: '2026-11-25T10:00:00.000Z',
      endedAt: '2026-11-25T10:00:02.000Z',
      snapshotId: null,
      error: null,
      progress: null,
      summary: { totalSize: 4139109, totalUncompressedSize: 8278218, totalBlobCount: 1234567, snapshotsCount: 3, compressionRatio: 2 },
      itemErrors: [],
      ...patch,
    }) as Operation;

  it('the card shows size in binary units and the snapshot count, with labels, not raw keys', async () => {
    const client = mount({ 'ops.list': () => ({ ops: [statsOp(12, {})] }) });
    go('Repositories');
    expect((await screen.findByTestId('repo-size-nas')).textContent).toBe('3.9 MiB');
    expect(screen.getByTestId('repo-snapshots-nas').textContent).toBe('3');
    expect(client.calls.find((c) => c.method === 'ops.list')?.params).toEqual({ repoId: 'nas', kind: 'stats', limit: 20 });
    const card = within(screen.getByTestId('repo-row-nas'));
    expect(card.getByText('Size')).toBeTruthy();
    expect(card.queryByText(/totalSize|4139109/)).toBeNull();
  });

  it('while Statistics runs it says so; a failed run says why and keeps the last figures', async () => {
    mount({
      'ops.list': () => ({
        ops: [statsOp(14, { status: 'error', error: { code: 'NETWORK', message: 'unreachable' } as Operation['error'] }), statsOp(12, {})],
      }),
    });
    go('Repositories');
    expect((await screen.findByTestId('repo-size-nas')).textContent).toBe('3.9 MiB');
    expect(screen.getByText('Statistics failed: unreachable')).toBeTruthy();
  });

  it('never measured: says how to measure', async () => {
    mount({ 'ops.list': () => ({ ops: [] }) });
    go('Repositories');
    expect(await screen.findByText('Size not measured yet. Statistics measures it.')).toBeTruthy();
  });

  it('the summary of a Statistics run is formatted: sizes, separators, ratio, translated labels', () => {
    const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en', k, v);
    const zh = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('zh-CN', k, v);
    const rows = [
      ['totalSize', 4139109, '3.9 MiB'],
      ['totalUncompressedSize', 8278218, '7.9 MiB'],
      ['totalBlobCount', 1234567, '1,234,567'],
      ['snapshotsCount', 3, '3'],
      ['compressionRatio', 2.345, '2.35 : 1'],
      ['dataAdded', 312 * 1024 * 1024, '312 MiB'],
      ['totalDuration', 360, '6 min'],
      ['filesNew', 12034, '12,034'],
    ] as const;
    for (const [key, value, text] of rows) expect(formatSummaryValue(key, value, t, 'en'), key).toBe(text);
    expect(formatSummaryValue('totalBlobCount', 1234567, zh, 'zh-CN')).toBe('1,234,567');
    expect(['totalSize', 'totalUncompressedSize', 'totalBlobCount', 'snapshotsCount', 'compressionRatio'].map((k) => zh(`summary.${k}` as never))).toEqual([
      '大小',
      '压缩前大小',
      '数据块',
      '快照数',
      '压缩比',
    ]);
  });
});

// The other views, driven as a person would: through the sidebar, with a fake client.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Operation } from '../../../../main/common/index.js';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
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
        params: { repo: { id: 'usb', uri: '/media/usb/restic', password: { file: '/home/me/.restic-pass' }, env: { RCLONE_CONFIG: '/x' } } },
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
        params: { plan: { id: 'docs', repo: 'nas', paths: ['/home/me/Documents', '/home/me/Notes'], excludes: [], schedule: { cron: '0 * * * *' }, retention: { keepDaily: 7 } } },
      }),
    );
  });

  it("charts a plan's recent backups from ops.list", async () => {
    const ops = [3, 2, 1].map((id) => ({ id, status: id === 2 ? 'error' : 'success', startedAt: '2026-11-25T10:00:00Z', endedAt: `2026-11-25T10:0${id}:00Z`, createdAt: '2026-11-25T10:00:00Z', summary: { dataAdded: id * 1024 } }) as unknown as Operation);
    const client = mount({ 'ops.list': () => ({ ops }) });
    go('Plans');
    await screen.findByText('Recent backups');
    expect(client.calls.find((c) => c.method === 'ops.list')?.params).toEqual({ planId: 'home', kind: 'backup', limit: 30 });
    expect(document.querySelectorAll('rect.bar').length).toBe(9); // duration, data added, result strip
    expect(document.querySelectorAll('rect.bar-error').length).toBe(3);
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
    expect(within(screen.getByRole('navigation')).getByRole('button', { name: '设置' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});

// The snapshots view driven as someone who just lost a file would: find the snapshot, find the file, restore it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { RpcError } from '../../client/index.js';
import { AppProvider, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import { SnapshotsView } from './SnapshotsView.js';
import { SEARCH_DEBOUNCE_MS } from './SnapshotSearch.js';

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

function snap(id: string, time: string, patch: Partial<SnapshotInfo> = {}): SnapshotInfo {
  return { id: `${id}0000000000`, shortId: id, time, paths: ['/home/me'], tags: [], hostname: 'box', ...patch };
}

const OLD_HOME = snap('aaaa1111', '2026-11-20T10:00:00Z', { tags: ['backstay:plan=home'], planId: 'home' });
const PHOTOS = snap('bbbb2222', '2026-11-22T10:00:00Z', { tags: ['backstay:plan=photos'], planId: 'photos', paths: ['/media/photos'] });
const NEW_HOME = snap('cccc3333', '2026-11-24T10:00:00Z', {
  tags: ['backstay:plan=home', 'before-upgrade'],
  planId: 'home',
  summary: { filesNew: 1234, filesChanged: 5, dataAdded: 312 * 1024 * 1024 },
});

const ROOT = [{ name: 'home', type: 'dir' as const, path: '/home', size: null, mtime: null }];

function mount(handlers: Handlers = {}) {
  const client = fakeClient({
    'snapshots.list': () => ({ snapshots: [OLD_HOME, NEW_HOME, PHOTOS] }),
    'snapshots.browse': ({ path }) => ({ entries: path === '/' ? ROOT : [] }),
    ...handlers,
  });
  const store = createAppStore({ systemLanguage: 'en' });
  store.getState().applySnapshot(appState({ plans: [plan('home'), plan('photos'), plan('elsewhere', { repoId: 'usb' })] }));
  render(
    <AppProvider store={store} client={client}>
      <SnapshotsView />
    </AppProvider>,
  );
  return { client, store };
}

const callsOf = (client: ReturnType<typeof fakeClient>, method: string) => client.calls.filter((c) => c.method === method);

async function open(shortId: string) {
  fireEvent.click(await screen.findByRole('button', { name: `Browse snapshot ${shortId}` }));
  await screen.findByTestId('snapshot-tree');
}

describe('snapshot list', () => {
  it('shows time, host, paths, tags and plan (not the plan tag), newest first, with what a backup added', async () => {
    mount();
    const row = within(await screen.findByTestId('snapshot-row-cccc3333'));
    const rows = screen.getAllByTestId(/^snapshot-row-/).map((r) => r.getAttribute('data-testid'));
    expect(rows).toEqual(['snapshot-row-cccc3333', 'snapshot-row-bbbb2222', 'snapshot-row-aaaa1111']);
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers.slice(0, 8)).toEqual(['Time', 'ID', 'Plan', 'Host', 'Paths', 'Tags', 'New files', 'Data added']);

    const cells = row.getAllByRole('cell').map((c) => c.textContent);
    expect(cells[2]).toBe('home');
    expect(cells[3]).toBe('box');
    expect(cells[4]).toBe('/home/me');
    expect(cells[5]).toBe('before-upgrade');
    expect(cells[6]).toBe((1234).toLocaleString('en'));
    expect(cells[7]).toBe('+312 MiB');
    expect(screen.queryByText(/backstay:plan=/)).toBeNull();
    // A relative age, with the exact local time on hover.
    const age = row.getAllByRole('cell')[0]!.querySelector('time')!;
    expect(age.textContent).toMatch(/ago$/);
    expect(age.getAttribute('title')).toBe(new Date(NEW_HOME.time).toLocaleString('en', { dateStyle: 'full', timeStyle: 'medium', hourCycle: 'h23' }));
    // No summary (restic before 0.17): dashes, not invented numbers.
    expect(within(screen.getByTestId('snapshot-row-aaaa1111')).getAllByRole('cell')[7]!.textContent).toBe('–');
  });

  it('leaves out the added columns when restic recorded no summary at all', async () => {
    mount({ 'snapshots.list': () => ({ snapshots: [OLD_HOME] }) });
    await screen.findByTestId('snapshot-row-aaaa1111');
    expect(screen.queryByRole('columnheader', { name: 'Data added' })).toBeNull();
  });

  it('filters by plan through the host and refreshes on demand', async () => {
    const { client } = mount();
    await screen.findByTestId('snapshot-row-cccc3333');
    const planSelect = screen.getByLabelText('Plan') as HTMLSelectElement;
    // Only this repository's plans are offered.
    expect([...planSelect.options].map((o) => o.value)).toEqual(['', 'home', 'photos']);
    fireEvent.change(planSelect, { target: { value: 'photos' } });
    await waitFor(() => expect(callsOf(client, 'snapshots.list').at(-1)!.params).toEqual({ repoId: 'nas', planId: 'photos' }));
    const before = callsOf(client, 'snapshots.list').length;
    fireEvent.click(await screen.findByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(callsOf(client, 'snapshots.list')).toHaveLength(before + 1));
    expect(callsOf(client, 'snapshots.list').at(-1)!.params).toEqual({ repoId: 'nas', planId: 'photos' });
  });
});

describe('search in a snapshot', () => {
  const found = [
    { name: 'thesis', type: 'dir' as const, path: '/home/me/docs/thesis', size: null, mtime: null },
    { name: 'thesis.tex', type: 'file' as const, path: '/home/me/old/thesis.tex', size: 10, mtime: null },
  ];

  it('asks once the typing pauses, opens a folder result, and selects a file result for restore', async () => {
    const { client } = mount({
      'snapshots.search': () => ({ entries: found }),
      'snapshots.browse': ({ path }) => ({ entries: path === '/' ? ROOT : [{ name: 'ch1.tex', type: 'file', path: `${path}/ch1.tex`, size: 1, mtime: null }] }),
      'restore.start': () => ({ opId: 4 }),
    });
    await open('cccc3333');
    const box = screen.getByRole('searchbox', { name: 'Find by name' });

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    for (const text of ['t', 'th', 'thes']) {
      fireEvent.change(box, { target: { value: text } });
      act(() => void vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 50));
    }
    expect(callsOf(client, 'snapshots.search')).toHaveLength(0); // still typing
    act(() => void vi.advanceTimersByTime(49));
    expect(callsOf(client, 'snapshots.search')).toHaveLength(0);
    await act(async () => void vi.advanceTimersByTime(1));
    vi.useRealTimers();
    expect(callsOf(client, 'snapshots.search').map((c) => c.params)).toEqual([
      { repoId: 'nas', snapshotId: NEW_HOME.id, query: 'thes', limit: 200 },
    ]);

    // Full paths, so two things with the same name can be told apart.
    const results = within(await screen.findByTestId('snapshot-search-results'));
    fireEvent.click(results.getByRole('button', { name: '/home/me/docs/thesis/' }));
    await waitFor(() => expect(callsOf(client, 'snapshots.browse').at(-1)!.params).toMatchObject({ path: '/home/me/docs/thesis' }));
    expect(await screen.findByRole('checkbox', { name: 'Select ch1.tex' })).toBeTruthy();
    expect((box as HTMLInputElement).value).toBe('');

    fireEvent.change(box, { target: { value: 'thesis.tex' } });
    const file = await within(await screen.findByTestId('snapshot-search-results')).findByRole('button', { name: '/home/me/old/thesis.tex' });
    expect(file.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(file);
    expect(file.getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByRole('radio', { name: 'Only the selected items (1)' }) as HTMLInputElement).checked).toBe(true);

    fireEvent.change(screen.getByLabelText('Restore into folder'), { target: { value: '/tmp/back' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await screen.findByText(/Restoring…/);
    expect(callsOf(client, 'restore.start').at(-1)!.params).toEqual({
      repoId: 'nas',
      snapshotId: NEW_HOME.id,
      target: '/tmp/back',
      overwrite: false,
      paths: ['/home/me/old/thesis.tex'],
    });
  });

  it('says when nothing matches and when the host fails', async () => {
    let fail = false;
    mount({
      'snapshots.search': () => {
        if (fail) throw new RpcError('INDEX_FAILED', 'The snapshot index could not be read.');
        return { entries: [] };
      },
    });
    await open('cccc3333');
    const box = screen.getByRole('searchbox', { name: 'Find by name' });
    fireEvent.change(box, { target: { value: 'zzz' } });
    expect(await screen.findByText('Nothing in this snapshot has “zzz” in its name.')).toBeTruthy();
    fail = true;
    fireEvent.change(box, { target: { value: 'yyy' } });
    expect((await screen.findByRole('alert')).textContent).toBe('The snapshot index could not be read.');
  });
});

describe('compare with the previous snapshot', () => {
  it('diffs against the next older snapshot of the same plan and shows the lists with exact counts', async () => {
    const { client } = mount({
      'snapshots.diff': () =>
        ({
          added: ['/home/me/new.txt'],
          removed: [],
          changed: ['/home/me/a.txt', '/home/me/b.txt'],
          counts: { added: 70_000, removed: 0, changed: 2 },
          truncated: true,
        }) as never,
    });
    await open('cccc3333');
    fireEvent.click(screen.getByRole('button', { name: 'Compare with previous snapshot' }));
    const diff = within(await screen.findByTestId('snapshot-diff'));
    // Photos sits between the two in time but is another plan: the comparison skips it. Older first.
    expect(callsOf(client, 'snapshots.diff').map((c) => c.params)).toEqual([
      { repoId: 'nas', snapshotA: OLD_HOME.id, snapshotB: NEW_HOME.id },
    ]);
    expect(diff.getByText('Changes since snapshot aaaa1111')).toBeTruthy();
    expect(diff.getByText('Added (70,000)')).toBeTruthy();
    expect(diff.getByText('Changed (2)')).toBeTruthy();
    expect(diff.queryByText(/^Removed/)).toBeNull();
    expect(diff.getByText(/too many changes to list them all/)).toBeTruthy();
    expect(within(diff.getByTestId('snapshot-diff-changed')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '/home/me/a.txt',
      '/home/me/b.txt',
    ]);
  });

  it('counts the lists when the host sends no counts, and says so when nothing changed', async () => {
    mount({ 'snapshots.diff': () => ({ added: [], removed: ['/home/me/gone.txt'], changed: [] }) as never });
    await open('cccc3333');
    fireEvent.click(screen.getByRole('button', { name: 'Compare with previous snapshot' }));
    const diff = within(await screen.findByTestId('snapshot-diff'));
    expect(diff.getByText('Removed (1)')).toBeTruthy();
    expect(diff.queryByText(/too many changes/)).toBeNull();
  });

  it('offers no comparison for the oldest snapshot of a plan', async () => {
    mount();
    await open('aaaa1111');
    expect(screen.queryByRole('button', { name: 'Compare with previous snapshot' })).toBeNull();
    expect(screen.getByText('There is no older snapshot of the same source to compare with.')).toBeTruthy();
  });
});

describe('restore dialog', () => {
  it('keeps overwrite off by default, warns when it is on, and restores the whole snapshot when nothing is ticked', async () => {
    const { client, store } = mount({ 'restore.start': () => ({ opId: 31 }) });
    await open('cccc3333');
    const overwrite = screen.getByRole('checkbox', { name: 'Overwrite existing files' }) as HTMLInputElement;
    expect(overwrite.checked).toBe(false);
    expect(screen.queryByText(/will be replaced/)).toBeNull();
    fireEvent.click(overwrite);
    expect(screen.getByText(/will be replaced by the versions from this snapshot/)).toBeTruthy();
    fireEvent.click(overwrite);
    expect(screen.getByText(/new subfolder inside it/)).toBeTruthy(); // the hint explains what happens without overwrite
    expect((screen.getByRole('radio', { name: 'The whole snapshot' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: 'Only the selected items (0)' }) as HTMLInputElement).disabled).toBe(true);

    fireEvent.change(screen.getByLabelText('Restore into folder'), { target: { value: '  /home/me/restored ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('Started operation #31.');
    expect(status.textContent).toContain('Restoring… see Operations for progress.');
    expect(callsOf(client, 'restore.start')[0]!.params).toEqual({
      repoId: 'nas',
      snapshotId: NEW_HOME.id,
      target: '/home/me/restored',
      overwrite: false,
    });

    fireEvent.click(within(status).getByRole('button', { name: 'Open in Operations' }));
    expect(store.getState().view).toBe('operations');
    expect(store.getState().focusOpId).toBe(31);
  });

  it('refuses a relative or empty folder before asking the host', async () => {
    const { client } = mount({ 'restore.start': () => ({ opId: 1 }) });
    await open('cccc3333');
    const target = screen.getByLabelText('Restore into folder');
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a folder to restore into.');
    fireEvent.change(target, { target: { value: 'restored' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      '“restored” is not a full path. Enter one that starts at the root, such as /home/me/restored.',
    );
    expect(target.getAttribute('aria-invalid')).toBe('true');
    expect(callsOf(client, 'restore.start')).toHaveLength(0);
  });

  it.each([
    ['TARGET_INVALID', 'Backstay cannot write to "/root/x". Choose a folder you can write to.', 'This folder cannot be used for the restore.'],
    ['PATH_NOT_IN_SNAPSHOT', '/home/me/gone.txt is not in snapshot cccc3333.', 'Some of the selected items are not in this snapshot.'],
    ['UNKNOWN_SNAPSHOT', 'No snapshot cccc3333 in repository nas.', 'This snapshot is no longer in the repository (it may have been forgotten). Refresh the list and pick another.'],
  ])('shows %s from the host in words', async (code, detail, words) => {
    mount({
      'restore.start': () => {
        throw new RpcError(code, detail);
      },
    });
    await open('cccc3333');
    fireEvent.change(screen.getByLabelText('Restore into folder'), { target: { value: '/root/x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`${words} ${detail}`);
    expect(screen.getByLabelText('Restore into folder').getAttribute('aria-invalid')).toBe(code === 'TARGET_INVALID' ? 'true' : null);
    expect(screen.queryByRole('status')).toBeNull();
  });
});

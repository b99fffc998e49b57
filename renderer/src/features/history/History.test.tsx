// History, search across all snapshots, undelete and downloads, driven as a person would through the snapshots
// view, against the fake client.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { PathVersion, SnapshotInfo, SnapshotMark } from '../../../../main/common/rpc.js';
import { AppProvider, createAppStore } from '../../store/index.js';
import type { BackstayClient } from '../../client/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import { SnapshotsView } from '../snapshots/SnapshotsView.js';

afterEach(() => cleanup());

function snap(id: string, time: string): SnapshotInfo {
  return { id: `${id}${'0'.repeat(56)}`, shortId: id, time, paths: ['/home/me'], tags: ['backstay:plan=home'], hostname: 'box', planId: 'home' };
}
const S1 = snap('aaaa1111', '2026-11-20T10:00:00Z');
const S2 = snap('bbbb2222', '2026-11-22T10:00:00Z');
const S3 = snap('cccc3333', '2026-11-24T10:00:00Z');
const mark = (s: SnapshotInfo): SnapshotMark => ({ snapshotId: s.id, time: s.time });

function version(s: SnapshotInfo, size: number, changed: boolean): PathVersion {
  return { type: 'file', size, mtime: s.time, firstSeen: mark(s), lastSeen: mark(s), snapshots: 1, changed, planId: 'home', hostname: 'box' };
}
const NOTES_HISTORY = [version(S3, 300, true), version(S2, 200, true), version(S1, 100, false)];

const TREE: Record<string, { name: string; type: 'file' | 'dir'; path: string; size: number | null; mtime: string | null }[]> = {
  '/': [{ name: 'home', type: 'dir', path: '/home', size: null, mtime: null }],
  '/home': [{ name: 'me', type: 'dir', path: '/home/me', size: null, mtime: null }],
  '/home/me': [{ name: 'notes.txt', type: 'file', path: '/home/me/notes.txt', size: 300, mtime: S3.time }],
};

function mount(handlers: Handlers = {}, extra: Partial<BackstayClient> = {}) {
  const base = fakeClient({
    'snapshots.list': () => ({ snapshots: [S1, S2, S3] }),
    'snapshots.browse': ({ path }) => ({ entries: TREE[path] ?? [] }),
    'snapshots.history': () => ({ versions: NOTES_HISTORY, indexedThrough: mark(S3), complete: true }),
    'snapshots.findAll': () => ({ results: [], complete: true, truncated: false }),
    'snapshots.deleted': () => ({ entries: [], complete: true }),
    'restore.start': () => ({ opId: 9 }),
    'ops.get': () => {
      throw new Error('not needed');
    },
    ...handlers,
  });
  const client = Object.assign(base, extra);
  const store = createAppStore({ systemLanguage: 'en' });
  store.getState().applyState(appState({ plans: [plan('home')] }));
  render(
    <AppProvider store={store} client={client}>
      <SnapshotsView />
    </AppProvider>,
  );
  return client;
}

const callsOf = (client: ReturnType<typeof fakeClient>, method: string) => client.calls.filter((c) => c.method === method);

async function browseTo(shortId: string, folders: string[]) {
  fireEvent.click(await screen.findByRole('button', { name: `Browse snapshot ${shortId}` }));
  for (const folder of folders) fireEvent.click(await screen.findByRole('button', { name: `Open ${folder}` }));
}

describe('history of a file', () => {
  it('opens from the browser: every version newest first, with size, seen range, count and whether it changed', async () => {
    const client = mount();
    await browseTo('cccc3333', ['home', 'me']);
    fireEvent.click(await screen.findByRole('button', { name: 'Show the history of notes.txt' }));
    const table = await screen.findByTestId('history-versions');
    expect(callsOf(client, 'snapshots.history').at(-1)!.params).toEqual({ repoId: 'nas', path: '/home/me/notes.txt' });
    const rows = within(table).getAllByTestId('history-version');
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['Version 3 file', 'Version 2 file', 'Version 1 file']);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1]!.textContent)).toEqual(['300 B', '200 B', '100 B']);
    expect(rows.map((r) => within(r).getAllByRole('cell')[5]!.textContent)).toEqual(['changed', 'changed', 'first version']);
    expect(rows.map((r) => within(r).getAllByRole('cell')[4]!.textContent)).toEqual(['1', '1', '1']);
    expect(screen.getByText('Versions: 3, newest first.')).toBeTruthy();
    expect(screen.queryByTestId('history-indexing')).toBeNull();
  });

  it('says honestly when the index is not complete yet, and shows the rest once it is', async () => {
    let asked = 0;
    mount({
      'snapshots.history': () => (++asked === 1 ? { versions: NOTES_HISTORY.slice(0, 1), indexedThrough: mark(S3), complete: false } : { versions: NOTES_HISTORY, indexedThrough: mark(S3), complete: true }),
    });
    await browseTo('cccc3333', ['home', 'me']);
    fireEvent.click(await screen.findByRole('button', { name: 'Show the history of notes.txt' }));
    expect((await screen.findByTestId('history-indexing')).textContent).toMatch(/Still indexing/);
    expect(screen.getAllByTestId('history-version')).toHaveLength(1);
    await waitFor(() => expect(screen.getAllByTestId('history-version')).toHaveLength(3), { timeout: 5000 });
    expect(screen.queryByTestId('history-indexing')).toBeNull();
  });

  it('restores a version through the restore form, from the snapshot that holds it', async () => {
    const client = mount();
    await browseTo('cccc3333', ['home', 'me']);
    fireEvent.click(await screen.findByRole('button', { name: 'Show the history of notes.txt' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Restore version 1' }));
    const form = within(screen.getByTestId('path-history')).getByRole('form', { name: 'Restore from snapshot aaaa1111' });
    fireEvent.change(within(form).getByLabelText('Restore into folder'), { target: { value: '/tmp/old' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(callsOf(client, 'restore.start')).toHaveLength(1));
    expect(callsOf(client, 'restore.start')[0]!.params).toEqual({ repoId: 'nas', snapshotId: S1.id, target: '/tmp/old', overwrite: false, paths: ['/home/me/notes.txt'] });
  });

  it('browses a version: its snapshot opens in the folder that holds the file', async () => {
    const client = mount();
    await browseTo('cccc3333', ['home', 'me']);
    fireEvent.click(await screen.findByRole('button', { name: 'Show the history of notes.txt' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Browse the snapshot of version 1' }));
    await screen.findByText('Files in snapshot aaaa1111');
    await waitFor(() => expect(callsOf(client, 'snapshots.browse').at(-1)!.params).toEqual({ repoId: 'nas', snapshotId: S1.id, path: '/home/me' }));
  });

  it('opens by typing a path; a relative one is refused with words', async () => {
    const client = mount();
    const box = await screen.findByLabelText('Or type a path');
    fireEvent.change(box, { target: { value: 'notes.txt' } });
    fireEvent.submit(box.closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toMatch(/full path/);
    expect(callsOf(client, 'snapshots.history')).toHaveLength(0);
    fireEvent.change(box, { target: { value: '/home/me/notes.txt/' } });
    fireEvent.submit(box.closest('form')!);
    await screen.findByTestId('history-versions');
    expect(callsOf(client, 'snapshots.history').at(-1)!.params).toEqual({ repoId: 'nas', path: '/home/me/notes.txt' });
  });
});

describe('search across all snapshots', () => {
  it('shows results grouped by path with versions and last seen, says "still indexing" and asks again until complete', async () => {
    let answers = 0;
    const client = mount({
      'snapshots.findAll': () => {
        answers += 1;
        const first = { path: '/home/me/notes.txt', type: 'file' as const, versions: 3, lastSeen: mark(S3) };
        const second = { path: '/home/me/old-notes', type: 'dir' as const, versions: 1, lastSeen: mark(S1) };
        return answers === 1 ? { results: [first], complete: false, truncated: false } : { results: [first, second], complete: true, truncated: false };
      },
    });
    fireEvent.change(await screen.findByLabelText('Find in all snapshots'), { target: { value: 'notes' } });
    const results = await screen.findByTestId('history-search-results');
    expect(within(results).getAllByTestId('history-search-result')).toHaveLength(1);
    expect(screen.getByTestId('history-search-indexing').textContent).toMatch(/Still indexing/);
    expect(within(results).getByText(/versions: 3/)).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId('history-search-result')).toHaveLength(2), { timeout: 5000 });
    expect(screen.queryByTestId('history-search-indexing')).toBeNull();
    expect(callsOf(client, 'snapshots.findAll')[0]!.params).toEqual({ repoId: 'nas', query: 'notes', limit: 200 });
    fireEvent.click(screen.getByRole('button', { name: 'Show the history of /home/me/notes.txt' }));
    await screen.findByTestId('history-versions');
    expect(callsOf(client, 'snapshots.history').at(-1)!.params).toEqual({ repoId: 'nas', path: '/home/me/notes.txt' });
  });

  it('says when more matched than it shows', async () => {
    const many = Array.from({ length: 3 }, (_, i) => ({ path: `/home/me/n${i}.txt`, type: 'file' as const, versions: 1, lastSeen: mark(S3) }));
    mount({ 'snapshots.findAll': () => ({ results: many, complete: true, truncated: true }) });
    fireEvent.change(await screen.findByLabelText('Find in all snapshots'), { target: { value: 'n' } });
    expect(await screen.findByText('Showing the first 3 found. Type more of the name to narrow them.')).toBeTruthy();
  });

  it('passes the time range as the start of the first day and the end of the last', async () => {
    const client = mount();
    fireEvent.change(await screen.findByLabelText('From'), { target: { value: '2026-11-21' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-23' } });
    fireEvent.change(screen.getByLabelText('Find in all snapshots'), { target: { value: '*.txt' } });
    await waitFor(() => expect(callsOf(client, 'snapshots.findAll').length).toBeGreaterThan(0));
    expect(callsOf(client, 'snapshots.findAll').at(-1)!.params).toEqual({
      repoId: 'nas',
      query: '*.txt',
      since: new Date(2026, 10, 21).toISOString(),
      until: new Date(2026, 10, 24).toISOString(),
      limit: 200,
    });
    expect(await screen.findByText('No snapshot has anything matching “*.txt”.')).toBeTruthy();
  });
});

describe('undelete', () => {
  it('"Show deleted" lists what is gone from this folder with when it was last seen, and restores it from its last snapshot', async () => {
    const client = mount({
      'snapshots.deleted': ({ path }) => ({
        entries: path === '/home/me' ? [{ name: 'gone.txt', type: 'file', path: '/home/me/gone.txt', size: 5, lastSeen: mark(S2) }] : [],
        complete: true,
      }),
    });
    await browseTo('cccc3333', ['home', 'me']);
    await screen.findByText('notes.txt');
    fireEvent.click(screen.getByTestId('show-deleted'));
    const entry = await screen.findByTestId('deleted-entry');
    expect(entry.textContent).toMatch(/gone\.txt/);
    expect(entry.textContent).toMatch(/last seen .*ago.*bbbb2222/);
    expect(callsOf(client, 'snapshots.deleted').at(-1)!.params).toEqual({ repoId: 'nas', path: '/home/me' });
    fireEvent.click(within(entry).getByRole('button', { name: 'Restore gone.txt from its last snapshot' }));
    const form = within(screen.getByTestId('deleted-list')).getByRole('form', { name: 'Restore from snapshot bbbb2222' });
    fireEvent.change(within(form).getByLabelText('Restore into folder'), { target: { value: '/home/me' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(callsOf(client, 'restore.start')).toHaveLength(1));
    expect(callsOf(client, 'restore.start')[0]!.params).toMatchObject({ snapshotId: S2.id, paths: ['/home/me/gone.txt'], target: '/home/me' });
  });

  it('says so when nothing was deleted', async () => {
    mount();
    await browseTo('cccc3333', ['home']);
    fireEvent.click(screen.getByTestId('show-deleted'));
    expect(await screen.findByText(/Nothing was deleted from this folder/)).toBeTruthy();
  });
});

describe('download', () => {
  it('downloads a file of the browsed snapshot with progress, and can be cancelled', async () => {
    const requests: unknown[] = [];
    let finish: (() => void) | null = null;
    mount(
      {},
      {
        download: (request, opts) => {
          requests.push(request);
          opts.onProgress({ bytes: 100, total: 300 });
          return new Promise((resolve) => {
            finish = () => resolve({ status: 'saved', fileName: 'notes.txt', bytes: 300 });
            opts.signal.addEventListener('abort', () => resolve({ status: 'cancelled' }));
          });
        },
      },
    );
    await browseTo('cccc3333', ['home', 'me']);
    fireEvent.click(await screen.findByRole('button', { name: 'Download notes.txt' }));
    expect(await screen.findByText('100 B of 300 B…')).toBeTruthy();
    expect(requests).toEqual([{ repoId: 'nas', snapshotId: S3.id, path: '/home/me/notes.txt' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel download' }));
    expect(await screen.findByText('Download cancelled.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Download notes.txt' }));
    await waitFor(() => expect(finish).not.toBeNull());
    finish!();
    expect(await screen.findByText('Saved notes.txt (300 B).')).toBeTruthy();
  });

  it('offers no Download where the window cannot save one', async () => {
    mount();
    await browseTo('cccc3333', ['home', 'me']);
    await screen.findByText('notes.txt');
    expect(screen.queryByRole('button', { name: 'Download notes.txt' })).toBeNull();
  });
});

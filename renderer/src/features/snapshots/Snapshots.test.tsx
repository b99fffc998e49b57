// The snapshots view driven as someone who just lost a file would: find the snapshot, find the file, restore it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import type { Operation } from '../../../../main/common/index.js';
import { RpcError } from '../../client/index.js';
import { AppProvider, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState, plan, runningOp } from '../../../test-support/fixtures.js';
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
  store.getState().applyState(appState({ plans: [plan('home'), plan('photos'), plan('elsewhere', { repoId: 'usb' })] }));
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
    expect(status.textContent).toContain('Restoring…');
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

describe('the view is bound to the selected repository (item 13)', () => {
  const USB = snap('dddd4444', '2026-11-23T10:00:00Z', { tags: ['backstay:plan=elsewhere'], planId: 'elsewhere', paths: ['/media/usb'] });
  const repo = (id: string) => ({ id, uri: `/srv/${id}`, passwordKind: 'file' as const, envKeys: [], health: 'ok' as const, lastError: null });

  /** snapshots.list answers only when the test says, per call, so answers can arrive late and out of order. */
  function deferredLists() {
    const pending: { repoId: string; resolve: (s: SnapshotInfo[]) => void; reject: (e: Error) => void }[] = [];
    const handlers: Handlers = {
      'snapshots.list': ({ repoId }) =>
        new Promise((resolve, reject) => pending.push({ repoId, resolve: (snapshots) => resolve({ snapshots }), reject })),
      'snapshots.browse': ({ path }) => ({ entries: path === '/' ? ROOT : [] }),
    };
    return { pending, handlers };
  }

  function mountTwoRepos(handlers: Handlers) {
    const client = fakeClient(handlers);
    const store = createAppStore({ systemLanguage: 'en' });
    store.getState().applyState(
      appState({ repos: [repo('nas'), repo('usb')], plans: [plan('home'), plan('elsewhere', { repoId: 'usb' })] }),
    );
    render(
      <AppProvider store={store} client={client}>
        <SnapshotsView />
      </AppProvider>,
    );
    return { client, store };
  }

  const rows = () => screen.queryAllByTestId(/^snapshot-row-/).map((r) => r.getAttribute('data-testid'));
  const pick = (repoId: string) => fireEvent.change(screen.getByTestId('snapshots-repo'), { target: { value: repoId } });

  it('switching clears the list and the open snapshot at once and shows loading', async () => {
    const { pending, handlers } = deferredLists();
    mountTwoRepos(handlers);
    await act(async () => pending[0]!.resolve([OLD_HOME, NEW_HOME]));
    fireEvent.click(await screen.findByRole('button', { name: 'Browse snapshot cccc3333' }));
    await screen.findByTestId('snapshot-tree');
    expect(screen.getByRole('button', { name: 'Restore' })).toBeTruthy();

    pick('usb');
    expect(rows()).toEqual([]);
    expect(screen.queryByTestId('snapshot-tree')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Restore' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Browse snapshot/ })).toBeNull();
    expect(screen.getByTestId('snapshots-loading').textContent).toBe('Loading the snapshots of usb…');
    await act(async () => pending[1]!.resolve([USB]));
    expect(rows()).toEqual(['snapshot-row-dddd4444']);
  });

  it.each([
    ['before', 'the new one'],
    ['after', 'the new one'],
  ])('an answer for the previous repository that arrives %s %s is dropped', async (when) => {
    const { pending, handlers } = deferredLists();
    mountTwoRepos(handlers);
    pick('usb'); // nas's answer is still on its way
    expect(pending.map((p) => p.repoId)).toEqual(['nas', 'usb']);
    if (when === 'before') {
      await act(async () => pending[0]!.resolve([OLD_HOME, NEW_HOME]));
      expect(rows()).toEqual([]);
      expect(screen.getByTestId('snapshots-loading')).toBeTruthy();
      await act(async () => pending[1]!.resolve([USB]));
    } else {
      await act(async () => pending[1]!.resolve([USB]));
      await act(async () => pending[0]!.resolve([OLD_HOME, NEW_HOME]));
    }
    expect(rows()).toEqual(['snapshot-row-dddd4444']);
    // And back: nas loads afresh, not from what usb showed.
    pick('nas');
    expect(rows()).toEqual([]);
    await act(async () => pending[2]!.resolve([NEW_HOME]));
    expect(rows()).toEqual(['snapshot-row-cccc3333']);
  });

  it.each([
    ['NETWORK', 'There is no restic repository at the location /srv/usb.', /^The repository usb could not be reached: its server or network is not answering\./, false],
    ['WRONG_PASSWORD', 'wrong password or no key found', /^The password for usb is wrong\./, true],
    ['REPOSITORY_LOCKED', 'repository is already locked by PID 4242', /^usb is locked by another restic process\./, true],
    ['RESTIC_FAILED', 'restic exited 1: boom', /^The snapshots of usb could not be read\./, true],
  ])('a failed list (%s) says so in words, offers nothing to open, and does not invite initialising', async (code, message, words, detailShown) => {
    const { pending, handlers } = deferredLists();
    mountTwoRepos(handlers);
    await act(async () => pending[0]!.resolve([OLD_HOME]));
    pick('usb');
    await act(async () => pending[1]!.reject(new RpcError(code, message)));
    const alert = screen.getByTestId('snapshots-error');
    expect(alert.dataset['code']).toBe(code);
    expect(alert.textContent).toMatch(words);
    expect(alert.textContent!.includes(message)).toBe(detailShown);
    expect(alert.textContent).not.toMatch(/init/i);
    expect(rows()).toEqual([]);
    expect(screen.queryByRole('button', { name: /^Browse snapshot/ })).toBeNull();
    expect(screen.queryByTestId('snapshots-loading')).toBeNull();
  });

  it('a refresh that fails hides the list it had shown (it may no longer be true)', async () => {
    const { pending, handlers } = deferredLists();
    mountTwoRepos(handlers);
    await act(async () => pending[0]!.resolve([OLD_HOME]));
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(rows()).toEqual(['snapshot-row-aaaa1111']); // kept while the same repository reloads
    await act(async () => pending[1]!.reject(new RpcError('NETWORK', 'unreachable')));
    expect(rows()).toEqual([]);
    expect(screen.getByTestId('snapshots-error')).toBeTruthy();
  });

  it('a snapshot that cannot be opened offers no compare, search or restore until it opens', async () => {
    let fail = true;
    mount({
      'snapshots.browse': ({ path }) => {
        if (fail) throw new RpcError('NETWORK', 'The repository nas cannot be reached.');
        return { entries: path === '/' ? ROOT : [] };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Browse snapshot cccc3333' }));
    const error = await screen.findByTestId('snapshot-browse-error');
    expect(error.textContent).toContain('This snapshot could not be opened. The repository nas could not be reached');
    expect(screen.queryByRole('button', { name: 'Restore' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Compare with previous snapshot' })).toBeNull();
    expect(screen.queryByRole('searchbox', { name: 'Find by name' })).toBeNull(); // the snapshot's own search (history's is always there)
    fail = false;
    fireEvent.click(within(error).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('snapshot-tree');
    expect(screen.getByRole('button', { name: 'Restore' })).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: 'Find by name' })).toBeTruthy();
  });
});

describe('the restore form follows its operation (item 15)', () => {
  const MiB = 1024 ** 2;
  const TARGET = '/home/me/restored/restore-cccc3333';
  function recorded(status: Operation['status'], patch: Partial<Operation> = {}): Operation {
    return {
      id: 31, kind: 'restore', trigger: 'manual', planId: 'home', repoId: 'nas', status, createdAt: '2026-11-25T10:00:00.000Z',
      startedAt: '2026-11-25T10:00:00.000Z', endedAt: '2026-11-25T10:00:09.000Z', snapshotId: null, error: null, progress: null,
      summary: null, stalledSince: null, stall: null, itemErrors: [], retryOf: null, ownerPid: null, ownerStartedAt: null,
      resticPid: null, params: { snapshotId: NEW_HOME.id, paths: [], target: TARGET, overwrite: false }, ...patch,
    };
  }

  async function startRestore(handlers: Handlers) {
    const mounted = mount({ 'restore.start': () => ({ opId: 31 }), ...handlers });
    await open('cccc3333');
    fireEvent.change(screen.getByLabelText('Restore into folder'), { target: { value: '/home/me/restored' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await screen.findByTestId('restore-outcome');
    return mounted;
  }
  const push = (store: ReturnType<typeof createAppStore>, version: number, running: ReturnType<typeof runningOp>[]) =>
    act(() => store.getState().applyState(appState({ version, plans: [plan('home'), plan('photos')], running })));

  it('waiting, then progress with Cancel, then "Restored N files (X MiB) to PATH"', async () => {
    let final: Operation = recorded('running');
    const { store } = await startRestore({ 'ops.get': () => final });
    const outcome = () => screen.getByTestId('restore-outcome');
    push(store, 2, [runningOp(31, { kind: 'restore', planId: 'home', status: 'queued' })]);
    expect(outcome().textContent).toContain('Waiting for its turn on the repository…');
    push(store, 3, [runningOp(31, { kind: 'restore', planId: 'home', progress: { percent: 0.5, bytesDone: 2 * MiB, totalBytes: 4 * MiB, filesDone: 6, totalFiles: 12 } })]);
    expect(outcome().textContent).toContain('Restoring…');
    expect(within(outcome()).getByTestId('op-progress-31').textContent).toContain('50%');
    expect(within(outcome()).getByTestId('op-progress-31').textContent).toContain('files 6 / 12');
    expect(within(outcome()).getByRole('button', { name: 'Cancel' })).toBeTruthy();
    final = recorded('success', { summary: { totalFiles: 12, filesRestored: 12, totalBytes: 4 * MiB, bytesRestored: 4 * MiB } });
    push(store, 4, []);
    await waitFor(() => expect(outcome().dataset['status']).toBe('success'));
    expect(within(outcome()).getByRole('status').textContent).toContain(`Restored 12 files (4 MiB) to ${TARGET}`);
    expect(within(outcome()).queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it.each<[string, Partial<Operation> & { status: Operation['status'] }, string, 'status' | 'alert']>([
    ['restic 0.14 (no numbers)', { status: 'success', summary: {} }, `Restored to ${TARGET}`, 'status'],
    ['some files failed', { status: 'warning', itemErrors: [{ path: '/home/me/a', during: null, message: 'permission denied' }] }, `Restored to ${TARGET}, but 1 items could not be restored`, 'status'],
    ['an error', { status: 'error', error: { code: 'NETWORK', message: 'The repository nas cannot be reached.' } }, 'The restore failed: The repository nas cannot be reached.', 'alert'],
    ['cancelled', { status: 'cancelled' }, `The restore was cancelled. What was already written to ${TARGET} stays there.`, 'status'],
  ])('ends with the outcome in words: %s', async (_name, patch, words, role) => {
    const { store } = await startRestore({ 'ops.get': () => recorded(patch.status, patch) });
    push(store, 2, [runningOp(31, { kind: 'restore', planId: 'home' })]);
    push(store, 3, []);
    const outcome = within(screen.getByTestId('restore-outcome'));
    await waitFor(() => expect(outcome.getByRole(role).textContent).toContain(words));
  });

  it('a restore that starts and ends between two states is still followed to its end', async () => {
    let reads = 0;
    await startRestore({
      'ops.get': () => {
        reads++;
        return reads === 1 ? recorded('running') : recorded('success', { summary: { filesRestored: 2, bytesRestored: 10 } });
      },
    });
    await waitFor(() => expect(screen.getByTestId('restore-outcome').dataset['status']).toBe('success'), { timeout: 5000 });
    expect(screen.getByTestId('restore-outcome').textContent).toContain(`Restored 2 files (10 B) to ${TARGET}`);
  });
});

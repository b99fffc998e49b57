// Issue 13 in the Snapshots view: sizes, forget one snapshot, compare any two, names in natural order, and the
// restore choices (original location, overwrite by restic version, a single item straight into a folder).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { AppProvider, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import { SnapshotsView } from './SnapshotsView.js';
import { SnapshotCompare } from './SnapshotCompare.js';

afterEach(cleanup);

function snap(id: string, time: string, patch: Partial<SnapshotInfo> = {}): SnapshotInfo {
  return { id: `${id}0000000000`, shortId: id, time, paths: ['/home/me'], tags: ['backstay:plan=home'], planId: 'home', hostname: 'box', ...patch };
}
const OLD = snap('aaaa1111', '2026-11-20T10:00:00Z');
const MID = snap('bbbb2222', '2026-11-22T10:00:00Z', { summary: { totalBytesProcessed: 5 * 1024 * 1024 } });
const NEW = snap('cccc3333', '2026-11-24T10:00:00Z');

const file = (name: string, type: 'file' | 'dir' = 'file') => ({ name, type, path: `/home/me/${name}`, size: 1, mtime: null });

function mount(handlers: Handlers = {}, resticVersion = 'restic 0.14.0 compiled with go1.19.8 on linux/amd64') {
  const client = fakeClient({
    'snapshots.list': () => ({ snapshots: [OLD, MID, NEW] }),
    'snapshots.size': ({ snapshotId }) =>
      snapshotId === MID.id ? { bytes: 5 * 1024 * 1024, files: 3, source: 'summary' } : { bytes: 2048, files: 1, source: 'stats' },
    'snapshots.browse': ({ path }) =>
      path === '/' ? { entries: [file('home', 'dir')] } : { entries: [file('IMG_10.jpg'), file('IMG_2.jpg'), file('b', 'dir'), file('A10', 'dir'), file('A9', 'dir')] },
    ...handlers,
  });
  const store = createAppStore({ systemLanguage: 'en' });
  const state = appState({ plans: [plan('home')] });
  store.getState().applyState({ ...state, restic: { ...state.restic, version: resticVersion } });
  render(
    <AppProvider store={store} client={client}>
      <SnapshotsView />
    </AppProvider>,
  );
  return client;
}
const callsOf = (client: ReturnType<typeof fakeClient>, method: string) => client.calls.filter((c) => c.method === method);

async function openHome(shortId = 'cccc3333') {
  fireEvent.click(await screen.findByRole('button', { name: `Browse snapshot ${shortId}` }));
  fireEvent.click(await screen.findByRole('button', { name: 'Open home' }));
  await screen.findByRole('checkbox', { name: 'Select IMG_2.jpg' });
}

describe('snapshot list care', () => {
  it("shows each snapshot's size, from its summary or measured by the host", async () => {
    mount();
    expect(await within(await screen.findByTestId('snapshot-size-bbbb2222')).findByText('5 MiB')).toBeTruthy();
    expect(await within(screen.getByTestId('snapshot-size-aaaa1111')).findByText('2 KiB')).toBeTruthy();
  });

  it('forgets one snapshot only after it was confirmed', async () => {
    const client = mount({ 'snapshots.forget': () => ({ opId: 9 }) });
    const row = within(await screen.findByTestId('snapshot-row-aaaa1111'));
    fireEvent.click(row.getByRole('button', { name: 'Forget snapshot aaaa1111' }));
    expect(callsOf(client, 'snapshots.forget')).toHaveLength(0);
    fireEvent.click(row.getByRole('button', { name: 'Keep it' }));
    fireEvent.click(row.getByRole('button', { name: 'Forget snapshot aaaa1111' }));
    expect(row.getByText(/Forget snapshot aaaa1111\?/)).toBeTruthy();
    fireEvent.click(row.getByRole('button', { name: 'Forget' }));
    expect(await row.findByText('Started operation #9.')).toBeTruthy();
    expect(callsOf(client, 'snapshots.forget').map((c) => c.params)).toEqual([{ repoId: 'nas', snapshotId: OLD.id }]);
  });

  it('defaults to the newest two of the list as it is now, also when the list was shorter when the panel appeared', async () => {
    const client = fakeClient({ 'snapshots.diff': () => ({ added: [], removed: [], changed: [], counts: { added: 0, removed: 0, changed: 0 }, truncated: false }) });
    const store = createAppStore({ systemLanguage: 'en' });
    store.getState().applyState(appState({ plans: [plan('home')] }));
    const panel = (snapshots: SnapshotInfo[]) => (
      <AppProvider store={store} client={client}>
        <SnapshotCompare repoId="nas" snapshots={snapshots} />
      </AppProvider>
    );
    const { rerender } = render(panel([MID]));
    rerender(panel([NEW, MID, OLD]));
    const compare = within(screen.getByTestId('snapshot-compare'));
    expect((compare.getByTestId('compare-first') as HTMLSelectElement).value).toBe(MID.id);
    expect((compare.getByTestId('compare-second') as HTMLSelectElement).value).toBe(NEW.id);
    fireEvent.click(compare.getByRole('button', { name: 'Compare' }));
    await waitFor(() => expect(callsOf(client, 'snapshots.diff').map((c) => c.params)).toEqual([{ repoId: 'nas', snapshotA: MID.id, snapshotB: NEW.id }]));
  });

  it('compares any two snapshots, the older one first whichever way they were picked', async () => {
    const client = mount({ 'snapshots.diff': () => ({ added: ['/home/me/new.txt'], removed: [], changed: [], counts: { added: 1, removed: 0, changed: 0 }, truncated: false }) });
    const compare = within(await screen.findByTestId('snapshot-compare'));
    fireEvent.change(compare.getByTestId('compare-first'), { target: { value: NEW.id } });
    fireEvent.change(compare.getByTestId('compare-second'), { target: { value: OLD.id } });
    fireEvent.click(compare.getByRole('button', { name: 'Compare' }));
    expect(await compare.findByText('From aaaa1111 to cccc3333')).toBeTruthy();
    expect(compare.getByText('/home/me/new.txt')).toBeTruthy();
    expect(callsOf(client, 'snapshots.diff').map((c) => c.params)).toEqual([{ repoId: 'nas', snapshotA: OLD.id, snapshotB: NEW.id }]);
    fireEvent.change(compare.getByTestId('compare-second'), { target: { value: NEW.id } });
    expect(compare.getByText('Choose two different snapshots.')).toBeTruthy();
    expect((compare.getByRole('button', { name: 'Compare' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('lists names in natural order, folders first', async () => {
    mount();
    await openHome();
    const names = within(screen.getByTestId('snapshot-tree'))
      .getAllByRole('listitem')
      .map((li) => li.querySelector('input')!.getAttribute('aria-label'));
    expect(names).toEqual(['Select A9', 'Select A10', 'Select b', 'Select IMG_2.jpg', 'Select IMG_10.jpg']);
  });
});

describe('restore choices', () => {
  it('restores one file straight into the chosen folder', async () => {
    const client = mount({ 'restore.start': () => ({ opId: 3 }) });
    await openHome();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select IMG_2.jpg' }));
    fireEvent.change(screen.getByLabelText('Restore into folder'), { target: { value: '/tmp/out' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /straight into this folder/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(callsOf(client, 'restore.start')).toHaveLength(1));
    expect(callsOf(client, 'restore.start')[0]!.params).toEqual({
      repoId: 'nas',
      snapshotId: NEW.id,
      target: '/tmp/out',
      overwrite: false,
      paths: ['/home/me/IMG_2.jpg'],
      flatten: true,
    });
  });

  it.each([
    ['restic 0.14.0 compiled with go1.19.8 on linux/amd64', false],
    ['restic 0.17.3 compiled with go1.23 on linux/amd64', true],
  ])('to the original location with %s: the choice restic has, or the plain fact', async (version, choice) => {
    const client = mount({ 'restore.start': () => ({ opId: 5 }) }, version);
    await openHome();
    fireEvent.click(screen.getByRole('radio', { name: 'Back to where the files came from' }));
    expect(screen.queryByLabelText('Restore into folder')).toBeNull();
    if (choice) {
      fireEvent.click(screen.getByRole('radio', { name: 'Keep it (restore only what is missing)' }));
      expect(screen.queryByTestId('restore-always-overwrites')).toBeNull();
    } else {
      expect(screen.getByTestId('restore-always-overwrites').textContent).toMatch(/always replaces files that exist/);
      expect(screen.queryByTestId('restore-overwrite-mode')).toBeNull();
    }
    fireEvent.click(screen.getByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(callsOf(client, 'restore.start')).toHaveLength(1));
    expect(callsOf(client, 'restore.start')[0]!.params).toEqual({
      repoId: 'nas',
      snapshotId: NEW.id,
      target: '/',
      overwrite: true,
      originalLocation: true,
      ...(choice ? { overwriteMode: 'never' } : {}),
    });
  });
});

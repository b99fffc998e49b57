import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Operation } from '../../../../main/common/index.js';
import { AppProvider, createAppStore, createOpsHeadRefresher, OPS_PAGE_SIZE, selectOpsChangeKey } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState, plan, runningOp } from '../../../test-support/fixtures.js';
import { OperationsView } from './OperationsView.js';

afterEach(cleanup);

// happy-dom lays nothing out; give the scroll box a real height so the virtualizer computes a real window.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
});

function op(id: number, patch: Partial<Operation> = {}): Operation {
  return {
    id, kind: 'backup', trigger: 'schedule', planId: 'home', repoId: 'nas', status: 'success',
    createdAt: '2026-11-25T10:00:00.000Z', startedAt: '2026-11-25T10:00:00.000Z', endedAt: '2026-11-25T10:04:00.000Z',
    snapshotId: null, error: null, progress: null, summary: { dataAdded: 1024 * id }, stalledSince: null, stall: null,
    itemErrors: [], retryOf: null, ownerPid: null, ownerStartedAt: null, resticPid: null, params: null, ...patch,
  };
}

/** An oplog of `total` operations served by ops.list the way the host pages it. */
function oplog(total: number) {
  return fakeClient({
    'ops.list': ({ beforeId, limit = 50, status }) => {
      const top = beforeId !== undefined ? beforeId - 1 : total;
      const ops: Operation[] = [];
      for (let id = top; id >= 1 && ops.length < limit; id--) if (!status || status === 'success') ops.push(op(id));
      return { ops };
    },
    'ops.get': ({ opId }) =>
      op(opId, {
        status: 'warning',
        itemErrors: [{ path: '/home/me/locked.db', during: 'read', message: 'permission denied' }],
        summary: { filesNew: 3, dataAdded: 2048 },
      }),
    'ops.log': ({ afterSeq }) => ({
      lines: afterSeq === undefined ? [{ opId: 1, seq: 1, time: '2026-11-25T10:00:00.000Z', stream: 'stdout', text: 'open repository' }] : [],
    }),
  });
}

function mount(total: number) {
  const client = oplog(total);
  const store = createAppStore({ systemLanguage: 'en' });
  store.getState().applyState(appState({ plans: [plan('home')] }));
  render(
    <AppProvider store={store} client={client}>
      <OperationsView />
    </AppProvider>,
  );
  return { client, store };
}

describe('operations', () => {
  it("names a plan's operation by its plan, a repository's own by its repository, said to be one", async () => {
    const client = fakeClient({ 'ops.list': () => ({ ops: [op(2, { kind: 'check', planId: null, summary: null }), op(1)] }) });
    const store = createAppStore({ systemLanguage: 'en' });
    store.getState().applyState(appState({ plans: [plan('home')] }));
    render(
      <AppProvider store={store} client={client}>
        <OperationsView />
      </AppProvider>,
    );
    const repoRow = await screen.findByTestId('op-row-2');
    expect(repoRow.children[1]!.textContent).toBe(' repository nas');
    expect(screen.getByTestId('op-row-1').children[1]!.textContent).toBe('home');
    expect(screen.getByText('For', { selector: '.ops-header span' })).toBeTruthy();
  });

  it('pages the oplog with beforeId as the list is read', async () => {
    const { client, store } = mount(1000);
    await waitFor(() => expect(store.getState().ops.items.length).toBe(OPS_PAGE_SIZE));
    expect(client.calls[0]).toEqual({ method: 'ops.list', params: { limit: OPS_PAGE_SIZE } });
    expect(screen.getByTestId('op-row-1000')).toBeTruthy();
    // Scroll near the end of what is loaded: the next page is asked for, before the last one loaded.
    const list = screen.getByTestId('ops-list');
    act(() => {
      list.scrollTop = (OPS_PAGE_SIZE - 20) * 36 - 600;
      fireEvent.scroll(list);
    });
    await waitFor(() => expect(store.getState().ops.items.length).toBe(2 * OPS_PAGE_SIZE));
    expect(client.calls.find((c) => (c.params as { beforeId?: number }).beforeId === 1000 - OPS_PAGE_SIZE + 1)).toBeTruthy();
  });

  it('keeps a few dozen rows in the DOM for 100,000 operations', () => {
    const { store } = mount(0);
    const items = Array.from({ length: 100_000 }, (_, i) => op(100_000 - i));
    act(() => store.getState().opsPageLoaded(store.getState().ops.generation, items, items.length + 1));
    const rows = screen.getAllByRole('option');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(300);
  });

  it('filters by status through ops.list and starts over', async () => {
    const { client, store } = mount(100);
    await waitFor(() => expect(store.getState().ops.items.length).toBe(100));
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'success' } });
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'ops.list', params: { status: 'success', limit: OPS_PAGE_SIZE } }));
  });

  it('shows an operation: timing, summary, failed files by path, and restic output', async () => {
    mount(5);
    fireEvent.click(await screen.findByTestId('op-row-5'));
    const detail = within(await screen.findByTestId('op-detail-5'));
    expect(detail.getByText('/home/me/locked.db')).toBeTruthy();
    expect(detail.getByText('permission denied')).toBeTruthy();
    expect(detail.getByText('2 KiB')).toBeTruthy();
    expect(detail.getByText('4 min')).toBeTruthy();
    expect((await detail.findByTestId('op-log')).textContent).toContain('open repository');
  });

  it('arrow keys move the selection', async () => {
    mount(5);
    await screen.findByTestId('op-row-5');
    const list = screen.getByTestId('ops-list');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(list.getAttribute('aria-activedescendant')).toBe('op-row-4');
    expect(screen.getByTestId('op-row-4').getAttribute('aria-selected')).toBe('true');
  });
});

describe('the list is live from the first operation (item 14)', () => {
  /** An oplog that grows as the test says, served by ops.list newest first. */
  function growingLog() {
    const log: Operation[] = [];
    const client = fakeClient({
      'ops.list': ({ beforeId, limit = 50 }) => ({
        ops: log.filter((o) => beforeId === undefined || o.id < beforeId).sort((a, b) => b.id - a.id).slice(0, limit),
      }),
      'ops.get': ({ opId }) => log.find((o) => o.id === opId)!,
      'ops.log': () => ({ lines: [] }),
    });
    return { log, client };
  }

  function mountLive(client: ReturnType<typeof fakeClient>) {
    const store = createAppStore({ systemLanguage: 'en' });
    store.getState().applyState(appState({ version: 1, plans: [plan('home')] }));
    const view = render(
      <AppProvider store={store} client={client}>
        <OperationsView />
      </AppProvider>,
    );
    return { store, view };
  }

  it('a fresh install: "No operations match.", then each operation appears and ends without a reload', async () => {
    const { log, client } = growingLog();
    const { store } = mountLive(client);
    expect(await screen.findByText('No operations match.')).toBeTruthy();

    log.push(op(1, { status: 'running', endedAt: null }));
    act(() => store.getState().applyState(appState({ version: 2, plans: [plan('home')], running: [runningOp(1, { planId: 'home' })] })));
    expect((await screen.findByTestId('op-row-status-1')).textContent).toBe('Running');

    log[0] = op(1, { status: 'success' });
    const ended = { opId: 1, kind: 'backup' as const, status: 'success' as const, startedAt: null, endedAt: null, dataAdded: 1, errorMessage: null };
    act(() => store.getState().applyState(appState({ version: 3, plans: [plan('home', { lastOp: ended })], running: [] })));
    await waitFor(() => expect(screen.getByTestId('op-row-status-1').textContent).toBe('Success'));

    // Three more that start and end between two states: the plan's last operation changes, so the list asks.
    log.push(op(2), op(3), op(4));
    act(() => store.getState().applyState(appState({ version: 4, plans: [plan('home', { lastOp: { ...ended, opId: 4 } })] })));
    await waitFor(() => expect(screen.getAllByTestId(/^op-row-\d+$/).map((r) => r.id)).toEqual(['op-row-4', 'op-row-3', 'op-row-2', 'op-row-1']));
  });

  it('operations that ran while the view was closed are there when it opens again', async () => {
    const { log, client } = growingLog();
    const { store, view } = mountLive(client);
    await screen.findByText('No operations match.');
    view.unmount();
    log.push(op(1), op(2));
    act(() => store.getState().applyState(appState({ version: 9, plans: [plan('home')] })));
    render(
      <AppProvider store={store} client={client}>
        <OperationsView />
      </AppProvider>,
    );
    expect(await screen.findByTestId('op-row-2')).toBeTruthy();
    expect(screen.getByTestId('op-row-1')).toBeTruthy();
  });

  it('progress snapshots do not cost requests; a burst of changes costs one in flight and one after it', async () => {
    let answer: () => void = () => {};
    let calls = 0;
    const client = fakeClient({
      'ops.list': () => {
        calls++;
        return new Promise((resolve) => (answer = () => resolve({ ops: [] })));
      },
    });
    const store = createAppStore();
    const refresher = createOpsHeadRefresher(client, store, { minIntervalMs: 0 });
    for (let i = 0; i < 20; i++) refresher.request();
    expect(calls).toBe(1);
    await act(async () => answer());
    await waitFor(() => expect(calls).toBe(2));
    await act(async () => answer());
    expect(calls).toBe(2);
    refresher.stop();

    // Progress alone (same statuses, new numbers) does not change the key the view follows.
    store.getState().applyState(appState({ version: 1, running: [runningOp(5, { progress: { bytesDone: 1 } })] }));
    const k1 = selectOpsChangeKey(store.getState());
    store.getState().applyState(appState({ version: 2, running: [runningOp(5, { progress: { bytesDone: 2 } })] }));
    expect(selectOpsChangeKey(store.getState())).toBe(k1);
    store.getState().applyState(appState({ version: 3, running: [runningOp(5, { status: 'cancelling' })] }));
    expect(selectOpsChangeKey(store.getState())).not.toBe(k1);
  });

  it('a head page that does not reach the cached operations replaces them instead of leaving a gap', () => {
    const store = createAppStore();
    const gen = store.getState().ops.generation;
    store.getState().opsPageLoaded(gen, [op(3), op(2), op(1)], 200);
    store.getState().opsHeadLoaded(gen, [op(60), op(59)], 2);
    expect(store.getState().ops.items.map((o) => o.id)).toEqual([60, 59]);
    expect(store.getState().ops.hasMore).toBe(true);
  });
});

describe('the detail of a live operation (item 19)', () => {
  const since = new Date(Date.now() - 90_000).toISOString();
  const stalled = runningOp(7, {
    planId: 'home',
    status: 'stalled',
    startedAt: new Date(Date.now() - 125_000).toISOString(),
    progress: { percent: 0.37, bytesDone: 418 * 1024 ** 3, totalBytes: 1.1 * 1024 ** 4, bytesPerSecond: 1024, etaSeconds: 5 },
    stalledSince: since,
    stall: { since, bytesDone: 418 * 1024 ** 3, filesDone: 9000, cpuSeconds: 12, cpuSecondsSinceProgress: 0.01 },
  });

  function mountDetail(running: ReturnType<typeof runningOp>[], recorded: Operation) {
    const client = fakeClient({
      'ops.list': () => ({ ops: [recorded] }),
      'ops.get': () => recorded,
      'ops.log': () => ({
        lines: [{ opId: 7, seq: 1, time: since, stream: 'backstay', text: `stalled: no progress since ${since} at 448824721408 bytes` }],
      }),
      'ops.cancel': () => ({ ok: true }),
      'ops.keepWaiting': () => ({ ok: true }),
    });
    const store = createAppStore({ systemLanguage: 'en' });
    store.getState().applyState(appState({ plans: [plan('home')], running }));
    store.getState().openOperation(7);
    render(
      <AppProvider store={store} client={client}>
        <OperationsView />
      </AppProvider>,
    );
    return { client, store };
  }

  it('shows progress, the stall in words, Cancel and Keep waiting, and a duration that runs', async () => {
    const { client } = mountDetail([stalled], op(7, { status: 'running', startedAt: stalled.startedAt, endedAt: null, summary: null }));
    const detail = within(await screen.findByTestId('op-detail-7'));
    // The state's status, not the stale "running" of the oplog row.
    expect(detail.getByTestId('op-detail-status-7').textContent).toBe('Stalled');
    expect(detail.getByTestId('op-progress-7').textContent).toContain('37%');
    expect(detail.getByTestId('op-progress-7').textContent).toContain('418 GiB of 1.1 TiB');
    expect(detail.getByTestId('op-progress-7').textContent).not.toContain('ETA');
    expect(detail.getByTestId('op-stall-7').textContent).toMatch(/^No progress since \d\d:\d\d at 418 GiB of 1.1 TiB; restic idle$/);
    expect(detail.getByTestId('op-detail-duration-7').textContent).toBe('2 min');
    fireEvent.click(detail.getByRole('button', { name: 'Keep waiting' }));
    await waitFor(() => expect(detail.getByRole('button', { name: 'Cancel' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(detail.getByRole('button', { name: 'Cancel' }));
    expect(detail.getByRole('button', { name: 'Cancelling…' }).hasAttribute('disabled')).toBe(true);
    await waitFor(() => expect(client.calls.filter((c) => c.method === 'ops.cancel').map((c) => c.params)).toEqual([{ opId: 7 }]));
    // Backstay's own note in the log reads in local time and binary units, not an ISO time and a byte count.
    const log = (await detail.findByTestId('op-log')).textContent!;
    expect(log).toMatch(/^stalled: no progress since \d\d:\d\d at 418 GiB\n$/);
  });

  it('a finished operation that had stalled says so in words, with its real duration', async () => {
    mountDetail([], op(7, { status: 'cancelled', stalledSince: since, stall: stalled.stall }));
    const detail = within(await screen.findByTestId('op-detail-7'));
    expect(detail.getByTestId('op-detail-duration-7').textContent).toBe('4 min');
    expect(detail.getByText(/^It stalled during the run: No progress since \d\d:\d\d at 418 GiB; restic idle$/)).toBeTruthy();
    expect(detail.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(detail.queryByTestId('op-progress-7')).toBeNull();
  });
});

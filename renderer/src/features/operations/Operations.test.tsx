import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Operation } from '../../../../main/common/index.js';
import { AppProvider, createAppStore, OPS_PAGE_SIZE } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
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
  store.getState().applySnapshot(appState({ plans: [plan('home')] }));
  render(
    <AppProvider store={store} client={client}>
      <OperationsView />
    </AppProvider>,
  );
  return { client, store };
}

describe('operations', () => {
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

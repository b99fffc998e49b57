// A backup restarted by "Slow down" / "Full speed" says which one it continues (issue 16).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { Operation } from '../../../../main/common/index.js';
import { AppProvider, createAppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import { OperationsView } from './OperationsView.js';

afterEach(cleanup);

const op = (id: number, params: Operation['params']): Operation => ({
  id, kind: 'backup', trigger: 'schedule', planId: 'home', repoId: 'nas', status: 'success',
  createdAt: '2026-11-25T10:00:00.000Z', startedAt: '2026-11-25T10:00:00.000Z', endedAt: '2026-11-25T10:04:00.000Z',
  snapshotId: 'abcd1234', error: null, progress: null, summary: { dataAdded: 1024 }, stalledSince: null, stall: null,
  itemErrors: [], retryOf: null, ownerPid: null, ownerStartedAt: null, resticPid: null, params,
});

function mount(recorded: Operation) {
  const client = fakeClient({ 'ops.list': () => ({ ops: [recorded] }), 'ops.get': () => recorded, 'ops.log': () => ({ lines: [] }) });
  const store = createAppStore({ systemLanguage: 'en' });
  store.getState().applyState(appState({ plans: [plan('home')] }));
  store.getState().openOperation(recorded.id);
  render(
    <AppProvider store={store} client={client}>
      <OperationsView />
    </AppProvider>,
  );
}

describe('a restarted backup', () => {
  it('names the backup it continues', async () => {
    mount(op(9, { restartOf: 8 }));
    const detail = within(await screen.findByTestId('op-detail-9'));
    expect(detail.getByTestId('op-detail-restart-9').textContent).toBe('Continues backup #8, which was stopped to change the bandwidth limit.');
  });
  it('an ordinary backup says nothing of the kind', async () => {
    mount(op(9, null));
    await screen.findByTestId('op-detail-9');
    expect(screen.queryByTestId('op-detail-restart-9')).toBeNull();
  });
});

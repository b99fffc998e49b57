import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { RpcError } from '../../client/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState, plan, runningOp } from '../../../test-support/fixtures.js';
import { ErrorBoundary } from '../../components/ErrorBoundary.js';

afterEach(cleanup);

const GiB = 1024 ** 3;
const stalledSince = new Date();
stalledSince.setHours(14, 3, 0, 0);

function scene() {
  return appState({
    plans: [
      plan('home', { nextRunAt: null }),
      plan('photos', { repoId: 'usb' }),
      plan('work', {
        repoId: 's3',
        lastOp: { opId: 3, kind: 'backup', status: 'success', startedAt: null, endedAt: new Date(Date.now() - 2 * 3600_000).toISOString(), dataAdded: 312 * 1024 ** 2, errorMessage: null },
      }),
    ],
    // The host's one overall status (derived by main/core/state/overall-status.ts): the header shows it.
    status: { level: 'stalled', reasons: [{ kind: 'stalled', planId: 'photos', opId: 42 }] },
    running: [
      runningOp(41, {
        planId: 'home',
        progress: { percent: 0.42, bytesDone: 18.3 * GiB, totalBytes: 43.9 * GiB, filesDone: 12034, totalFiles: 30112, etaSeconds: 360, bytesPerSecond: 91 * 1024 ** 2, currentFiles: ['/home/me/Videos/2025-trip.mov'] },
      }),
      runningOp(42, {
        planId: 'photos',
        repoId: 'usb',
        status: 'stalled',
        progress: { percent: 0.37, bytesDone: 418 * GiB, totalBytes: 1.1 * 1024 * GiB },
        stalledSince: stalledSince.toISOString(),
        stall: { since: stalledSince.toISOString(), bytesDone: 418 * GiB, filesDone: 9000, cpuSeconds: 120, cpuSecondsSinceProgress: 0.02 },
      }),
    ],
  });
}

function mount(handlers: Handlers = {}, state = scene()) {
  const client = fakeClient(handlers);
  const store = createAppStore({ systemLanguage: 'en-US' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => {
    client.status('connected');
    client.push(state);
  });
  return { client, store };
}

describe('dashboard', () => {
  it('shows every plan as one row with its status word', () => {
    mount();
    for (const id of ['home', 'photos', 'work']) expect(screen.getByTestId(`plan-row-${id}`)).toBeTruthy();
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Running');
    expect(screen.getByTestId('plan-status-photos').textContent).toBe('Stalled');
    expect(screen.getByTestId('plan-status-work').textContent).toBe('Success');
    expect(screen.getByTestId('plan-status-work').dataset['status']).toBe('success');
  });

  it('a running backup shows percent, bytes of total, files, rate, ETA and the current file, with Cancel', () => {
    mount();
    const live = screen.getByTestId('op-progress-41');
    expect(live.textContent).toContain('42%');
    expect(live.textContent).toContain('18.3 GiB of 43.9 GiB');
    expect(live.textContent).toContain('files 12,034 / 30,112');
    expect(live.textContent).toContain('91 MiB/s');
    expect(live.textContent).toContain('ETA 6 min');
    expect(live.textContent).toContain('now: /home/me/Videos/2025-trip.mov');
    const row = within(screen.getByTestId('plan-row-home'));
    expect(row.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(row.queryByRole('button', { name: 'Back up now' })).toBeNull();
  });

  it('a stalled backup explains itself and offers Cancel and Keep waiting', async () => {
    const { client } = mount({ 'ops.keepWaiting': () => ({ ok: true }), 'ops.cancel': () => ({ ok: true }) });
    const row = within(screen.getByTestId('plan-row-photos'));
    expect(row.getByText('No progress since 14:03 at 418 GiB of 1.1 TiB; restic idle')).toBeTruthy();
    fireEvent.click(row.getByRole('button', { name: 'Keep waiting' }));
    await waitFor(() => expect(row.getByRole('button', { name: 'Cancel' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(row.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(client.calls.map((c) => c.method)).toEqual(['ops.keepWaiting', 'ops.cancel']));
    expect(client.calls.map((c) => c.params)).toEqual([{ opId: 42 }, { opId: 42 }]);
  });

  it('an idle plan shows its last result and starts a backup with "Back up now"', async () => {
    const { client } = mount({ 'plans.backup': () => ({ opId: 50 }) });
    const row = within(screen.getByTestId('plan-row-work'));
    expect(row.getByText('2 h ago')).toBeTruthy();
    expect(row.getByText('+312 MiB')).toBeTruthy();
    expect(row.getByText('2 h ago').getAttribute('title')).toBeTruthy();
    fireEvent.click(row.getByRole('button', { name: 'Back up now' }));
    await waitFor(() => expect(client.calls).toEqual([{ method: 'plans.backup', params: { planId: 'work', trigger: 'manual' } }]));
  });

  it('a failed action is said in words next to its button', async () => {
    mount({ 'plans.backup': () => Promise.reject(new RpcError('ALREADY_RUNNING', 'A backup of work is already running.')) });
    const row = within(screen.getByTestId('plan-row-work'));
    fireEvent.click(row.getByRole('button', { name: 'Back up now' }));
    // The window's words for the code come first (the error-words helper's part); the host's own words are there.
    expect((await row.findByRole('alert')).textContent).toContain('A backup of work is already running.');
  });

  it('a new snapshot replaces the rows (a finished backup turns back into "Back up now")', () => {
    const { client } = mount();
    act(() => client.push(appState({ version: 2, plans: [plan('home', { lastOp: { opId: 41, kind: 'backup', status: 'warning', startedAt: null, endedAt: new Date().toISOString(), dataAdded: 1, errorMessage: '3 files could not be read.' } })] })));
    expect(screen.queryByTestId('plan-row-work')).toBeNull();
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Warning');
    expect(screen.getByText('3 files could not be read.')).toBeTruthy();
    expect(screen.queryByTestId('op-progress-41')).toBeNull();
    expect(within(screen.getByTestId('plan-row-home')).getByRole('button', { name: 'Back up now' })).toBeTruthy();
  });

  it('with no repository it teaches: "Add a repository", and offers the guided first run', () => {
    mount({}, appState({ repos: [] }));
    expect(screen.getAllByText('Add a repository').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Set up your first backup' }));
  });

  it('a lost connection shows the banner; the header shows the stalled state', () => {
    const { client } = mount();
    expect(screen.queryByTestId('connection-banner')).toBeNull();
    expect(screen.getByTestId('overall-status').dataset['status']).toBe('stalled');
    act(() => client.status('reconnecting'));
    expect(screen.getByTestId('connection-banner').textContent).toBe('Connection to Backstay lost, reconnecting…');
    act(() => client.status('unauthorized'));
    expect(screen.getByTestId('connection-banner').textContent).toContain('backstay serve');
  });

  it('pauses schedules from the header', async () => {
    const { client } = mount({ 'schedule.pause': () => ({ ok: true }) });
    fireEvent.click(screen.getByRole('button', { name: /Pause schedules/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Until I resume' }));
    await waitFor(() => expect(client.calls).toEqual([{ method: 'schedule.pause', params: { until: null } }]));
  });
});

describe('ErrorBoundary', () => {
  it('shows what failed instead of a blank window', () => {
    const Boom = () => {
      throw new Error('plans is undefined');
    };
    const spy = console.error;
    console.error = () => {};
    try {
      render(
        <ErrorBoundary title="This view could not be shown." retryLabel="Try again">
          <Boom />
        </ErrorBoundary>,
      );
    } finally {
      console.error = spy;
    }
    expect(screen.getByRole('alert').textContent).toContain('plans is undefined');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

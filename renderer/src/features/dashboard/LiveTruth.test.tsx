// Issue 10, items 10 and 11 (display): what the window says about a live operation comes from the engine's state
// only. A cancel is "Cancelling…" with its stage in words and no Cancel button wherever the operation appears; a
// backup that does not move says "waiting for the backend (12 s)" and shows no rate or ETA; a Cancel click goes
// disabled at once until the state confirms it.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { CancelStage, Operation, RunningOp } from '../../../../main/common/index.js';
import { App } from '../../App.js';
import { RpcError } from '../../client/index.js';
import { translate } from '../../i18n/index.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState, plan, runningOp } from '../../../test-support/fixtures.js';
import { liveDisplay } from './describe.js';

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

// happy-dom lays nothing out; give the operations list a height so its virtualizer renders rows.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
});

const MiB = 1024 ** 2;
const MOVING = { percent: 0.5, bytesDone: 100 * MiB, totalBytes: 200 * MiB, filesDone: 3, totalFiles: 6, bytesPerSecond: 8 * MiB, etaSeconds: 12 };
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const stall = (since: string) => ({ since, bytesDone: 100 * MiB, filesDone: 3, cpuSeconds: 1, cpuSecondsSinceProgress: 0 });

function cancelling(opId: number, stage: CancelStage, patch: Partial<RunningOp> = {}): RunningOp {
  return runningOp(opId, { planId: 'home', status: 'cancelling', progress: MOVING, cancel: { requestedAt: ago(4), stage }, ...patch });
}

function mount(handlers: Handlers = {}, running: RunningOp[] = []) {
  const client = fakeClient(handlers);
  const store = createAppStore({ systemLanguage: 'en-US' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  const push = (r: RunningOp[], version = 2, patch = {}) =>
    act(() => client.push(appState({ version, plans: [plan('home')], running: r, ...patch })));
  act(() => client.status('connected'));
  push(running, 1);
  return { client, store, push };
}

const row = () => within(screen.getByTestId('plan-row-home'));

describe('liveDisplay: the phase, the buttons and whether a rate/ETA may show, from the state alone', () => {
  const now = Date.parse('2026-11-25T10:00:30.000Z');
  it.each<[string, Partial<RunningOp>, boolean, ReturnType<typeof liveDisplay>['phase'], ReturnType<typeof liveDisplay>['actions'], boolean]>([
    ['queued', { status: 'queued' }, false, 'queued', 'cancel', false],
    ['running and moving', { status: 'running' }, false, 'running', 'cancel', true],
    ['running, no progress for 3 s', { status: 'running', waitingSince: '2026-11-25T10:00:18.000Z' }, false, 'waiting', 'cancel', false],
    ['stalled', { status: 'stalled' }, false, 'stalled', 'cancel-or-wait', false],
    ['stalled, Cancel clicked, not confirmed yet', { status: 'stalled' }, true, 'stalled', 'cancel-pending', false],
    ['running, Cancel clicked, not confirmed yet', { status: 'running' }, true, 'running', 'cancel-pending', true],
    ['cancelling (asked restic)', { status: 'cancelling', cancel: { requestedAt: '2026-11-25T10:00:26.000Z', stage: 'interrupt' } }, true, 'cancelling', 'none', false],
    ['cancelling (forcing)', { status: 'cancelling', cancel: { requestedAt: '2026-11-25T10:00:26.000Z', stage: 'terminate' } }, false, 'cancelling', 'none', false],
    ['cancelling with waitingSince left over', { status: 'cancelling', waitingSince: '2026-11-25T10:00:18.000Z', cancel: { requestedAt: '2026-11-25T10:00:26.000Z', stage: 'kill' } }, false, 'cancelling', 'none', false],
  ])('%s', (_name, patch, requested, phase, actions, rateAndEta) => {
    const d = liveDisplay(runningOp(1, { progress: MOVING, ...patch }), requested, now);
    expect(d.phase).toBe(phase);
    expect(d.actions).toBe(actions);
    expect(d.showRateAndEta).toBe(rateAndEta);
    if (phase === 'waiting') expect(d.waitingSeconds).toBe(12);
    if (phase === 'cancelling') expect(d.cancel?.seconds).toBe(4);
  });
});

describe('cancelling is a state of its own (item 10)', () => {
  it.each<[CancelStage, string]>([
    ['interrupt', 'asking restic to stop'],
    ['terminate', 'forcing it to stop'],
    ['kill', 'forcing it to stop'],
  ])('stage %s: "Cancelling…" with the stage in words, no Cancel or Keep waiting, no rate or ETA', (stage, words) => {
    mount({}, [cancelling(41, stage, { stalledSince: ago(20), stall: stall(ago(20)) })]);
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Cancelling…');
    expect(screen.getByTestId('plan-status-home').dataset['status']).toBe('cancelling');
    const stageLine = screen.getByTestId('op-cancel-41');
    expect(stageLine.textContent).toBe(`Cancelling… ${words} (4 s)`);
    const live = screen.getByTestId('op-progress-41').textContent!;
    expect(live).toContain('100 MiB of 200 MiB');
    expect(live).not.toContain('MiB/s');
    expect(live).not.toContain('ETA');
    for (const name of ['Cancel', 'Keep waiting', 'Cancelling…', 'Back up now']) expect(row().queryByRole('button', { name })).toBeNull();
  });

  it('has the words in Chinese too', () => {
    expect(translate('zh-CN', 'status.cancelling')).toBe('正在取消…');
    expect(translate('zh-CN', 'dashboard.cancel.interrupt', { seconds: 4 })).toBe('正在取消…正在请 restic 停止（4 秒）');
    expect(translate('zh-CN', 'dashboard.waiting', { seconds: 12 })).toBe('正在等待存储后端（12 秒）');
  });

  it('the Cancel click goes to "Cancelling…" (disabled) at once, and stays so until the state confirms and the operation ends', async () => {
    let answer: (v: { ok: true }) => void = () => {};
    const { client, push } = mount(
      { 'ops.cancel': () => new Promise((resolve) => (answer = resolve)) },
      [runningOp(41, { planId: 'home', status: 'stalled', progress: MOVING, stalledSince: ago(20), stall: stall(ago(20)) })],
    );
    fireEvent.click(row().getByRole('button', { name: 'Cancel' }));
    // Before the host even answered: one disabled button, nothing else to click.
    const pending = row().getByRole('button', { name: 'Cancelling…' });
    expect(pending.hasAttribute('disabled')).toBe(true);
    expect(row().queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(row().queryByRole('button', { name: 'Keep waiting' })).toBeNull();
    // The status word is still the engine's until it says otherwise.
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Stalled');
    await act(async () => answer({ ok: true }));
    // A snapshot from before the engine saw the cancel (still stalled): the click is not forgotten.
    push([runningOp(41, { planId: 'home', status: 'stalled', progress: MOVING, stalledSince: ago(20), stall: stall(ago(20)) })], 3);
    expect(row().getByRole('button', { name: 'Cancelling…' }).hasAttribute('disabled')).toBe(true);
    push([cancelling(41, 'interrupt')], 4);
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Cancelling…');
    expect(row().queryAllByRole('button')).toHaveLength(0);
    push([cancelling(41, 'terminate')], 5);
    expect(screen.getByTestId('op-cancel-41').textContent).toContain('forcing it to stop');
    push([], 6, { plans: [plan('home', { lastOp: { opId: 41, kind: 'backup', status: 'cancelled', startedAt: null, endedAt: new Date().toISOString(), dataAdded: null, errorMessage: null } })] });
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Cancelled');
    expect(row().getByRole('button', { name: 'Back up now' })).toBeTruthy();
    expect(client.calls.filter((c) => c.method === 'ops.cancel')).toHaveLength(1);
  });

  it('a refused cancel gives the button back and says why', async () => {
    mount(
      { 'ops.cancel': () => Promise.reject(new RpcError('UNKNOWN_OPERATION', 'Operation 41 is not running.')) },
      [runningOp(41, { planId: 'home', progress: MOVING })],
    );
    fireEvent.click(row().getByRole('button', { name: 'Cancel' }));
    expect((await row().findByRole('alert')).textContent).toContain('Operation 41 is not running.');
    expect(row().getByRole('button', { name: 'Cancel' }).hasAttribute('disabled')).toBe(false);
  });

  it('everywhere the operation appears: the plan row, the other-operations card, the Plans view, the Operations list and detail', async () => {
    const check = cancelling(77, 'interrupt', { planId: null, kind: 'check' });
    const backup = cancelling(41, 'terminate');
    const recorded = (id: number, kind: Operation['kind']): Operation => ({
      id, kind, trigger: 'manual', planId: id === 41 ? 'home' : null, repoId: 'nas', status: 'running', createdAt: ago(60), startedAt: ago(59),
      endedAt: null, snapshotId: null, error: null, progress: null, summary: null, stalledSince: null, stall: null, itemErrors: [],
      retryOf: null, ownerPid: null, ownerStartedAt: null, resticPid: null, params: null,
    });
    const { store } = mount(
      {
        // The oplog page may still say "running": the list follows the state for live operations.
        'ops.list': () => ({ ops: [recorded(77, 'check'), recorded(41, 'backup')] }),
        'ops.get': ({ opId }) => recorded(opId, opId === 77 ? 'check' : 'backup'),
        'ops.log': () => ({ lines: [] }),
      },
      [backup, check],
    );
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Cancelling…');
    const card = screen.getByTestId('op-progress-77').closest('li')!;
    expect(card.textContent).toContain('Cancelling… asking restic to stop');
    expect(within(card).queryAllByRole('button')).toHaveLength(0);

    act(() => store.getState().setView('plans'));
    await waitFor(() => expect(screen.getAllByText('Cancelling…').length).toBeGreaterThan(0));

    act(() => store.getState().openOperation(41));
    const listStatus = await screen.findByTestId('op-row-status-41');
    expect(listStatus.textContent).toBe('Cancelling…');
    expect(screen.getByTestId('op-row-status-77').textContent).toBe('Cancelling…');
    const detail = within(await screen.findByTestId('op-detail-41'));
    expect(detail.getByTestId('op-detail-status-41').textContent).toBe('Cancelling…');
    expect(detail.getByTestId('op-cancel-41').textContent).toContain('forcing it to stop');
    expect(detail.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(detail.queryByRole('button', { name: 'Keep waiting' })).toBeNull();
  });
});

describe('no rate or ETA from numbers that stopped (item 11)', () => {
  it('while waitingSince is set: "waiting for the backend (12 s)", counting, and no rate or ETA even if sent', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    mount({}, [runningOp(41, { planId: 'home', progress: MOVING, waitingSince: ago(12) })]);
    const live = screen.getByTestId('op-progress-41');
    expect(live.dataset['phase']).toBe('waiting');
    expect(screen.getByTestId('op-waiting-41').textContent).toBe('waiting for the backend (12 s)');
    expect(live.textContent).not.toContain('MiB/s');
    expect(live.textContent).not.toContain('ETA');
    // The badge keeps the engine's word (running) but never with an ETA beside it.
    expect(screen.getByTestId('plan-status-home').textContent).toBe('Running');
    act(() => void vi.advanceTimersByTime(3000));
    expect(screen.getByTestId('op-waiting-41').textContent).toBe('waiting for the backend (15 s)');
    expect(row().getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });

  it('moving again: the rate and ETA come back only when the state carries them', () => {
    const { push } = mount({}, [runningOp(41, { planId: 'home', progress: MOVING, waitingSince: ago(5) })]);
    const { bytesPerSecond: _rate, etaSeconds: _eta, ...withoutRate } = MOVING;
    push([runningOp(41, { planId: 'home', progress: withoutRate })], 2);
    let text = screen.getByTestId('op-progress-41').textContent!;
    expect(screen.queryByTestId('op-waiting-41')).toBeNull();
    expect(text).not.toContain('/s');
    expect(text).not.toContain('ETA');
    push([runningOp(41, { planId: 'home', progress: MOVING })], 3);
    text = screen.getByTestId('op-progress-41').textContent!;
    expect(text).toContain('8 MiB/s');
    expect(text).toContain('ETA 12 s');
  });
});

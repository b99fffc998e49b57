// Addresses in the window (issue 13, "Navigation"), with the App as the page builds it and a fake host: the
// sidebar and the address follow each other, a notification opens the exact operation, a plan's page and its form
// have addresses, and leaving a form with unsaved changes asks first.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Operation } from '../../../main/common/index.js';
import { App } from '../App.js';
import { connectStore, createAppStore } from '../store/index.js';
import { fakeClient, type Handlers } from '../../test-support/fake-client.js';
import { appState, plan } from '../../test-support/fixtures.js';
import { createMemoryRouter, routeOfTarget, type Route } from './index.js';

afterEach(cleanup);

const settings = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 };
const op = (id: number): Operation => ({
  id, kind: 'backup', trigger: 'schedule', planId: 'home', repoId: 'nas', status: 'success',
  createdAt: '2026-11-25T10:00:00.000Z', startedAt: '2026-11-25T10:00:00.000Z', endedAt: '2026-11-25T10:04:00.000Z',
  snapshotId: null, error: null, progress: null, summary: {}, stalledSince: null, stall: null,
  itemErrors: [], retryOf: null, ownerPid: null, ownerStartedAt: null, resticPid: null, params: null,
});

function mount(initial: Route = { view: 'dashboard' }, handlers: Handlers = {}, leave = true) {
  const client = fakeClient({
    'config.get': () => ({ repos: [], plans: [], settings }),
    'ops.list': () => ({ ops: [op(42), op(41)] }),
    'ops.get': ({ opId }) => op(opId),
    'ops.log': () => ({ lines: [] }),
    'config.saveRepo': () => ({ ok: true }),
    ...handlers,
  });
  const store = createAppStore({ systemLanguage: 'en' });
  const asked: number[] = [];
  const router = createMemoryRouter(initial, () => {
    asked.push(1);
    return leave;
  });
  connectStore(client, store, null, (target) => router.navigate(routeOfTarget(target)));
  render(<App store={store} client={client} router={router} />);
  act(() => client.push(appState({ plans: [plan('home'), plan('work')] })));
  return { client, router, store, asked };
}

const nav = () => within(screen.getByRole('navigation'));
const current = () => nav().getByRole('button', { current: 'page' }).getAttribute('data-view');

describe('navigation', () => {
  it('the sidebar changes the address, and an address shows its section', async () => {
    const { router } = mount();
    fireEvent.click(nav().getByRole('button', { name: 'Settings' }));
    expect(router.current()).toEqual({ view: 'settings' });
    act(() => void router.navigate({ view: 'repos' }));
    expect(current()).toBe('repos');
    expect(await screen.findByRole('heading', { name: 'Repositories', level: 2 })).toBeTruthy();
  });

  it('opens at the address it was given (a reload keeps the place): the operation selected', async () => {
    mount({ view: 'operations', opId: 42 });
    expect(current()).toBe('operations');
    await waitFor(() => expect(screen.getByTestId('op-detail-42')).toBeTruthy());
  });

  it('a notification or tray click opens the exact operation, or the plan', async () => {
    const { client, router } = mount();
    act(() => client.navigate({ opId: 41, planId: 'home' }));
    expect(router.current()).toEqual({ view: 'operations', opId: 41 });
    expect(current()).toBe('operations');
    act(() => client.navigate({ planId: 'work' }));
    expect(router.current()).toEqual({ view: 'plans', planId: 'work' });
    expect(await screen.findByRole('heading', { name: 'work', level: 3 })).toBeTruthy();
  });

  it('a plan, its form and a new plan have addresses', async () => {
    const { router } = mount({ view: 'plans' });
    fireEvent.click(await screen.findByRole('button', { name: /^work/ }));
    expect(router.current()).toEqual({ view: 'plans', planId: 'work' });
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect(router.current()).toEqual({ view: 'plans', planId: 'work', edit: true });
    act(() => void router.navigate({ view: 'plans', create: true }));
    expect(await screen.findByRole('heading', { name: 'New plan', level: 3 })).toBeTruthy();
  });

  it('leaving a form with unsaved changes asks; staying keeps the form and the section', async () => {
    const { router, asked } = mount({ view: 'repos', create: true }, {}, false);
    fireEvent.change(await screen.findByLabelText('Location'), { target: { value: '/media/usb' } });
    fireEvent.click(nav().getByRole('button', { name: 'Dashboard' }));
    expect(asked).toHaveLength(1);
    expect(router.current()).toEqual({ view: 'repos', create: true });
    expect(current()).toBe('repos');
    expect(screen.getByLabelText('Location')).toBeTruthy();
  });

  it('the settings form asks too, until it is saved', async () => {
    const { router, asked } = mount({ view: 'settings' }, { 'config.saveSettings': () => ({ ok: true }) }, false);
    fireEvent.change(await screen.findByLabelText(/stalled after/), { target: { value: '120' } });
    fireEvent.click(nav().getByRole('button', { name: 'Dashboard' }));
    expect(asked).toHaveLength(1);
    expect(router.current()).toEqual({ view: 'settings' });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    fireEvent.click(nav().getByRole('button', { name: 'Dashboard' }));
    expect(router.current()).toEqual({ view: 'dashboard' });
    expect(asked).toHaveLength(1);
  });

  it('an untouched form, a saved one and a discarded one leave without asking', async () => {
    const { router, asked } = mount({ view: 'repos', create: true }, {}, false);
    fireEvent.click(await screen.findByRole('button', { name: 'Discard' }));
    expect(router.current()).toEqual({ view: 'repos' });
    act(() => void router.navigate({ view: 'repos', create: true }));
    fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'usb' } });
    fireEvent.change(screen.getByLabelText('Location'), { target: { value: '/media/usb' } });
    fireEvent.change(screen.getByLabelText('Password file'), { target: { value: '/home/me/.pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(router.current()).toEqual({ view: 'repos' }));
    fireEvent.click(nav().getByRole('button', { name: 'Dashboard' }));
    expect(router.current()).toEqual({ view: 'dashboard' });
    expect(asked).toHaveLength(0);
  });
});

// Typing a repository's password in the window (issue 13): in `serve` the form offers "type it here"; the
// password goes to repos.setPassword after the save and nowhere else (not config.saveRepo, not the store).
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { RepoInput } from '../../../../main/common/rpc.js';
import { App } from '../../App.js';
import { RpcError } from '../../client/index.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';

afterEach(cleanup);

const settings = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 };
const SECRET = 'correct horse battery staple';
const nas: RepoInput = { id: 'nas', uri: '/srv/nas', password: { file: '/data/secrets/nas' }, env: {} };

function mount(handlers: Handlers = {}) {
  const client = fakeClient({
    'config.get': () => ({ repos: [nas], plans: [], settings }),
    'config.saveRepo': () => ({ ok: true }),
    'repos.setPassword': ({ repoId }) => ({ ok: true, password: { file: `/data/secrets/${repoId}` } }),
    ...handlers,
  });
  const store = createAppStore({ systemLanguage: 'en' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => client.push(appState()));
  fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Repositories' }));
  return { client, store };
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('a typed repository password', () => {
  it('is saved with repos.setPassword after the repository, and travels nowhere else', async () => {
    const { client, store } = mount();
    fireEvent.click(await screen.findByRole('button', { name: 'Add a repository' }));
    fireEvent.change(field('Name'), { target: { value: 'usb' } });
    fireEvent.change(field('Location'), { target: { value: '/media/usb/restic' } });
    fireEvent.click(screen.getByLabelText('type it here'));
    expect(field('Password').type).toBe('password');
    fireEvent.change(field('Password'), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'repos.testConnection', params: { repoId: 'usb' } }));
    // The password is stored before the new repository is looked at (the look would fail without it).
    expect(client.calls.map((c) => c.method).filter((m) => m.startsWith('config.save') || m.startsWith('repos.'))).toEqual(['config.saveRepo', 'repos.setPassword', 'repos.testConnection']);
    expect(client.calls.find((c) => c.method === 'repos.setPassword')!.params).toEqual({ repoId: 'usb', password: SECRET });
    const save = client.calls.find((c) => c.method === 'config.saveRepo')!;
    expect(save.params).toEqual({ create: true, repo: { id: 'usb', uri: '/media/usb/restic', password: { keychain: true }, env: {} } });
    expect(JSON.stringify(client.calls.filter((c) => c.method !== 'repos.setPassword'))).not.toContain(SECRET);
    expect(JSON.stringify(store.getState())).not.toContain(SECRET);
  });

  it('editing: left empty, the stored password stays; typed, it replaces it', async () => {
    const { client } = mount();
    const card = within(await screen.findByTestId('repo-row-nas'));
    fireEvent.click(card.getByRole('button', { name: 'Edit' }));
    fireEvent.click(await screen.findByLabelText('type it here'));
    expect(screen.getByText(/Leave it empty to keep the password stored now/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.at(-1)?.method).toBe('config.saveRepo'));
    expect((client.calls.at(-1)!.params as { repo: RepoInput }).repo.password).toEqual({ file: '/data/secrets/nas' });
    expect(client.calls.some((c) => c.method === 'repos.setPassword')).toBe(false);
  });

  it('a password the host could not store is said, with the repository saved', async () => {
    mount({ 'repos.setPassword': () => Promise.reject(new RpcError('STORAGE_FAILED', 'disk full')) });
    fireEvent.click(await screen.findByRole('button', { name: 'Add a repository' }));
    fireEvent.change(field('Name'), { target: { value: 'usb' } });
    fireEvent.change(field('Location'), { target: { value: '/media/usb/restic' } });
    fireEvent.click(screen.getByLabelText('type it here'));
    fireEvent.change(field('Password'), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The repository was saved, but its password was not: disk full');
  });
});

// The keychain password in the repository form: typed in the desktop window, handed to the host after the
// repository is saved, and never kept in the store.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { RepoInput } from '../../../../main/common/rpc.js';
import { App } from '../../App.js';
import { RpcError } from '../../client/index.js';
import { fieldIssuesFromZod, invalidParams } from '../../../../main/core/rpc/field-issues.js';
import { repoSaveIssues } from '../../../../main/core/config/validate-on-save.js';
import { saveRepo } from '../../../../main/core/rpc/schemas.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';

afterEach(cleanup);

const settings = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 };
const SECRET = 'correct horse battery staple';
const vault: RepoInput = { id: 'vault', uri: 'sftp:me@nas:/vault', password: { keychain: true }, env: {} };

function mount(handlers: Handlers, options: { desktop?: boolean } = {}) {
  const client = fakeClient(
    { 'config.get': () => ({ repos: [vault], plans: [], settings }), 'config.saveRepo': () => ({ ok: true }), ...handlers },
    options,
  );
  const store = createAppStore({ systemLanguage: 'en' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() =>
    client.push(
      appState({
        repos: [{ id: 'vault', uri: vault.uri, passwordKind: 'keychain', envKeys: [], health: 'ok', lastError: null }],
      }),
    ),
  );
  fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Repositories' }));
  return { client, store };
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

async function fillNewKeychainRepo() {
  fireEvent.click((await screen.findAllByRole('button', { name: 'Add a repository' }))[0]!);
  fireEvent.change(field('Name'), { target: { value: 'usb' } });
  fireEvent.change(field('Location'), { target: { value: '/media/usb/restic' } });
  fireEvent.click(screen.getByLabelText('the system keychain'));
}

describe('repository form with the keychain', () => {
  it('saves the repository, then hands the typed password to the keychain, and keeps it out of the store', async () => {
    const { client, store } = mount({ 'keychain.setPassword': () => ({ ok: true }) }, { desktop: true });
    await fillNewKeychainRepo();
    const password = field('Repository password');
    expect(password.type).toBe('password');
    expect(password.required).toBe(true); // a new repository cannot back up without one
    fireEvent.change(password, { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(client.calls.map((c) => c.method)).toContain('keychain.setPassword'));
    const reads = ['config.get', 'ops.list', 'repos.testConnection'];
    const writes = client.calls.filter((c) => !reads.includes(c.method)); // reads are not writes
    expect(writes).toEqual([
      { method: 'config.saveRepo', params: { create: true, repo: { id: 'usb', uri: '/media/usb/restic', password: { keychain: true }, env: {} } } },
      { method: 'keychain.setPassword', params: { repoId: 'usb', password: SECRET } },
    ]);
    // Then, with its password stored, it looks whether a repository is there, so that its card can say so.
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'repos.testConnection', params: { repoId: 'usb' } }));
    // The form closed, and the password is nowhere in the app's state nor in the page.
    await waitFor(() => expect(screen.queryByLabelText('Repository password')).toBeNull());
    expect(JSON.stringify(store.getState(), (_k, v: unknown) => (typeof v === 'function' ? undefined : v))).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('keeps the form open and says the repository was saved when the keychain refuses', async () => {
    const { client } = mount(
      {
        'keychain.setPassword': () => {
          throw new RpcError('KEYCHAIN_UNAVAILABLE', 'The system keychain is locked.');
        },
      },
      { desktop: true },
    );
    await fillNewKeychainRepo();
    fireEvent.change(field('Repository password'), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The repository was saved, but the keychain did not take the password: The system keychain is locked.');
    expect(alert.textContent).not.toContain(SECRET);
    expect(field('Repository password').value).toBe(SECRET); // still there to retry
    expect(client.calls.filter((c) => c.method === 'config.saveRepo')).toHaveLength(1);
  });

  it('editing a repository whose password is stored: the field is optional and an empty one leaves the keychain alone', async () => {
    const { client } = mount({ 'keychain.has': () => ({ stored: true }) }, { desktop: true });
    const card = within(await screen.findByTestId('repo-row-vault'));
    fireEvent.click(card.getByRole('button', { name: 'Edit' }));
    await screen.findByText('A password is stored in the keychain. Type a new one only to replace it.');
    expect(field('Repository password').required).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.map((c) => c.method)).toContain('config.saveRepo'));
    expect(client.calls.find((c) => c.method === 'keychain.has')?.params).toEqual({ repoId: 'vault' });
    expect(client.calls.map((c) => c.method)).not.toContain('keychain.setPassword');
  });

  it('in a browser there is no password field: only the desktop app can reach the keychain', async () => {
    const { client } = mount({});
    const card = within(await screen.findByTestId('repo-row-vault'));
    fireEvent.click(card.getByRole('button', { name: 'Edit' }));
    await screen.findByText('The desktop app keeps the password in the system keychain.');
    expect(screen.queryByLabelText('Repository password')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.map((c) => c.method)).toContain('config.saveRepo'));
    expect(client.calls.map((c) => c.method).filter((m) => m.startsWith('keychain.'))).toEqual([]);
  });
});

/** The host's answer to a save, made by the real schema and the real checks (against this machine's files). */
async function realSaveRepo(params: { repo: RepoInput }) {
  const parsed = saveRepo.safeParse(params);
  const issues = [...(parsed.success ? [] : fieldIssuesFromZod(parsed.error.issues, params)), ...(await repoSaveIssues(params, {}))];
  if (issues.length > 0) {
    const e = invalidParams('config.saveRepo', issues);
    throw new RpcError(e.code, e.message, e.issues);
  }
  return { ok: true as const };
}

describe("repository form: the host's problems on their fields", () => {
  it('a relative location and a missing password file are marked on their fields at once, and each clears when edited', async () => {
    const { store } = mount({ 'config.saveRepo': realSaveRepo });
    fireEvent.click((await screen.findAllByRole('button', { name: 'Add a repository' }))[0]!);
    fireEvent.change(field('Name'), { target: { value: 'usb' } });
    fireEvent.change(field('Location'), { target: { value: './repo' } });
    fireEvent.change(field('Password file'), { target: { value: '/nonexistent/backstay-test-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Not saved: correct the marked fields.');
    const location = field('Location');
    const passwordFile = field('Password file');
    expect(location.getAttribute('aria-invalid')).toBe('true');
    expect(passwordFile.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('field-error-uri').textContent).toBe('The location must be an absolute path, such as /home/me/Photos.');
    expect(screen.getByTestId('field-error-password').textContent).toBe('The password file does not exist.');
    // The error is what the input is described by, for a screen reader.
    expect(location.getAttribute('aria-describedby')).toContain(screen.getByTestId('field-error-uri').id);

    act(() => store.getState().setLanguage('zh-CN'));
    expect(screen.getByTestId('field-error-uri').textContent).toBe('位置必须是绝对路径，例如 /home/me/Photos。');
    act(() => store.getState().setLanguage('en'));

    fireEvent.change(location, { target: { value: '/media/usb/restic' } });
    expect(screen.queryByTestId('field-error-uri')).toBeNull();
    expect(location.getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByTestId('field-error-password')).toBeTruthy();
  });

  it('a name with spaces becomes an id, shown before Save; one with nothing usable says what is allowed', async () => {
    const { client } = mount({ 'config.saveRepo': () => ({ ok: true }) });
    fireEvent.click((await screen.findAllByRole('button', { name: 'Add a repository' }))[0]!);
    fireEvent.change(field('Name'), { target: { value: '照片' } });
    expect(field('Name').value).toBe('');
    expect(screen.getByTestId('id-note').textContent).toBe('“照片” cannot be used: a name uses a-z, 0-9, _ and -, starting with a letter or digit.');
    fireEvent.change(field('Name'), { target: { value: 'My Photos' } });
    expect(field('Name').value).toBe('my-photos');
    expect(screen.getByTestId('id-note').textContent).toBe('Names use a-z, 0-9, _ and -: “My Photos” is saved as “my-photos”.');
    fireEvent.change(field('Location'), { target: { value: '/media/usb/restic' } });
    fireEvent.change(field('Password file'), { target: { value: '/etc/hostname' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.find((c) => c.method === 'config.saveRepo')?.params).toMatchObject({ repo: { id: 'my-photos' } }));
  });
});

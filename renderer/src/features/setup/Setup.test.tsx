// The guided first run, driven as a person would through the window (with a fake host): from the dashboard's
// empty state to a first backup, the typed password only ever in repos.setPassword; the folder browser; a wrong
// password said plainly and the retry replacing (not re-creating) the repository.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App.js';
import { RpcError } from '../../client/index.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { createMemoryRouter } from '../../router/index.js';
import { fakeClient, type Handlers } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';

afterEach(cleanup);

const SECRET = 'correct horse battery staple';

function mount(handlers: Handlers = {}, options: { desktop?: boolean } = {}) {
  const client = fakeClient(
    {
      'fs.listDirs': ({ path }) =>
        path === '/home/me/Photos'
          ? { path, parent: '/home/me', dirs: [] }
          : { path: '/home/me', parent: '/home', dirs: [{ name: 'Photos', path: '/home/me/Photos' }] },
      'config.saveRepo': () => ({ ok: true }),
      'repos.setPassword': ({ repoId }) => ({ ok: true, password: { file: `/data/secrets/${repoId}` } }),
      'repos.testConnection': () => ({ ok: true, initialized: false }),
      'repos.init': () => ({ ok: true }),
      'config.savePlan': () => ({ ok: true }),
      'plans.backup': () => ({ opId: 5 }),
      ...handlers,
    },
    options,
  );
  const store = createAppStore({ systemLanguage: 'en' });
  const router = createMemoryRouter();
  connectStore(client, store);
  render(<App store={store} client={client} router={router} />);
  act(() => client.push(appState({ repos: [] })));
  return { client, router };
}

const field = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;

async function toRepoStep(folder = '/home/me/Documents') {
  fireEvent.click(screen.getByRole('button', { name: 'Set up your first backup' }));
  fireEvent.change(await screen.findByLabelText('Folder'), { target: { value: folder } });
  fireEvent.click(screen.getByRole('button', { name: 'Next' }));
  await screen.findByRole('heading', { name: 'Where to keep the backups' });
}

describe('guided first run', () => {
  it('from the empty dashboard to a first backup; the password goes only to repos.setPassword', async () => {
    const { client, router } = mount();
    await toRepoStep();
    expect(router.current()).toEqual({ view: 'setup' });
    fireEvent.change(screen.getByTestId('setup-field-path'), { target: { value: '/media/usb/backups' } });
    fireEvent.change(screen.getByTestId('setup-password'), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByRole('heading', { name: 'When to back up' });
    fireEvent.click(screen.getByRole('button', { name: 'Start the first backup' }));
    await waitFor(() => expect(router.current()).toEqual({ view: 'dashboard' }));
    expect(client.calls.map((c) => c.method)).toEqual([
      'fs.listDirs',
      'config.saveRepo',
      'repos.setPassword',
      'repos.testConnection',
      'repos.init',
      'config.savePlan',
      'plans.backup',
    ]);
    expect(client.calls[1]!.params).toEqual({ create: true, repo: { id: 'local', uri: '/media/usb/backups', password: { keychain: true }, env: {} } });
    expect(client.calls[2]!.params).toEqual({ repoId: 'local', password: SECRET });
    expect(client.calls[5]!.params).toEqual({
      create: true,
      plan: { id: 'documents', repo: 'local', paths: ['/home/me/Documents'], schedule: { cron: '0 21 * * *' }, retention: { keepHourly: 24, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 } },
    });
    const others = client.calls.filter((c) => c.method !== 'repos.setPassword');
    expect(JSON.stringify(others)).not.toContain(SECRET);
  });

  it('picks folders in the folder browser (folders only, from the home folder)', async () => {
    const { client } = mount();
    fireEvent.click(screen.getByRole('button', { name: 'Set up your first backup' }));
    const browser = within(await screen.findByTestId('folder-browser'));
    fireEvent.click(await browser.findByRole('button', { name: 'Photos' }));
    await waitFor(() => expect(screen.getByTestId('folder-browser-path').textContent).toContain('Photos'));
    expect(client.calls.at(-1)).toEqual({ method: 'fs.listDirs', params: { path: '/home/me/Photos' } });
    expect(await browser.findByText('There are no folders in here.')).toBeTruthy();
    fireEvent.click(browser.getByRole('button', { name: 'Back up this folder' }));
    expect(within(screen.getByTestId('chosen-folders')).getByText(/Photos/)).toBeTruthy();
    fireEvent.click(browser.getByRole('button', { name: 'Up one folder' }));
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'fs.listDirs', params: { path: '/home/me' } }));
  });

  it('the folder browser says why a folder cannot be opened', async () => {
    mount({ 'fs.listDirs': () => Promise.reject(new RpcError('FOLDER_UNREADABLE', 'Backstay may not open the folder "/root".')) });
    fireEvent.click(screen.getByRole('button', { name: 'Set up your first backup' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Backstay may not open this folder (permissions).');
  });

  it('a relative folder is refused on its field', async () => {
    mount();
    fireEvent.click(screen.getByRole('button', { name: 'Set up your first backup' }));
    fireEvent.change(await screen.findByLabelText('Folder'), { target: { value: 'Documents' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(screen.getByText('Type the whole path, starting with /.')).toBeTruthy();
    expect(field('Folder').getAttribute('aria-invalid')).toBe('true');
  });

  it('a wrong password is said plainly; the retry replaces the repository saved by the first try', async () => {
    let tries = 0;
    const { client } = mount({
      'repos.testConnection': () => {
        tries += 1;
        if (tries === 1) return Promise.reject(new RpcError('WRONG_PASSWORD', 'wrong password'));
        return { ok: true, initialized: true };
      },
    });
    await toRepoStep();
    fireEvent.change(screen.getByTestId('setup-field-path'), { target: { value: '/media/usb/backups' } });
    fireEvent.change(screen.getByTestId('setup-password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The repository password is wrong.');
    fireEvent.change(screen.getByTestId('setup-password'), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByRole('heading', { name: 'When to back up' });
    const saves = client.calls.filter((c) => c.method === 'config.saveRepo').map((c) => (c.params as { create?: boolean }).create);
    expect(saves).toEqual([true, undefined]);
    expect(client.calls.some((c) => c.method === 'repos.init')).toBe(false);
  });

  it('a folder that holds other files is refused, and one new folder inside it is offered and used', async () => {
    const { client } = mount({
      'repos.init': ({ repoId }) =>
        (client.calls.filter((c) => c.method === 'repos.init').length === 1
          ? Promise.reject(new RpcError('LOCATION_NOT_EMPTY', `The folder of repository "${repoId}" already holds other files (2, such as "notes.txt").`))
          : { ok: true }) as never,
    });
    await toRepoStep();
    fireEvent.change(screen.getByTestId('setup-field-path'), { target: { value: '/media/usb/' } });
    fireEvent.change(screen.getByTestId('setup-password'), { target: { value: SECRET } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toContain('This folder already holds other files. A repository needs a folder of its own');
    fireEvent.click(screen.getByRole('button', { name: 'Use a new folder inside it: /media/usb/backstay' }));
    expect(field('Folder').value).toBe('/media/usb/backstay');
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByRole('heading', { name: 'When to back up' });
    const saved = client.calls.filter((c) => c.method === 'config.saveRepo').map((c) => (c.params as { repo: { uri: string } }).repo.uri);
    expect(saved).toEqual(['/media/usb/', '/media/usb/backstay']);
  });

  it('each kind of storage asks for its own fields and variables; secret ones are password fields', async () => {
    mount();
    await toRepoStep();
    fireEvent.change(screen.getByTestId('setup-kind'), { target: { value: 's3' } });
    expect(screen.getByTestId('setup-field-bucket')).toBeTruthy();
    expect(field('AWS_SECRET_ACCESS_KEY').type).toBe('password');
    expect(field('AWS_ACCESS_KEY_ID').type).toBe('text');
    expect((screen.getByRole('button', { name: 'Connect' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('the desktop app offers its native folder dialog', async () => {
    const { client } = mount({ 'dialog.chooseFolders': () => ({ paths: ['/home/me/Music', '/home/me/Videos'] }) }, { desktop: true });
    fireEvent.click(screen.getByRole('button', { name: 'Set up your first backup' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Choose folders…' }));
    const chosen = within(await screen.findByTestId('chosen-folders'));
    expect(chosen.getByText(/Music/)).toBeTruthy();
    expect(chosen.getByText(/Videos/)).toBeTruthy();
    expect(client.calls.some((c) => c.method === 'dialog.chooseFolders')).toBe(true);
  });

  it('a repository set up already can be used as it is', async () => {
    const store = createAppStore({ systemLanguage: 'en' });
    const router = createMemoryRouter({ view: 'setup' });
    const client = fakeClient({
      'fs.listDirs': () => ({ path: '/home/me', parent: '/home', dirs: [] }),
      'config.savePlan': () => ({ ok: true }),
      'plans.backup': () => ({ opId: 9 }),
    });
    connectStore(client, store);
    render(<App store={store} client={client} router={router} />);
    act(() => client.push(appState()));
    fireEvent.change(await screen.findByLabelText('Folder'), { target: { value: '/srv/www' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    const existing = within(await screen.findByRole('list', { name: 'Use a repository that is set up already:' }));
    fireEvent.click(existing.getByRole('button', { name: 'nas' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Start the first backup' }));
    await waitFor(() => expect(router.current()).toEqual({ view: 'dashboard' }));
    expect(client.calls.map((c) => c.method)).toEqual(['fs.listDirs', 'config.savePlan', 'plans.backup']);
    expect((client.calls[1]!.params as { plan: { repo: string; id: string } }).plan).toMatchObject({ repo: 'nas', id: 'www' });
  });

  it('leaving half-way asks first', async () => {
    const store = createAppStore({ systemLanguage: 'en' });
    const asked: number[] = [];
    const router = createMemoryRouter({ view: 'setup' }, () => {
      asked.push(1);
      return false;
    });
    const client = fakeClient({ 'fs.listDirs': () => ({ path: '/home/me', parent: '/home', dirs: [] }) });
    connectStore(client, store);
    render(<App store={store} client={client} router={router} />);
    act(() => client.push(appState({ repos: [] })));
    fireEvent.change(await screen.findByLabelText('Folder'), { target: { value: '/home/me/Documents' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Settings' }));
    expect(asked).toHaveLength(1);
    expect(router.current()).toEqual({ view: 'setup' });
    expect(screen.getByTestId('setup-view')).toBeTruthy();
  });
});

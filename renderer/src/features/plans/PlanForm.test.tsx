// The plan form against the host's real validation (schema + save checks, through the real dispatcher): every
// problem is on its field at once, counted from 1 ("Folder 2"), in the window's language, and each goes away
// when its field is edited; a name typed with spaces becomes the id shown before Save.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { RpcParams } from '../../../../main/common/index.js';
import { FieldIssuesError } from '../../../../main/common/index.js';
import { createDispatcher } from '../../../../main/core/rpc/method-table.js';
import { savePlan } from '../../../../main/core/rpc/schemas.js';
import { planSaveIssues } from '../../../../main/core/config/validate-on-save.js';
import { App } from '../../App.js';
import { RpcError } from '../../client/index.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState } from '../../../test-support/fixtures.js';

afterEach(cleanup);

/** config.savePlan as the host answers it: the real schema and checks; a refusal becomes the RpcError the transports make. */
const host = createDispatcher({
  'config.savePlan': { params: savePlan, moreIssues: (p) => planSaveIssues(p, ['nas']), handler: () => ({ ok: true as const }) },
});
async function realSavePlan(params: RpcParams<'config.savePlan'>) {
  try {
    return (await host.call('config.savePlan', params, { host: 'serve' })) as { ok: true };
  } catch (e) {
    if (e instanceof FieldIssuesError) throw new RpcError(e.code, e.message, e.issues);
    throw e;
  }
}

async function mount() {
  const client = fakeClient({
    'config.savePlan': realSavePlan,
    'schedule.preview': () => ({ runs: [] }),
    'ops.list': () => ({ ops: [] }),
  });
  const store = createAppStore({ systemLanguage: 'en' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => client.push(appState()));
  fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Plans' }));
  fireEvent.click(await screen.findByRole('button', { name: 'New plan' }));
  await screen.findByRole('form', { name: 'New plan' });
  return { client, store };
}

const input = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;
const errorOf = (field: string) => screen.queryByTestId(`field-error-${field}`)?.textContent ?? null;

describe('plan form errors', () => {
  it('shows every problem on its field at once, counted from 1, in English and Chinese, and clears each when edited', async () => {
    const { client, store } = await mount();
    fireEvent.change(input('Name'), { target: { value: 'pics' } });
    fireEvent.change(input(/Folders and files/), { target: { value: '/home/me/Pictures\nPhotos/2024\n~/Camera' } });
    fireEvent.click(screen.getByLabelText('Cron expression'));
    fireEvent.change(input(/^Cron \(/), { target: { value: '61 * * * *' } });
    fireEvent.change(input('Within (e.g. 30d)'), { target: { value: '30 days' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Not saved: correct the marked fields.');
    expect(screen.getByTestId('field-error-paths').querySelectorAll('span')).toHaveLength(2);
    expect(errorOf('paths')).toBe(
      'Folder 2 must be an absolute path, such as /home/me/Photos.' +
        'Folder 3 starts with ~, which is not expanded: write the home folder out in full, such as /home/me.',
    );
    expect(errorOf('cron')).toBe('The cron expression is not a valid schedule: use 5 fields (minute hour day month weekday), such as 0 * * * *.');
    expect(errorOf('keepWithin')).toBe('The duration must be a duration such as 30d, 6m or 1y2m (y years, m months, d days, h hours).');
    for (const label of [/Folders and files/, /^Cron \(/, 'Within (e.g. 30d)']) expect(input(label).getAttribute('aria-invalid'), String(label)).toBe('true');
    // No internals: no JSON paths, no method names, no zero-based indices.
    const form = screen.getByRole('form', { name: 'New plan' }).textContent!;
    for (const internal of ['Invalid params', 'config.savePlan', 'plan.paths', 'paths.1']) expect(form).not.toContain(internal);

    act(() => store.getState().setLanguage('zh-CN'));
    expect(screen.getByRole('alert').textContent).toBe('未保存：请更正标出的字段。');
    expect(errorOf('paths')).toContain('第 2 个文件夹必须是绝对路径');
    expect(errorOf('cron')).toBe('Cron 表达式不是有效的计划：请使用 5 个字段（分 时 日 月 星期），例如 0 * * * *。');
    act(() => store.getState().setLanguage('en'));

    // Fixing the folders takes their errors away at once; the cron's stays until the cron is edited.
    fireEvent.change(input(/Folders and files/), { target: { value: '/home/me/Pictures\n/home/me/Photos/2024' } });
    expect(errorOf('paths')).toBeNull();
    expect(input(/Folders and files/).getAttribute('aria-invalid')).toBeNull();
    expect(errorOf('cron')).not.toBeNull();
    fireEvent.change(input(/^Cron \(/), { target: { value: '0 3 * * *' } });
    expect(errorOf('cron')).toBeNull();
    expect(errorOf('keepWithin')).not.toBeNull();
    fireEvent.change(input('Within (e.g. 30d)'), { target: { value: '30d' } });

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'New plan' })).toBeNull());
    expect(client.calls.filter((c) => c.method === 'config.savePlan').at(-1)?.params).toMatchObject({
      plan: { id: 'pics', paths: ['/home/me/Pictures', '/home/me/Photos/2024'], schedule: { cron: '0 3 * * *' }, retention: { keepWithin: '30d' } },
    });
  });

  it('a name typed with spaces and capitals is saved as the id shown under it', async () => {
    const { client } = await mount();
    fireEvent.change(input('Name'), { target: { value: 'My Photos' } });
    expect(input('Name').value).toBe('my-photos');
    expect(screen.getByTestId('id-note').textContent).toBe('Names use a-z, 0-9, _ and -: “My Photos” is saved as “my-photos”.');
    fireEvent.change(input(/Folders and files/), { target: { value: '/home/me/Photos' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'config.savePlan')).toBe(true));
    expect(client.calls.find((c) => c.method === 'config.savePlan')?.params).toMatchObject({ plan: { id: 'my-photos' } });
  });
});

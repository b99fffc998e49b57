// Issue 13, repository care in the window: prune previewed then done, check with a read-data subset, maintenance
// schedules in the repository form, a plan's hooks, and the operation settings.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Operation } from '../../../../../main/common/index.js';
import type { PlanInput, RepoInput } from '../../../../../main/common/rpc.js';
import { AppProvider, createAppStore } from '../../../store/index.js';
import { fakeClient, type Handlers } from '../../../../test-support/fake-client.js';
import { appState } from '../../../../test-support/fixtures.js';
import { ReposView } from '../ReposView.js';
import { PlanHooks } from './PlanHooks.js';
import { OperationSettings } from './OperationSettings.js';
import { PlanExtras } from './PlanExtras.js';
import { planSchema, repoSchema } from '../../../../../main/core/config/schema.js';
import type { RpcParams } from '../../../../../main/common/index.js';
import { FieldIssuesError } from '../../../../../main/common/index.js';
import { createDispatcher } from '../../../../../main/core/rpc/method-table.js';
import { savePlan, saveRepo } from '../../../../../main/core/rpc/schemas.js';
import { planSaveIssues } from '../../../../../main/core/config/validate-on-save.js';
import { RpcError } from '../../../client/index.js';

afterEach(cleanup);

const settings = { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4, retryAttempts: 3, maxParallelOperations: 2, hooks: [] };
const rules = [{ days: ['mon' as const], from: '09:00', to: '17:00', uploadKiBs: 50 }];
const nas: RepoInput = {
  id: 'nas', uri: 'rest:http://127.0.0.1:8000/', password: { file: '/p' }, env: {}, flags: ['-o', 'rest.connections=2'], limits: { uploadKiBs: 100, rules },
};
const home: PlanInput = { id: 'home', repo: 'nas', paths: ['/home/me'], excludes: [], schedule: null, retention: null, mirrors: [] };

function op(id: number, patch: Partial<Operation>): Operation {
  return {
    id, kind: 'prune', trigger: 'manual', planId: null, repoId: 'nas', status: 'success', createdAt: '2026-11-25T10:00:00Z', startedAt: null,
    endedAt: null, snapshotId: null, error: null, progress: null, summary: null, params: null, itemErrors: [], resticPid: null, ...patch,
  } as Operation;
}

function mount(ui: React.ReactNode, handlers: Handlers = {}) {
  const client = fakeClient({
    'config.get': () => ({ repos: [nas], plans: [home], settings }),
    'ops.list': () => ({ ops: [] }),
    ...handlers,
  });
  const store = createAppStore({ systemLanguage: 'en' });
  store.getState().applyState(appState());
  render(
    <AppProvider store={store} client={client}>
      {ui}
    </AppProvider>,
  );
  return client;
}
const callsOf = (client: ReturnType<typeof fakeClient>, method: string) => client.calls.filter((c) => c.method === method);

describe('prune', () => {
  it("previews with restic's figures, then prunes only after it was confirmed", async () => {
    const figures = [
      { label: 'to delete', value: '3 blobs / 840 B' },
      { label: 'total prune', value: '4 blobs / 98.520 KiB' },
    ];
    let next = 20;
    const client = mount(<ReposView />, {
      'repos.prune': () => ({ opId: next++ }),
      'ops.get': ({ opId }) => op(opId, { summary: opId === 20 ? { dryRun: true, figures } : { dryRun: false, figures } }),
    });
    const card = within(await screen.findByTestId('repo-row-nas'));
    fireEvent.click(card.getByRole('button', { name: 'Prune…' }));
    expect(card.queryByRole('button', { name: 'Prune now' })).toBeNull(); // no prune before a preview
    fireEvent.click(card.getByRole('button', { name: 'Preview' }));
    const preview = within(await card.findByTestId('prune-preview'));
    expect(preview.getByText('to delete')).toBeTruthy();
    expect(preview.getByText('4 blobs / 98.520 KiB')).toBeTruthy();
    expect(preview.getByText(/Nothing was removed/)).toBeTruthy();
    fireEvent.click(card.getByRole('button', { name: 'Prune now' }));
    expect(callsOf(client, 'repos.prune')).toHaveLength(1);
    fireEvent.click(card.getByRole('button', { name: 'Prune' }));
    expect(await card.findByText('Pruned.')).toBeTruthy();
    expect(callsOf(client, 'repos.prune').map((c) => c.params)).toEqual([{ repoId: 'nas', dryRun: true }, { repoId: 'nas' }]);
  });
});

describe('check', () => {
  it('checks the structure only, or also a subset of the data', async () => {
    const client = mount(<ReposView />, { 'repos.check': () => ({ opId: 7 }) });
    const card = within(await screen.findByTestId('repo-row-nas'));
    fireEvent.click(card.getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(callsOf(client, 'repos.check')).toHaveLength(1));
    fireEvent.click(card.getByRole('checkbox', { name: 'Also read back part of the data' }));
    fireEvent.change(card.getByLabelText('How much'), { target: { value: 'half' } });
    expect((card.getByRole('button', { name: 'Check' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(card.getByLabelText('How much'), { target: { value: '1/10' } });
    fireEvent.click(card.getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(callsOf(client, 'repos.check')).toHaveLength(2));
    expect(callsOf(client, 'repos.check').map((c) => c.params)).toEqual([{ repoId: 'nas' }, { repoId: 'nas', readDataSubset: '1/10' }]);
  });
});

describe('maintenance schedules', () => {
  it('saves prune and check schedules with the repository, and keeps what the form does not edit', async () => {
    const client = mount(<ReposView />, { 'config.saveRepo': () => ({ ok: true }) });
    const card = within(await screen.findByTestId('repo-row-nas'));
    fireEvent.click(card.getByRole('button', { name: 'Edit' }));
    const fields = within(await screen.findByTestId('maintenance-fields'));
    const prune = within(fields.getByRole('group', { name: 'Prune' }));
    fireEvent.click(prune.getByRole('radio', { name: 'Cron expression' }));
    fireEvent.change(prune.getByRole('textbox', { name: /^Cron \(/ }), { target: { value: '0 4 * * 0' } });
    fireEvent.change(fields.getByLabelText('Data a scheduled check reads'), { target: { value: '5%' } });
    const options = within(screen.getByTestId('restic-options'));
    expect((options.getByLabelText('Extra restic options, one per line') as HTMLTextAreaElement).value).toBe('-o\nrest.connections=2');
    fireEvent.change(options.getByLabelText(/Download limit/), { target: { value: '2048' } });
    expect(within(options.getByTestId('limit-rule-0')).getByRole('checkbox', { name: 'Mon' })).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf(client, 'config.saveRepo')).toHaveLength(1));
    expect(callsOf(client, 'config.saveRepo')[0]!.params).toMatchObject({
      repo: {
        id: 'nas',
        flags: ['-o', 'rest.connections=2'],
        limits: { uploadKiBs: 100, downloadKiBs: 2048, rules },
        maintenance: { prune: { cron: '0 4 * * 0' }, check: null, checkReadDataSubset: '5%' },
      },
    });
  });
});

describe('limits by time of day', () => {
  /** config.saveRepo as the host answers it: the real schema; a refusal is the RpcError the transports make. */
  const host = createDispatcher({ 'config.saveRepo': { params: saveRepo, handler: () => ({ ok: true as const }) } });
  async function realSaveRepo(params: RpcParams<'config.saveRepo'>) {
    try {
      return (await host.call('config.saveRepo', params, { host: 'serve' })) as { ok: true };
    } catch (e) {
      if (e instanceof FieldIssuesError) throw new RpcError(e.code, e.message, e.issues);
      throw e;
    }
  }
  async function editNas() {
    const client = mount(<ReposView />, { 'config.saveRepo': realSaveRepo });
    fireEvent.click(within(await screen.findByTestId('repo-row-nas')).getByRole('button', { name: 'Edit' }));
    return { client, rules: within(await screen.findByTestId('limit-rules')) };
  }
  const sentRepo = (client: ReturnType<typeof fakeClient>) => (callsOf(client, 'config.saveRepo').at(-1)!.params as { repo: RepoInput }).repo;

  it('edits a stored rule and adds one, saved in the week\'s order and in a shape the host accepts', async () => {
    const { client, rules } = await editNas();
    const first = within(rules.getByTestId('limit-rule-0'));
    expect((first.getByLabelText('From') as HTMLInputElement).value).toBe('09:00');
    expect((first.getByLabelText('Upload (KiB/s)') as HTMLInputElement).value).toBe('50');
    fireEvent.click(first.getByRole('checkbox', { name: 'Fri' }));
    fireEvent.change(first.getByLabelText('Until'), { target: { value: '18:30' } });
    fireEvent.click(rules.getByRole('button', { name: 'Add a time rule' }));
    const second = within(rules.getByTestId('limit-rule-1'));
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) fireEvent.click(second.getByRole('checkbox', { name: day }));
    fireEvent.click(second.getByRole('checkbox', { name: 'Sun' }));
    fireEvent.click(second.getByRole('checkbox', { name: 'Sat' }));
    fireEvent.change(second.getByLabelText('From'), { target: { value: '22:00' } });
    fireEvent.change(second.getByLabelText('Until'), { target: { value: '06:00' } });
    fireEvent.change(second.getByLabelText('Download (KiB/s)'), { target: { value: '4096' } });
    expect(second.getByText('Runs overnight: from 22:00 on each ticked day until 06:00 the next day.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByTestId('limit-rules')).toBeNull());
    const sent = sentRepo(client);
    expect(sent.limits).toEqual({
      uploadKiBs: 100,
      rules: [
        { days: ['mon', 'fri'], from: '09:00', to: '18:30', uploadKiBs: 50 },
        { days: ['sat', 'sun'], from: '22:00', to: '06:00', downloadKiBs: 4096 },
      ],
    });
    expect(repoSchema.safeParse(sent).success).toBe(true);
  });

  it('removing the last rule removes the rules from the repository', async () => {
    const { client, rules } = await editNas();
    fireEvent.click(rules.getByRole('button', { name: 'Remove time rule 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf(client, 'config.saveRepo')).toHaveLength(1));
    expect(sentRepo(client).limits).toEqual({ uploadKiBs: 100 });
  });

  // Every refusal the host can give a rule lands on the part it is about, in words.
  it.each([
    ['no day', (r: ReturnType<typeof within>) => fireEvent.click(r.getByRole('checkbox', { name: 'Mon' })), 'field-error-rule-0-days', 'Time rule 1 needs at least one day.'],
    ['the same start and end', (r: ReturnType<typeof within>) => fireEvent.change(r.getByLabelText('Until'), { target: { value: '09:00' } }), 'field-error-rule-0',
      'Time rule 1 ends when it starts. Choose two different times; for the whole day, use the limits above instead.'],
    // (0 or 1.5 the browser itself refuses: the fields say min 1, step 1.)
    ['a limit over 10 GiB/s', (r: ReturnType<typeof within>) => fireEvent.change(r.getByLabelText('Upload (KiB/s)'), { target: { value: '20000000' } }), 'field-error-rule-0-upload',
      'The upload limit of time rule 1 must be at most 10485760.'],
  ])('a rule with %s is refused on its field', async (_what, breakIt, errorTestId, words) => {
    const { client, rules } = await editNas();
    breakIt(within(rules.getByTestId('limit-rule-0')));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId(errorTestId)).textContent).toBe(words);
    expect(callsOf(client, 'config.saveRepo')).toHaveLength(1);
    // Still the form: nothing was saved, and the rule is as the user left it.
    expect(screen.getByTestId('limit-rule-0')).toBeTruthy();
  });

  it("removing a rule takes the host's refusals of the rules after it along, so none lands on the wrong rule", async () => {
    const { rules } = await editNas();
    fireEvent.click(rules.getByRole('button', { name: 'Add a time rule' }));
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) fireEvent.click(within(rules.getByTestId('limit-rule-1')).getByRole('checkbox', { name: day }));
    fireEvent.click(rules.getByRole('button', { name: 'Add a time rule' })); // a third, good one
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId('field-error-rule-1-days')).textContent).toBe('Time rule 2 needs at least one day.');
    // Rule 1 goes: the good third rule is now second, and must not wear the refusal of the rule that was second.
    fireEvent.click(rules.getByRole('button', { name: 'Remove time rule 1' }));
    expect(within(rules.getByTestId('limit-rule-1')).getByRole('checkbox', { name: 'Mon' })).toHaveProperty('checked', true);
    expect(screen.queryByTestId('field-error-rule-1-days')).toBeNull();
    expect(screen.queryByTestId('field-error-rule-0-days')).toBeNull();
  });

  it('a plain limit the host refuses is marked on that limit', async () => {
    mount(<ReposView />, { 'config.saveRepo': realSaveRepo });
    fireEvent.click(within(await screen.findByTestId('repo-row-nas')).getByRole('button', { name: 'Edit' }));
    const options = within(await screen.findByTestId('restic-options'));
    fireEvent.change(options.getByLabelText(/^Upload limit/), { target: { value: '20000000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByTestId('field-error-upload')).textContent).toBe('The upload limit must be at most 10485760.');
    expect(options.getByLabelText(/^Upload limit/).getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(options.getByLabelText(/^Upload limit/), { target: { value: '2000' } });
    expect(screen.queryByTestId('field-error-upload')).toBeNull();
  });
});

describe('hooks and operation settings', () => {
  it("saves a plan's hooks with the rest of the plan as it was saved", async () => {
    const client = mount(<PlanHooks planId="home" />, { 'config.savePlan': () => ({ ok: true }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Add a hook' }));
    const hook = within(screen.getByTestId('hook-0'));
    fireEvent.click(hook.getByRole('radio', { name: 'Send a web request (POST)' }));
    fireEvent.change(hook.getByLabelText('URL'), { target: { value: 'https://hc-ping.com/abc' } });
    fireEvent.click(hook.getByRole('checkbox', { name: 'success' }));
    fireEvent.change(hook.getByLabelText(/Time limit/), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save hooks' }));
    await waitFor(() => expect(callsOf(client, 'config.savePlan')).toHaveLength(1));
    expect(callsOf(client, 'config.savePlan')[0]!.params).toEqual({
      plan: { ...home, hooks: [{ on: ['success', 'error', 'stall'], url: 'https://hc-ping.com/abc', timeoutMs: 5000 }] },
    });
  });

  it('saves conditions, restore tests and a mirror onto the plan as saved, in a shape the host accepts', async () => {
    const client = mount(<PlanExtras planId="home" />, { 'config.savePlan': () => ({ ok: true }) });
    const panel = within(await screen.findByTestId('plan-extras'));
    fireEvent.click(panel.getByRole('checkbox', { name: 'Not on battery' }));
    fireEvent.change(panel.getByLabelText('Only when this drive is mounted'), { target: { value: '/media/usb' } });
    fireEvent.click(panel.getByRole('checkbox', { name: /latest snapshot restores/ }));
    fireEvent.change(panel.getByLabelText('Files per test at most'), { target: { value: '20' } });
    expect(panel.queryByRole('button', { name: 'Add a mirror' })).toBeNull(); // no other repository to mirror to
    fireEvent.click(panel.getByRole('button', { name: 'Save these' }));
    await waitFor(() => expect(callsOf(client, 'config.savePlan')).toHaveLength(1));
    const { plan: sent } = callsOf(client, 'config.savePlan')[0]!.params as { plan: PlanInput };
    expect(sent).toEqual({ ...home, conditions: { onBattery: 'skip', requireMount: '/media/usb' }, verify: { files: 20, maxMiB: 200 }, mirrors: [] });
    expect(planSchema.safeParse(sent).success).toBe(true);
  });

  describe("a mirror's retention", () => {
    const usbMirror = { repo: 'usb', retention: { keepDaily: 7, keepWithin: '2y' }, schedule: null, warnAfterDays: 5 };
    const mirrored: PlanInput = { ...home, mirrors: [usbMirror] };
    /** config.savePlan as the host answers it: the real schema and save checks; a refusal is the RpcError the transports make. */
    const host = createDispatcher({
      'config.savePlan': { params: savePlan, moreIssues: (p) => planSaveIssues(p, ['nas', 'usb']), handler: () => ({ ok: true as const }) },
    });
    async function realSavePlan(params: RpcParams<'config.savePlan'>) {
      try {
        return (await host.call('config.savePlan', params, { host: 'serve' })) as { ok: true };
      } catch (e) {
        if (e instanceof FieldIssuesError) throw new RpcError(e.code, e.message, e.issues);
        throw e;
      }
    }
    const mountMirrored = () =>
      mount(<PlanExtras planId="home" />, { 'config.get': () => ({ repos: [nas], plans: [mirrored], settings }), 'config.savePlan': realSavePlan });
    const sentPlan = (client: ReturnType<typeof fakeClient>) => (callsOf(client, 'config.savePlan').at(-1)!.params as { plan: PlanInput }).plan;

    it('is saved as typed, in a shape the host accepts', async () => {
      const client = mountMirrored();
      const mirror = within(await screen.findByTestId('mirror-0'));
      expect((mirror.getByLabelText('Daily') as HTMLInputElement).value).toBe('7');
      fireEvent.change(mirror.getByLabelText('Last'), { target: { value: '3' } });
      fireEvent.change(mirror.getByLabelText('Within (e.g. 30d)'), { target: { value: '' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save these' }));
      await waitFor(() => expect(screen.getByText('Saved.')).toBeTruthy());
      const sent = sentPlan(client);
      expect(sent.mirrors).toEqual([{ ...usbMirror, retention: { keepLast: 3, keepDaily: 7 } }]);
      expect(planSchema.safeParse(sent).success).toBe(true);
    });

    it('emptied keeps every copied snapshot (null)', async () => {
      const client = mountMirrored();
      const mirror = within(await screen.findByTestId('mirror-0'));
      fireEvent.change(mirror.getByLabelText('Daily'), { target: { value: '' } });
      fireEvent.change(mirror.getByLabelText('Within (e.g. 30d)'), { target: { value: '' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save these' }));
      await waitFor(() => expect(callsOf(client, 'config.savePlan')).toHaveLength(1));
      expect(sentPlan(client).mirrors).toEqual([{ ...usbMirror, retention: null }]);
    });

    it('stored before survives an edit of something else', async () => {
      const client = mountMirrored();
      const panel = within(await screen.findByTestId('plan-extras'));
      fireEvent.click(panel.getByRole('checkbox', { name: 'Not on battery' }));
      fireEvent.change(within(panel.getByTestId('mirror-0')).getByLabelText(/Warn when it lags/), { target: { value: '9' } });
      fireEvent.click(panel.getByRole('button', { name: 'Save these' }));
      await waitFor(() => expect(callsOf(client, 'config.savePlan')).toHaveLength(1));
      expect(sentPlan(client)).toEqual({ ...mirrored, conditions: { onBattery: 'skip' }, mirrors: [{ ...usbMirror, warnAfterDays: 9 }] });
    });

    it("shows the host's refusal on the mirror's field, gone once that field is edited", async () => {
      mountMirrored();
      const mirror = within(await screen.findByTestId('mirror-0'));
      fireEvent.change(mirror.getByLabelText('Within (e.g. 30d)'), { target: { value: 'soon' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save these' }));
      await waitFor(() => expect(mirror.getByLabelText('Within (e.g. 30d)').getAttribute('aria-invalid')).toBe('true'));
      const errorId = mirror.getByLabelText('Within (e.g. 30d)').getAttribute('aria-describedby')!;
      expect(mirror.getByText(/must be a duration such as 30d/).closest(`#${CSS.escape(errorId)}`)).not.toBeNull(); // on the field, not under the form
      expect(mirror.getByLabelText('Last').getAttribute('aria-invalid')).toBeNull();
      fireEvent.change(mirror.getByLabelText('Within (e.g. 30d)'), { target: { value: '30d' } });
      expect(mirror.getByLabelText('Within (e.g. 30d)').getAttribute('aria-invalid')).toBeNull();
    });
  });

  it('saves retries and parallel operations', async () => {
    const client = mount(<OperationSettings />, { 'config.saveSettings': () => ({ ok: true }) });
    fireEvent.change(await screen.findByLabelText(/Operations at the same time/), { target: { value: '4' } });
    fireEvent.change(screen.getByLabelText(/Retries of a failed scheduled backup/), { target: { value: '0' } });
    fireEvent.change(screen.getByLabelText(/Warn when a plan has no backup/), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save operation settings' }));
    await waitFor(() => expect(callsOf(client, 'config.saveSettings')).toHaveLength(1));
    expect(callsOf(client, 'config.saveSettings')[0]!.params).toEqual({
      settings: { retryStalled: true, keepAwake: true, hooks: [], maxParallelOperations: 4, retryAttempts: 0, noSuccessWarnDays: null, uiUpdateHz: 4 },
    });
  });
});

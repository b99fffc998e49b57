// "Last proven restorable" on the dashboard row and the plan page (issue 15), in en and zh-CN.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import { describeOverall } from '../shell/overall-text.js';
import { translate, type Language } from '../../i18n/index.js';
import { RpcError } from '../../client/index.js';

afterEach(cleanup);

const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString();

function scene(language: 'en' | 'zh-CN' = 'en') {
  const base = appState();
  return appState({
    settings: { ...base.settings, language },
    plans: [
      plan('home', {
        verify: { schedule: null, files: 20, maxMiB: 64 },
        lastVerified: { opId: 7, at: threeDaysAgo, snapshotId: '4f1c'.repeat(16), files: 50, bytes: 120 * 1024 * 1024, ok: true },
      }),
      plan('photos', {
        repoId: 'usb',
        lastVerified: {
          opId: 8,
          at: threeDaysAgo,
          snapshotId: null,
          files: 0,
          bytes: 0,
          ok: false,
          errorCode: 'VERIFY_FAILED',
          errorMessage: 'The restore test of plan "photos" failed for 1 file: /p/a.jpg (restic could not restore it: ciphertext verification failed).',
        },
      }),
      plan('work', { repoId: 's3' }),
    ],
  });
}

/** The plan as config.json has it now: its restore tests changed a moment ago (30 files, the last state said 20). */
const savedHome = { id: 'home', repo: 'nas', paths: ['/home/me'], excludes: [], schedule: null, retention: null, verify: { schedule: null, files: 30, maxMiB: 64 } };

function mount(language: 'en' | 'zh-CN' = 'en', verifyNow: () => { opId: number } = () => ({ opId: 99 })) {
  const client = fakeClient({
    'plans.verifyNow': verifyNow,
    'config.savePlan': () => ({ ok: true as const }),
    'config.get': () => ({ repos: [], plans: [savedHome], settings: {} }) as never,
  });
  const store = createAppStore({ systemLanguage: 'en-US' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => {
    client.status('connected');
    client.push(scene(language));
  });
  return client;
}

describe('proven restorable', () => {
  it('the dashboard row says when, how much and which snapshot; a failed test says what failed', () => {
    mount();
    const home = within(screen.getByTestId('plan-row-home')).getByTestId('proof-home');
    expect(home.textContent).toMatch(/^Proven restorable 3 d(ays)? ago: 50 files, 120(\.0)? MiB, snapshot 4f1c…$/);
    const photos = within(screen.getByTestId('plan-row-photos')).getByTestId('proof-photos');
    expect(photos.textContent).toContain('Restore test failed');
    expect(photos.textContent).not.toContain('Proven');
    // A plan never tested shows nothing on the dashboard (no noise), and says so on its page.
    expect(within(screen.getByTestId('plan-row-work')).queryByTestId('proof-work')).toBeNull();
  });

  it('in Chinese', () => {
    mount('zh-CN');
    const home = within(screen.getByTestId('plan-row-home')).getByTestId('proof-home');
    expect(home.textContent).toContain('已验证可恢复');
    expect(home.textContent).toContain('50 个文件');
    const photos = within(screen.getByTestId('plan-row-photos')).getByTestId('proof-photos');
    expect(photos.textContent).toContain('恢复测试失败');
    expect(photos.textContent).toContain('恢复测试失败：部分文件未能按备份时的内容恢复');
  });

  it('the plan page shows it and runs a restore test on demand', async () => {
    const client = mount();
    fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Plans' }));
    await waitFor(() => expect(screen.getByTestId('proof-home')).toBeTruthy(), { timeout: 5000 });
    // Its schedule in words, with the cron line beside them (fixtures: "0 * * * *").
    expect(screen.getByTestId('plan-schedule-home').textContent).toBe('Every hour · 0 * * * *');
    fireEvent.click(screen.getByRole('button', { name: 'Test restore now' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'plans.verifyNow')).toBe(true), { timeout: 5000 });
    expect(client.calls.find((c) => c.method === 'plans.verifyNow')?.params).toEqual({ planId: 'home', trigger: 'manual' });
  });

  it.each([
    ['started', () => ({ opId: 99 }), 'Started operation #99.'],
    ['with nothing to test yet', () => {
      throw new RpcError('NOTHING_TO_VERIFY', 'Plan "home" has no snapshot yet, so there is nothing to test: back it up first.');
    }, 'There is nothing to test yet: this plan has no snapshot. Back it up first; nothing is wrong.'],
  ])('"Test restore now" %s says so as a note, never as a failure', async (_what, answer, words) => {
    mount('en', answer);
    fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Plans' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Test restore now' }, { timeout: 5000 }));
    const detail = screen.getByRole('button', { name: 'Test restore now' }).parentElement!;
    await waitFor(() => expect(within(detail).getByRole('status').textContent).toBe(words));
    expect(within(detail).queryByRole('alert')).toBeNull();
  });
});

describe('the header says a failed restore test or check', () => {
  it.each([
    ['en', 'The last restore test of photos failed', 'The last check of repository usb found errors'],
    ['zh-CN', 'photos 的上一次恢复测试失败', '仓库 usb 的上一次检查发现错误'],
  ] as const)('%s', (language, verifyWords, checkWords) => {
    const state = appState({
      status: { level: 'error', reasons: [{ kind: 'verify-failed', planId: 'photos', opId: 8 }, { kind: 'check-failed', repoId: 'usb' }] },
    });
    const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate(language as Language, key, vars);
    expect(describeOverall(state, t, language as Language, new Date()).all).toEqual([verifyWords, checkWords]);
  });
});

describe('editing a plan in the window', () => {
  it('keeps its restore-test settings as saved now, not as the last state had them (the form has no fields for them)', async () => {
    const client = mount();
    fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Plans' }));
    await waitFor(() => expect(screen.getByTestId('proof-home')).toBeTruthy(), { timeout: 5000 });
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'config.savePlan')).toBe(true), { timeout: 5000 });
    const params = client.calls.find((c) => c.method === 'config.savePlan')!.params as { plan: { verify?: unknown } };
    expect(params.plan.verify).toEqual(savedHome.verify);
  });
});

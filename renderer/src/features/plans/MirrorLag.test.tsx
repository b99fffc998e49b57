// Each mirror's lag on the dashboard row and the plan page (issue 15), in en and zh-CN, and "Copy now".
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import { describeOverall } from '../shell/overall-text.js';
import { translate, type Language } from '../../i18n/index.js';

afterEach(cleanup);

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000 - 60_000).toISOString();

/** The plan as config.json has it now: a mirror's retention saved a moment ago, newer than the last state pushed. */
const savedMirrors = [
  { repo: 'usb', retention: { keepLast: 7 }, schedule: { everyMinutes: 60 }, warnAfterDays: 3 },
  { repo: 'cloud', retention: null, schedule: null, warnAfterDays: 3 },
  { repo: 'nas2', retention: null, schedule: null, warnAfterDays: 3 },
];
const savedPhotos = { id: 'photos', repo: 'nas', paths: ['/home/me/Photos'], excludes: [], schedule: null, retention: null, mirrors: savedMirrors, hooks: [{ on: ['error' as const], command: 'notify-send x' }] };

function mount(language: 'en' | 'zh-CN' = 'en') {
  const client = fakeClient({
    'plans.copyNow': () => ({ opId: 41, opIds: [41, 42] }),
    'config.savePlan': () => ({ ok: true as const }),
    'config.get': () => ({ repos: [], plans: [savedPhotos], settings: {} }) as never,
  });
  const store = createAppStore({ systemLanguage: 'en-US' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  const base = appState();
  act(() => {
    client.status('connected');
    client.push(
      appState({
        settings: { ...base.settings, language },
        plans: [
          plan('photos', {
            mirrors: [
              { repo: 'usb', behindSnapshots: 3, behindSince: daysAgo(8), lastCopyAt: daysAgo(9), status: 'behind', warnAfterDays: 3, retention: { keepLast: 5 }, schedule: { everyMinutes: 60 } },
              { repo: 'cloud', behindSnapshots: 0, behindSince: null, lastCopyAt: daysAgo(1), status: 'ok', warnAfterDays: 3, retention: null, schedule: null },
              { repo: 'nas2', behindSnapshots: 1, behindSince: daysAgo(1), lastCopyAt: null, status: 'failed', warnAfterDays: 3, retention: null, schedule: null, lastErrorCode: 'WRONG_PASSWORD', lastError: 'The password of repository "nas" (the source) or "nas2" (the mirror) is wrong.' },
            ],
          }),
          plan('work'),
        ],
      }),
    );
  });
  return client;
}

describe('mirror lag', () => {
  it('the dashboard row lists each mirror: what it lacks and since when, when it was last copied, why it failed', () => {
    mount();
    const row = screen.getByTestId('plan-row-photos');
    expect(within(row).getByTestId('mirror-photos-usb').textContent).toMatch(/^usb lacks 3 snapshot\(s\), the oldest from 8 d(ays)? ago · last copy 9 d(ays)? ago$/);
    expect(within(row).getByTestId('mirror-photos-usb').className).toContain('mirror-overdue');
    expect(within(row).getByTestId('mirror-photos-cloud').textContent).toMatch(/^cloud has every snapshot · last copy (24 h|1 d(ay)?) ago$/);
    expect(within(row).getByTestId('mirror-photos-nas2').textContent).toContain('is wrong');
    expect(within(screen.getByTestId('plan-row-work')).queryByTestId('mirrors-work')).toBeNull();
  });

  it('in Chinese', () => {
    mount('zh-CN');
    const usb = within(screen.getByTestId('plan-row-photos')).getByTestId('mirror-photos-usb');
    expect(usb.textContent).toContain('缺少 3 个快照，最早的来自');
    expect(usb.textContent).toContain('上次复制');
  });

  it('the plan page shows the mirrors and copies to them on demand', async () => {
    const client = mount();
    fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Plans' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Copy to mirrors now' })).toBeTruthy(), { timeout: 5000 });
    fireEvent.click(screen.getByRole('button', { name: 'Copy to mirrors now' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'plans.copyNow')).toBe(true), { timeout: 5000 });
    expect(client.calls.find((c) => c.method === 'plans.copyNow')?.params).toEqual({ planId: 'photos' });
  });
});

describe('editing a plan with mirrors in the window', () => {
  it('keeps its mirrors and hooks as saved now, not as the last state had them (the form has no fields for them)', async () => {
    const client = mount();
    fireEvent.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Plans' }));
    await waitFor(() => expect(screen.getByTestId('mirrors-photos')).toBeTruthy(), { timeout: 5000 });
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.calls.some((c) => c.method === 'config.savePlan')).toBe(true), { timeout: 5000 });
    const params = client.calls.find((c) => c.method === 'config.savePlan')!.params as { plan: { mirrors?: unknown; hooks?: unknown } };
    expect(params.plan.mirrors).toEqual(savedMirrors);
    expect(params.plan.hooks).toEqual(savedPhotos.hooks);
  });
});

describe('the header says a mirror behind or a failed copy', () => {
  it.each([
    ['en', 'The copy of photos on usb lacks snapshots since', 'The last copy of photos to nas2 failed'],
    ['zh-CN', 'photos 在 usb 上的副本自', 'photos 上一次复制到 nas2 失败'],
  ] as const)('%s', (language, behindWords, failedWords) => {
    const state = appState({
      status: {
        level: 'warning',
        reasons: [
          { kind: 'mirror-behind', planId: 'photos', repoId: 'usb', since: '2026-03-01T12:00:00.000Z' },
          { kind: 'mirror-failed', planId: 'photos', repoId: 'nas2' },
        ],
      },
    });
    const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate(language as Language, key, vars);
    const [behind, failed] = describeOverall(state, t, language as Language, new Date()).all;
    expect(behind).toContain(behindWords);
    expect(failed).toBe(failedWords);
  });
});

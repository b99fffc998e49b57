// A plan whose scheduled run waits for its conditions (issue 16), in the window: the dashboard row and the plan page
// show a grey clock badge and say why, since when and what it waits for, for every reason, in en and zh-CN; the
// header says the overall level `postponed` with the plan and the reason.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { POSTPONE_REASONS, type AppState, type PostponeReason } from '../../../../main/common/index.js';
import { deriveOverallStatus } from '../../../../main/core/state/overall-status.js';
import { App } from '../../App.js';
import { connectStore, createAppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState, plan, runningOp } from '../../../test-support/fixtures.js';

afterEach(cleanup);

// Today by the real clock: the window formats against it, and a time of today reads without a date.
const since = new Date(new Date().setHours(10, 2, 0, 0)).toISOString();

/** Per reason: the words of the row after the badge, in English and in Chinese. */
const WORDS: Record<PostponeReason, { en: string; zh: string }> = {
  'on-battery': {
    en: 'on battery, since 10:02. It waits for the computer to be plugged in.',
    zh: '正在使用电池，自 10:02 起。 正在等待接通电源。',
  },
  'battery-low': {
    en: 'battery low, since 10:02. It waits for the battery to charge or the computer to be plugged in.',
    zh: '电量低，自 10:02 起。 正在等待电池充电或接通电源。',
  },
  'battery-unknown': {
    en: 'battery state unknown, since 10:02. Backstay cannot read the battery, so it waits rather than guess.',
    zh: '电池状态未知，自 10:02 起。 Backstay 无法读取电池状态，因此先等待，不做猜测。',
  },
  metered: { en: 'metered connection, since 10:02. It waits for a network that is not metered.', zh: '按流量计费的网络，自 10:02 起。 正在等待不按流量计费的网络。' },
  'metered-unknown': {
    en: 'network type unknown, since 10:02. Backstay cannot tell whether this network is metered, so it waits rather than guess.',
    zh: '网络类型未知，自 10:02 起。 Backstay 无法判断当前网络是否按流量计费，因此先等待，不做猜测。',
  },
  unreachable: {
    en: 'repository not reachable, since 10:02. It waits for the repository to be reachable again.',
    zh: '无法连接仓库，自 10:02 起。 正在等待仓库重新可以连接。',
  },
  'reachable-unknown': {
    en: "cannot tell if the repository is reachable, since 10:02. Backstay cannot locate the repository's host, so it waits rather than guess.",
    zh: '无法判断仓库是否可连接，自 10:02 起。 Backstay 无法确定仓库所在的主机，因此先等待，不做猜测。',
  },
  'drive-missing': { en: 'drive not connected, since 10:02. It waits for the drive to be connected.', zh: '磁盘未连接，自 10:02 起。 正在等待连接磁盘。' },
  'drive-unknown': {
    en: 'cannot tell if the drive is connected, since 10:02. Backstay cannot tell whether the drive is connected, so it waits rather than guess.',
    zh: '无法判断磁盘是否已连接，自 10:02 起。 Backstay 无法判断磁盘是否已连接，因此先等待，不做猜测。',
  },
};
const BACK_UP_NOW = { en: 'Back up now runs it anyway.', zh: '点击“立即备份”可以马上运行。' };
const BADGE = { en: 'Postponed', zh: '已推迟' };

function mount(state: AppState, language: 'en' | 'zh-CN', hash = '#/dashboard') {
  window.location.hash = hash;
  const client = fakeClient();
  const store = createAppStore({ systemLanguage: 'en-US' });
  connectStore(client, store);
  render(<App store={store} client={client} />);
  act(() => {
    client.status('connected');
    // As the host publishes it: with the status its one function derived.
    client.push({ ...state, settings: { ...state.settings, language }, status: deriveOverallStatus(state, new Date()) });
  });
}

const postponedHome = (reason: PostponeReason) =>
  appState({ plans: [plan('home', { postponed: { reason, since } }), plan('work')] });
const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('a postponed plan in the window', () => {
  const cases = POSTPONE_REASONS.flatMap((reason) => (['en', 'zh'] as const).map((lang) => [reason, lang] as const));

  it.each(cases)('%s (%s): the dashboard row has the grey clock badge and says why, since when, what it waits for', (reason, lang) => {
    mount(postponedHome(reason), lang === 'en' ? 'en' : 'zh-CN');
    const note = within(screen.getByTestId('plan-row-home')).getByTestId('plan-postponed-home');
    expect(note.getAttribute('data-reason')).toBe(reason);
    const badge = note.querySelector('.badge')!;
    expect(badge.getAttribute('data-status')).toBe('postponed');
    expect(badge.className).toContain('badge-postponed');
    expect(badge.querySelector('svg.lucide-clock')?.getAttribute('aria-hidden')).toBe('true');
    expect(text(badge)).toBe(BADGE[lang]);
    expect(text(note)).toBe(`${BADGE[lang]} ${WORDS[reason][lang]} ${BACK_UP_NOW[lang]}`);
    // The exact time is on hover.
    expect(note.querySelector('[title]')?.getAttribute('title')).toMatch(/10:02:00/);
    // A plan that waits for nothing has no note.
    expect(within(screen.getByTestId('plan-row-work')).queryByTestId('plan-postponed-work')).toBeNull();
  });

  it.each(cases)('%s (%s): the header says the level and which plan waits for what', (reason, lang) => {
    mount(postponedHome(reason), lang === 'en' ? 'en' : 'zh-CN');
    const header = screen.getByTestId('overall-status');
    expect(header.getAttribute('data-status')).toBe('postponed');
    const condition = WORDS[reason][lang].split(lang === 'en' ? ', since' : '，自')[0];
    expect(screen.getByTestId('overall-reason').textContent).toBe(lang === 'en' ? `home postponed since 10:02: ${condition}` : `home 自 10:02 起已推迟：${condition}`);
  });

  it('the plan page shows the same note', () => {
    mount(postponedHome('drive-missing'), 'en', '#/plans/home');
    expect(text(screen.getByTestId('plan-postponed-home'))).toBe(`Postponed ${WORDS['drive-missing'].en} ${BACK_UP_NOW.en}`);
  });

  it('while the plan backs up (Back up now), the row shows the backup, not the postponement', () => {
    const state = postponedHome('on-battery');
    mount({ ...state, running: [runningOp(7, { planId: 'home' })] }, 'en');
    expect(screen.queryByTestId('plan-postponed-home')).toBeNull();
    expect(screen.getByTestId('overall-status').getAttribute('data-status')).toBe('running');
  });
});

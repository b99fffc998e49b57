// The window header per overall status level: it shows the level the host derived and the main reason, in both
// languages, and never "All backups OK" for a state that is not fine.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { AppState, StatusLevel } from '../../../../main/common/index.js';
import { STATUS_LEVELS } from '../../../../main/common/index.js';
import { deriveOverallStatus } from '../../../../main/core/state/overall-status.js';
import { App } from '../../App.js';
import { createAppStore, type AppStore } from '../../store/index.js';
import { fakeClient } from '../../../test-support/fake-client.js';
import { appState, plan, runningOp } from '../../../test-support/fixtures.js';
import { describeOverall } from './overall-text.js';
import { translate } from '../../i18n/index.js';

afterEach(cleanup);

const now = new Date(2026, 10, 25, 12, 0);
// Today by the real clock (the header formats against it): a time of today reads without a date.
const pausedUntil = new Date(new Date().setHours(23, 30, 0, 0)).toISOString();
const nas = appState().repos[0]!;
const home = plan('home', { lastOp: { opId: 1, kind: 'backup', status: 'success', startedAt: null, endedAt: '2026-11-25T09:00:00.000Z', dataAdded: 1, errorMessage: null }, lastSuccessAt: '2026-11-25T09:00:00.000Z' });

/** The state as the host publishes it: with the status its one function derived. */
const published = (patch: Partial<AppState>): AppState => {
  const state = appState({ plans: [home], ...patch });
  return { ...state, status: deriveOverallStatus(state, now) };
};

const byLevel: Record<StatusLevel, { state: AppState; en: string; zh: string }> = {
  setup: { state: published({ repos: [], plans: [] }), en: 'Set up a repository and a plan to start', zh: '请先添加一个仓库和一个备份计划' },
  ok: { state: published({}), en: 'All backups OK', zh: '所有备份正常' },
  running: { state: published({ running: [runningOp(5, { planId: 'home' })] }), en: 'Backing up home…', zh: '正在备份 home…' },
  cancelling: {
    state: published({ running: [runningOp(5, { planId: 'home', status: 'cancelling', cancel: { requestedAt: now.toISOString(), stage: 'interrupt' } })] }),
    en: 'Cancelling home…',
    zh: '正在取消 home…',
  },
  stalled: { state: published({ running: [runningOp(5, { planId: 'home', status: 'stalled', stalledSince: now.toISOString() })] }), en: 'Stalled: home', zh: '已停滞：home' },
  paused: { state: { ...published({ pausedUntil }), status: deriveOverallStatus(appState({ plans: [home], pausedUntil }), new Date(Date.parse(pausedUntil) - 3_600_000)) }, en: 'Paused until 23:30', zh: '计划暂停至 23:30' },
  warning: {
    state: published({ repos: [{ ...nas, health: 'locked' }] }),
    en: 'Needs attention: Repository nas is locked',
    zh: '需要注意：仓库 nas 已锁定',
  },
  postponed: {
    state: published({ plans: [{ ...home, postponed: { reason: 'on-battery', since: new Date(new Date().setHours(10, 2, 0, 0)).toISOString() } }] }),
    en: 'home postponed since 10:02: on battery',
    zh: 'home 自 10:02 起已推迟：正在使用电池',
  },
  error: {
    state: published({ repos: [{ ...nas, health: 'error', lastError: 'wrong password' }] }),
    en: 'Problem: Repository nas: wrong password',
    zh: '有问题：仓库 nas：wrong password',
  },
};

function mount(state: AppState, language: 'en' | 'zh-CN' = 'en'): AppStore {
  const store = createAppStore({ systemLanguage: language });
  store.getState().applyState({ ...state, settings: { ...state.settings, language } });
  render(<App store={store} client={fakeClient()} />);
  return store;
}

const header = () => screen.getByTestId('overall-status');
/** What a sighted person reads (the sr-only level word is for screen readers). */
const visibleText = () => [...header().childNodes].filter((n) => !(n instanceof HTMLElement && n.className === 'sr-only')).map((n) => n.textContent).join('');

describe('the header shows the one overall status', () => {
  it.each(STATUS_LEVELS.map((level) => [level]))('%s, in English and Chinese', (level) => {
    const { state, en, zh } = byLevel[level];
    expect(state.status?.level).toBe(level);
    mount(state);
    expect(header().getAttribute('data-status')).toBe(level);
    expect(visibleText()).toBe(en);
    // The level's word is always there for a screen reader.
    expect(header().textContent).toContain(translate('en', `overall.${level}`));
    cleanup();
    mount(state, 'zh-CN');
    expect(visibleText()).toBe(zh);
  });

  it('never says "All backups OK" unless the level is ok', () => {
    for (const level of STATUS_LEVELS.filter((l) => l !== 'ok')) {
      mount(byLevel[level].state);
      expect(header().textContent, level).not.toContain('All backups OK');
      cleanup();
    }
  });

  it('a repository that cannot be reached shows as an error even while another plan is fine', () => {
    mount(published({ repos: [nas, { ...nas, id: 'usb', health: 'error', lastError: 'the repository could not be reached' }] }));
    expect(header().getAttribute('data-status')).toBe('error');
    expect(visibleText()).toBe('Problem: Repository usb: the repository could not be reached');
  });

  it('several reasons: the main one, "+N more", and all of them in the tooltip', () => {
    const state = published({
      repos: [{ ...nas, health: 'error', lastError: 'wrong password' }],
      plans: [plan('home', { lastOp: { opId: 1, kind: 'backup', status: 'error', startedAt: null, endedAt: null, dataAdded: null, errorMessage: 'x' } })],
      running: [runningOp(3, { planId: 'docs' })],
    });
    mount(state);
    expect(visibleText()).toBe('Problem: Repository nas: wrong password (+2 more)');
    expect(header().getAttribute('title')).toBe('Repository nas: wrong password\nThe last backup of home failed\nBacking up docs…');
  });

  it('follows each new snapshot, and says "Connecting…" before the first', () => {
    const store = createAppStore({ systemLanguage: 'en' });
    render(<App store={store} client={fakeClient()} />);
    expect(header().getAttribute('data-status')).toBe('unknown');
    expect(visibleText()).toBe('Connecting…');
    act(() => store.getState().applyState(byLevel.setup.state));
    expect(header().getAttribute('data-status')).toBe('setup');
    act(() => store.getState().applyState(byLevel.running.state));
    expect(visibleText()).toBe('Backing up home…');
  });

  it('names a repository operation by its kind', () => {
    const state = published({ running: [runningOp(8, { kind: 'check', planId: null })] });
    const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en', k, v);
    expect(describeOverall(state, t, 'en', now).main).toBe('Check nas…');
  });
});

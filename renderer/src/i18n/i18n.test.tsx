import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';
import { detectLanguage, translate } from './index.js';
import { createAppStore, AppProvider } from '../store/index.js';
import { fakeClient } from '../../test-support/fake-client.js';
import { appState, plan } from '../../test-support/fixtures.js';
import { DashboardView } from '../features/dashboard/DashboardView.js';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('i18n', () => {
  it('follows the system language: any Chinese is Simplified Chinese, the rest English', () => {
    expect(detectLanguage('zh-CN')).toBe('zh-CN');
    expect(detectLanguage('zh-TW')).toBe('zh-CN');
    expect(detectLanguage('de-DE')).toBe('en');
    expect(detectLanguage(undefined)).toBe('en');
  });

  it('has the words UI.md asks for in Chinese', () => {
    expect(translate('zh-CN', 'action.backupNow')).toBe('立即备份');
    expect(translate('zh-CN', 'action.cancel')).toBe('取消');
    expect(translate('zh-CN', 'action.keepWaiting')).toBe('继续等待');
    expect(translate('zh-CN', 'pause.button')).toBe('暂停计划');
    const statuses = ['stalled', 'running', 'success', 'warning', 'error', 'cancelled', 'interrupted'] as const;
    expect(statuses.map((s) => translate('zh-CN', `status.${s}`))).toEqual(['已停滞', '正在备份', '成功', '警告', '失败', '已取消', '已中断']);
    expect(['nav.repos', 'nav.plans', 'nav.snapshots', 'nav.settings', 'nav.operations', 'kind.restore'].map((k) => translate('zh-CN', k as never))).toEqual([
      '仓库',
      '备份计划',
      '快照',
      '设置',
      '操作记录',
      '恢复',
    ]);
  });

  it('fills every key in both languages with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).toBeTruthy();
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zhCN[key]), key).toEqual(names(en[key]));
    }
  });

  it('interpolates variables', () => {
    expect(translate('en', 'common.started', { id: 12 })).toBe('Started operation #12.');
  });

  it('a saved choice wins over the system language and switching re-renders the window', () => {
    const storage = memoryStorage();
    storage.setItem('backstay.language', 'zh-CN');
    expect(createAppStore({ storage, systemLanguage: 'en-US' }).getState().language).toBe('zh-CN');

    const fresh = memoryStorage();
    const store = createAppStore({ storage: fresh, systemLanguage: 'en-US' });
    store.getState().applyState(appState({ plans: [plan('home')] }));
    render(
      <AppProvider store={store} client={fakeClient()}>
        <DashboardView />
      </AppProvider>,
    );
    expect(screen.getByRole('button', { name: 'Back up now' })).toBeTruthy();
    act(() => store.getState().setLanguage('zh-CN'));
    expect(screen.getByRole('button', { name: '立即备份' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Back up now' })).toBeNull();
    expect(fresh.getItem('backstay.language')).toBe('zh-CN');
  });
});

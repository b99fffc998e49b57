// A plan postponed by its conditions for longer than its "no backup in N days" threshold is told of once a day.
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../main/common/index.js';
import { decideNotifications, emptyNotifyMemo, type NotifyMemo } from '../../main/hosts/electron/notify-model.js';
import { appState, local, plan } from '../../main/core/state/testing/app-state.js';

const DAY = 86_400_000;
const since = local(10, 2, 10); // 10 Nov 2026, 10:02

function state(postponedSince: Date | null, warnDays: number | null = 7): AppState {
  const base = appState({
    plans: [plan('Home', null, postponedSince ? { postponed: { reason: 'on-battery', since: postponedSince.toISOString() } } : {})],
  });
  return { ...base, settings: { ...base.settings, noSuccessWarnDays: warnDays } };
}

function decide(s: AppState, memo: NotifyMemo, now: Date, lang: 'en' | 'zh-CN' = 'en') {
  return decideNotifications(null, s, memo, { notifyOnSuccess: false, lang, now });
}
const postponedOnes = (d: ReturnType<typeof decide>) => d.notifications.filter((n) => n.kind === 'postponed');

describe('postponed-too-long notifications', () => {
  it('once a day past the threshold, never before it', () => {
    const s = state(since);
    let memo = decide(s, emptyNotifyMemo(), new Date(since.getTime() + DAY)).memo; // baseline, 1 day: nothing
    const early = decide(s, memo, new Date(since.getTime() + 6 * DAY));
    expect(postponedOnes(early)).toEqual([]);
    memo = early.memo;

    const day8 = new Date(since.getTime() + 8 * DAY);
    const first = decide(s, memo, day8);
    expect(postponedOnes(first)).toHaveLength(1);
    expect(postponedOnes(first)[0]).toMatchObject({ title: 'Backups postponed for 8 days', urgency: 'normal' });
    expect(postponedOnes(first)[0]!.body).toContain('on battery');
    memo = first.memo;

    const laterThatDay = decide(s, memo, new Date(day8.getTime() + 60_000));
    expect(postponedOnes(laterThatDay)).toEqual([]);
    memo = laterThatDay.memo;

    const nextDay = decide(s, memo, new Date(day8.getTime() + DAY));
    expect(postponedOnes(nextDay)).toHaveLength(1);
    expect(nextDay.withdraw).toContain(postponedOnes(first)[0]!.id);
  });

  it('in Chinese too', () => {
    const memo = decide(state(since), emptyNotifyMemo(), since).memo;
    const d = decide(state(since), memo, new Date(since.getTime() + 8 * DAY), 'zh-CN');
    expect(postponedOnes(d)[0]).toMatchObject({ title: '备份已推迟 8 天' });
    expect(postponedOnes(d)[0]!.body).toContain('正在使用电池');
  });

  it('not when the warning is off, and withdrawn once the plan no longer waits', () => {
    const off = state(since, null);
    expect(postponedOnes(decide(off, decide(off, emptyNotifyMemo(), since).memo, new Date(since.getTime() + 30 * DAY)))).toEqual([]);
    const later = new Date(since.getTime() + 8 * DAY);
    const shown = decide(state(since), decide(state(since), emptyNotifyMemo(), since).memo, later);
    const cleared = decide(state(null), shown.memo, new Date(later.getTime() + 60_000));
    expect(cleared.withdraw).toContain(postponedOnes(shown)[0]!.id);
  });
});

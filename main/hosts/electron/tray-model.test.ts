import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AppState, LastOp, PostponeReason, RepoState, StatusReason } from '../../common/index.js';
import { POSTPONE_REASONS, STATUS_LEVELS } from '../../common/index.js';
import { deriveOverallStatus, REASON_LEVELS, type StatusReasonKind } from '../../core/state/overall-status.js';
import { reasonLine, trayModel, type MenuItemModel } from './tray-model.js';
import { TRAY_ICON_BY_LEVEL, trayIconFile } from './tray-icons.js';
import { appState as bareAppState, local, plan, running } from '../../core/state/testing/app-state.js';

const nas: RepoState = { id: 'nas', uri: '/srv/nas', passwordKind: 'file', envKeys: [], health: 'ok', lastError: null };
/** A state with the repository "nas" that the plans of these tests back up to. */
const appState = (partial: Partial<AppState> = {}) => bareAppState({ repos: [nas], ...partial });

const now = local(16, 0);
const iso = (d: Date) => d.toISOString();
const labels = (items: MenuItemModel[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label));
const item = (items: MenuItemModel[], prefix: string) => {
  const found = items.find((i) => i.type === 'item' && i.label.startsWith(prefix));
  if (!found || found.type !== 'item') throw new Error(`no item ${prefix}: ${labels(items).join(' | ')}`);
  return found;
};

describe('trayModel', () => {
  it('idle: all backups ok, per plan result and age, Back up now', () => {
    const state = appState({
      plans: [
        plan('Home', { opId: 7, status: 'success', startedAt: iso(local(13, 50)), endedAt: iso(local(14, 0)) }, { lastSuccessAt: iso(local(14, 0)) }),
      ],
    });
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('idle');
    expect(m.statusLine).toBe('all backups ok');
    expect(m.tooltip).toBe('Backstay\nall backups ok\nLast backup 2 h ago');
    expect(labels(m.items)).toEqual([
      'Backstay - all backups ok',
      '---',
      'Home - ok 2 h ago',
      '---',
      'Pause schedules',
      'Slow down backups for 1 hour',
      'Open Backstay',
      'Quit Backstay',
    ]);
    expect(item(m.items, 'Home').submenu).toEqual([
      { type: 'item', label: 'Back up now', enabled: true, action: { action: 'backup', planId: 'Home' } },
    ]);
    expect(item(m.items, 'Open').action).toEqual({ action: 'open' });
    expect(item(m.items, 'Quit').action).toEqual({ action: 'quit' });
    expect(item(m.items, 'Backstay -').enabled).toBe(false);
  });

  it('running: percent and ETA in the status line, Cancel for the plan', () => {
    const state = appState({
      plans: [plan('Home'), plan('Work', { status: 'success', endedAt: iso(local(15, 0)) })],
      running: [running(42, 'Home', { progress: { percent: 0.423, etaSeconds: 360, bytesDone: 1, totalBytes: 2 } })],
    });
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('running');
    expect(m.statusLine).toBe('Backing up Home - 42%, ETA 6 min');
    expect(m.tooltip).toBe('Backstay\nBacking up Home - 42%, ETA 6 min');
    expect(item(m.items, 'Home').label).toBe('Home - running 42%');
    expect(item(m.items, 'Home').submenu).toEqual([{ type: 'item', label: 'Cancel', enabled: true, action: { action: 'cancel', opId: 42 } }]);
    expect(item(m.items, 'Work').label).toBe('Work - ok 1 h ago');
  });

  it('running without known progress says just what runs; several runs are counted', () => {
    const state = appState({
      plans: [plan('Home'), plan('Work')],
      running: [running(1, 'Home'), running(2, 'Work', { status: 'queued' })],
    });
    const m = trayModel(state, now, 'en');
    expect(m.statusLine).toBe('Backing up Home (+1 more)');
    expect(item(m.items, 'Work').label).toBe('Work - queued');
    expect(item(m.items, 'Work').submenu?.map((i) => (i.type === 'item' ? i.action : null))).toEqual([{ action: 'cancel', opId: 2 }]);
  });

  it('stalled: amber icon, since when, Cancel and Keep waiting', () => {
    const state = appState({
      plans: [plan('Photos'), plan('Home')],
      running: [
        running(5, 'Home', { progress: { percent: 0.1 } }),
        running(9, 'Photos', { status: 'stalled', stalledSince: iso(local(14, 3)) }),
      ],
    });
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('stalled');
    expect(m.statusLine).toBe('Photos stalled since 14:03 (+1 more)');
    expect(item(m.items, 'Photos').label).toBe('Photos - stalled');
    expect(item(m.items, 'Photos').submenu).toEqual([
      { type: 'item', label: 'Cancel', enabled: true, action: { action: 'cancel', opId: 9 } },
      { type: 'item', label: 'Keep waiting', enabled: true, action: { action: 'keepWaiting', opId: 9 } },
    ]);
  });

  it('a stall that began on another day shows the date', () => {
    const state = appState({ plans: [plan('Photos')], running: [running(9, 'Photos', { status: 'stalled', stalledSince: iso(local(23, 10, 24)) })] });
    expect(trayModel(state, now, 'en').statusLine).toBe('Photos stalled since 24 Nov 23:10');
  });

  it('error: red icon when the last run of a plan failed', () => {
    const state = appState({
      plans: [plan('Photos', { status: 'error', endedAt: iso(local(15, 30)), errorMessage: 'The repository password is wrong.' }), plan('Home', { status: 'success' })],
    });
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('error');
    expect(m.statusLine).toBe('Photos: last backup failed');
    expect(item(m.items, 'Photos').label).toBe('Photos - failed 30 min ago');
    expect(item(m.items, 'Photos').submenu?.[0]).toMatchObject({ action: { action: 'backup', planId: 'Photos' } });
  });

  it('error: the main problem, and how many more of the same level; an app error counts', () => {
    const state = appState({
      plans: [plan('A', { status: 'error' }), plan('B', { status: 'interrupted' }), plan('C', { status: 'warning' })],
      warnings: [{ id: 'storage', kind: 'storage', level: 'error', message: 'The operation log cannot be written.' }],
    });
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('error');
    expect(m.statusLine).toBe('A: last backup failed (+2 more)');
    const single = appState({ warnings: [{ id: 'storage', kind: 'storage', level: 'error', message: 'The operation log cannot be written.' }], plans: [plan('C')] });
    expect(trayModel(single, now, 'en')).toMatchObject({ icon: 'error', statusLine: 'The operation log cannot be written.' });
  });

  it('error: a repository that fails (wrong password) says so, before the plan that failed because of it', () => {
    const state = appState({
      repos: [{ ...nas, health: 'error', lastError: 'wrong password' }],
      plans: [plan('Home', { status: 'error', errorMessage: 'wrong password' })],
    });
    expect(trayModel(state, now, 'en')).toMatchObject({ icon: 'error', statusLine: 'Repository nas: wrong password (+1 more)' });
    expect(trayModel(state, now, 'zh-CN').statusLine).toBe('仓库 nas：wrong password (另有 1 项)');
  });

  it('warning: a locked repository, and a scheduled plan with no success for noSuccessWarnDays', () => {
    expect(trayModel(appState({ repos: [{ ...nas, health: 'locked' }], plans: [plan('H')] }), now, 'en')).toMatchObject({
      icon: 'warning',
      statusLine: 'Repository nas is locked',
    });
    const overdue = appState({
      plans: [plan('Work', { status: 'success' }, { lastSuccessAt: iso(local(9, 0, 17)), schedule: { cron: '0 * * * *' } })],
      settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4, noSuccessWarnDays: 7 },
    });
    expect(trayModel(overdue, now, 'en')).toMatchObject({ icon: 'warning', statusLine: 'Work: no backup since 17 Nov' });
  });

  it('cancelling: its own icon and words, and nothing more to click for that operation', () => {
    const state = appState({
      plans: [plan('Home')],
      running: [running(4, 'Home', { status: 'cancelling', cancel: { requestedAt: iso(local(15, 59)), stage: 'interrupt' } })],
    });
    const m = trayModel(state, now, 'en');
    expect(m).toMatchObject({ icon: 'cancelling', statusLine: 'Cancelling Home...' });
    expect(item(m.items, 'Home')).toMatchObject({ label: 'Home - cancelling', submenu: [{ type: 'item', label: 'cancelling', enabled: false, action: null }] });
    expect(trayModel(state, now, 'zh-CN').statusLine).toBe('正在取消 Home…');
  });

  it('waiting for the backend: no ETA from numbers that stopped moving', () => {
    const state = appState({
      plans: [plan('Home')],
      running: [running(4, 'Home', { waitingSince: iso(local(15, 59)), progress: { percent: 0.42 } })],
    });
    expect(trayModel(state, now, 'en')).toMatchObject({ icon: 'running', statusLine: 'Backing up Home - 42%, waiting for the backend' });
  });

  it('setup: an empty install is not "all backups ok"', () => {
    const m = trayModel(bareAppState(), now, 'en');
    expect(m).toMatchObject({ icon: 'setup', statusLine: 'Set up your first backup', tooltip: 'Backstay\nSet up your first backup' });
    expect(m.statusLine).not.toContain('ok');
    expect(trayModel(bareAppState(), now, 'zh-CN').statusLine).toBe('设置第一个备份');
  });

  it('error: restic missing or an invalid config', () => {
    expect(trayModel(appState({ restic: { path: null, version: null, error: 'not found' } }), now, 'en')).toMatchObject({ icon: 'error', statusLine: 'restic was not found' });
    expect(trayModel(appState({ configError: 'bad json' }), now, 'en')).toMatchObject({ icon: 'error', statusLine: 'config.json has a problem' });
  });

  it('warning: the last run saved a snapshot but some files were unreadable', () => {
    const state = appState({ plans: [plan('Home', { status: 'warning', endedAt: iso(local(12, 0)) })] });
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('warning');
    expect(m.statusLine).toBe('Home finished with warnings');
    expect(item(m.items, 'Home').label).toBe('Home - warning 4 h ago');
  });

  it('paused until a time: grey icon, the pause submenu offers Resume', () => {
    const state = appState({ plans: [plan('Home', { status: 'success' })], pausedUntil: iso(local(17, 0)) });
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('paused');
    expect(m.statusLine).toBe('schedules paused until 17:00');
    expect(item(m.items, 'Pause').submenu).toEqual([
      { type: 'item', label: 'schedules paused until 17:00', enabled: false, action: null },
      { type: 'item', label: 'Resume schedules', enabled: true, action: { action: 'resume' } },
    ]);
  });

  it('paused forever; a pause that has expired is not a pause', () => {
    expect(trayModel(appState({ pausedUntil: 'forever', plans: [plan('H')] }), now, 'en')).toMatchObject({ icon: 'paused', statusLine: 'schedules paused' });
    expect(trayModel(appState({ pausedUntil: iso(local(15, 0)), plans: [plan('H')] }), now, 'en')).toMatchObject({ icon: 'idle' });
  });

  it('not paused: pause for 1 hour, until tomorrow (local midnight), until resumed', () => {
    const m = trayModel(appState({ plans: [plan('H')] }), now, 'en');
    expect(item(m.items, 'Pause').submenu).toEqual([
      { type: 'item', label: 'For 1 hour', enabled: true, action: { action: 'pause', until: iso(local(17, 0)) } },
      { type: 'item', label: 'Until tomorrow', enabled: true, action: { action: 'pause', until: iso(new Date(2026, 10, 26)) } },
      { type: 'item', label: 'Until I resume', enabled: true, action: { action: 'pause', until: null } },
    ]);
  });

  it('paused while a plan failed: the failure wins the icon, the tooltip still says paused', () => {
    const m = trayModel(appState({ pausedUntil: 'forever', plans: [plan('H', { status: 'error' })] }), now, 'en');
    expect(m.icon).toBe('error');
    expect(m.tooltip).toContain('schedules paused');
  });

  it('operations without a plan (prune, check) get their own row with Cancel', () => {
    const state = appState({ plans: [plan('Home')], running: [running(3, null, { kind: 'prune', progress: { percent: 0.5 } })] });
    const m = trayModel(state, now, 'en');
    expect(m.statusLine).toBe('Prune nas - 50%');
    expect(item(m.items, 'Prune nas')).toMatchObject({ label: 'Prune nas - running 50%', submenu: [{ action: { action: 'cancel', opId: 3 } }] });
  });

  it('no plans yet: set up, and the menu says there are none', () => {
    const m = trayModel(appState(), now, 'en');
    expect(m).toMatchObject({ icon: 'setup', statusLine: 'Set up your first backup' });
    expect(labels(m.items)).toContain('no backup plans yet');
  });

  it('icon and status are the overall status for every level, and every level has its icon files', () => {
    const byLevel: Record<(typeof STATUS_LEVELS)[number], AppState> = {
      setup: bareAppState(),
      ok: appState({ plans: [plan('H', { status: 'success' })] }),
      running: appState({ plans: [plan('H')], running: [running(1, 'H')] }),
      cancelling: appState({ plans: [plan('H')], running: [running(1, 'H', { status: 'cancelling' })] }),
      stalled: appState({ plans: [plan('H')], running: [running(1, 'H', { status: 'stalled' })] }),
      paused: appState({ plans: [plan('H')], pausedUntil: 'forever' }),
      warning: appState({ plans: [plan('H', { status: 'warning' })] }),
      error: appState({ plans: [plan('H', { status: 'error' })] }),
      postponed: appState({ plans: [plan('H', { status: 'success' }, { postponed: { reason: 'on-battery', since: iso(local(14, 3)) } })] }),
    };
    for (const level of STATUS_LEVELS) {
      const m = trayModel(byLevel[level], now, 'en');
      expect(m.status, level).toEqual(deriveOverallStatus(byLevel[level], now));
      expect(m.status.level, level).toBe(level);
      expect(m.icon, level).toBe(TRAY_ICON_BY_LEVEL[level]);
      for (const platform of ['darwin', 'linux', 'win32'] as const) {
        const file = trayIconFile('assets', m.icon, platform);
        expect(existsSync(file), file).toBe(true);
        expect(existsSync(file.replace(/\.png$/, '@2x.png')), file).toBe(true);
      }
    }
    expect(new Set(Object.values(TRAY_ICON_BY_LEVEL)).size).toBe(STATUS_LEVELS.length);
  });

  it('every icon has every size of the set: 16, 22 and 32 px, @2x, and the macOS template images', () => {
    for (const icon of new Set(Object.values(TRAY_ICON_BY_LEVEL))) {
      for (const size of [16, 22, 32]) {
        for (const variant of ['', '@2x', 'Template', 'Template@2x']) {
          const file = `assets/tray/tray-${icon}-${size}${variant}.png`;
          expect(existsSync(file), file).toBe(true);
        }
      }
    }
  });

  it('a plan that never ran', () => {
    expect(item(trayModel(appState({ plans: [plan('New')] }), now, 'en').items, 'New').label).toBe('New - never backed up');
  });

  it('speaks Chinese', () => {
    const state = appState({
      plans: [plan('Photos'), plan('Home', { status: 'success', endedAt: iso(local(14, 0)) })],
      running: [running(9, 'Photos', { status: 'stalled', stalledSince: iso(local(14, 3)) })],
    });
    const m = trayModel(state, now, 'zh-CN');
    expect(m.statusLine).toBe('Photos 自 14:03 起已停滞');
    expect(item(m.items, 'Photos').submenu?.map((i) => (i.type === 'item' ? i.label : ''))).toEqual(['取消', '继续等待']);
    expect(item(m.items, 'Home').label).toBe('Home - 成功 2 小时前');
    expect(item(m.items, 'Home').submenu?.[0]).toMatchObject({ label: '立即备份' });
    expect(labels(m.items)).toContain('暂停计划');
  });
});

describe('trayModel: a scheduled run postponed by its conditions', () => {
  const since = iso(local(14, 3));
  const home = (reason: PostponeReason = 'on-battery', last: Partial<LastOp> | null = { status: 'success', endedAt: iso(local(13, 0)) }) =>
    plan('Home', last, { lastSuccessAt: iso(local(13, 0)), postponed: { reason, since } });
  const words: Record<PostponeReason, [string, string]> = {
    'on-battery': ['on battery', '正在使用电池'],
    'battery-low': ['battery low', '电量低'],
    'battery-unknown': ['battery state unknown', '电池状态未知'],
    metered: ['metered connection', '按流量计费的网络'],
    'metered-unknown': ['network type unknown', '网络类型未知'],
    unreachable: ['repository not reachable', '无法连接仓库'],
    'reachable-unknown': ['cannot tell if the repository is reachable', '无法判断仓库是否可连接'],
    'drive-missing': ['drive not connected', '磁盘未连接'],
    'drive-unknown': ['cannot tell if the drive is connected', '无法判断磁盘是否已连接'],
  };

  it.each(POSTPONE_REASONS.map((r) => [r]))('%s: the clock icon, and the status line says which plan, since when and why', (reason) => {
    const state = appState({ plans: [home(reason)] });
    const [en, zh] = words[reason];
    const m = trayModel(state, now, 'en');
    expect(m.icon).toBe('postponed');
    expect(m.statusLine).toBe(`Home postponed since 14:03: ${en}`);
    expect(m.tooltip).toBe(`Backstay\nHome postponed since 14:03: ${en}\nLast backup 3 h ago`);
    expect(labels(m.items)[0]).toBe(`Backstay - Home postponed since 14:03: ${en}`);
    expect(item(m.items, 'Home').label).toBe('Home - ok 3 h ago, postponed 14:03');
    expect(trayModel(state, now, 'zh-CN').statusLine).toBe(`Home 自 14:03 起已推迟：${zh}`);
  });

  it('two plans held back: the first in the status line with "+1 more", both in the tooltip', () => {
    const state = appState({
      plans: [home('metered'), plan('Work', { status: 'success', endedAt: iso(local(15, 0)) }, { postponed: { reason: 'drive-missing', since: iso(local(15, 30)) } })],
    });
    const m = trayModel(state, now, 'en');
    expect(m.statusLine).toBe('Home postponed since 14:03: metered connection (+1 more)');
    expect(m.tooltip.split('\n')).toEqual([
      'Backstay',
      'Home postponed since 14:03: metered connection (+1 more)',
      'Last backup 3 h ago', // from lastSuccessAt, which only Home has
      'Work postponed since 15:30: drive not connected',
    ]);
  });

  it('a postponement from an earlier day says the day', () => {
    const m = trayModel(appState({ plans: [plan('Home', null, { postponed: { reason: 'on-battery', since: iso(local(22, 15, 24)) } })] }), now, 'en');
    expect(m.statusLine).toBe('Home postponed since 24 Nov 22:15: on battery');
  });

  it.each<[string, Partial<AppState>, string, string]>([
    ['a failed backup of another plan', { plans: [home(), plan('Work', { status: 'error' })] }, 'error', 'Work: last backup failed'],
    ['a running backup', { plans: [home(), plan('Work')], running: [running(5, 'Work')] }, 'running', 'Backing up Work'],
    ['paused schedules', { plans: [home()], pausedUntil: 'forever' }, 'paused', 'schedules paused'],
  ])('with %s the other wins the icon; the tooltip still names the held-back plan', (_name, partial, icon, line) => {
    const m = trayModel(appState(partial), now, 'en');
    expect(m.icon).toBe(icon);
    expect(m.statusLine).toBe(line);
    expect(m.tooltip).toContain('Home postponed since 14:03: on battery');
  });
});

// Every reason kind the host can give has its own words in the tray, in both languages (never the kind's name).
describe('tray words for every reason kind', () => {
  const kinds = Object.keys(REASON_LEVELS) as StatusReasonKind[];
  const now = local(15, 0);
  it.each(kinds.flatMap((kind) => (['en', 'zh-CN'] as const).map((lang) => ({ kind, lang }))))('$kind in $lang', ({ kind, lang }) => {
    const reason = { kind, planId: 'home', repoId: 'nas', opId: 7, since: now.toISOString(), warningId: 'w', condition: 'on-battery' } as StatusReason;
    const state = bareAppState({ plans: [plan('home')], running: [running(7, 'home')], warnings: [{ id: 'w', kind: 'storage', message: 'disk full', since: now.toISOString() } as never] });
    const line = reasonLine(reason, state, now, lang);
    expect(line).not.toBe(kind);
    expect(line).not.toBe('');
  });
});

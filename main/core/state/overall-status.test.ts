import { describe, expect, it } from 'vitest';
import type { AppState, PlanState, PostponeReason, RepoState, RunningOp, StatusLevel, StatusReason } from '../../common/index.js';
import { POSTPONE_REASONS, STATUS_LEVELS } from '../../common/index.js';
import { deriveOverallStatus, LEVEL_PRECEDENCE, nextStatusChangeAt, REASON_LEVELS, sameOverallStatus } from './overall-status.js';
import { AppStateStore } from './app-state.js';
import { appState, local, plan, running } from './testing/app-state.js';

const now = local(16, 0);
const iso = (d: Date) => d.toISOString();
const daysAgo = (n: number) => iso(new Date(now.getTime() - n * 86_400_000));
const repo = (id: string, patch: Partial<RepoState> = {}): RepoState => ({
  id,
  uri: `/srv/${id}`,
  passwordKind: 'file',
  envKeys: [],
  health: 'ok',
  lastError: null,
  ...patch,
});
const hourly = { cron: '0 * * * *' };
/** A configured install whose one plan last succeeded an hour ago: the baseline every row changes one thing of. */
const configured = (patch: Partial<AppState> = {}): AppState =>
  appState({
    repos: [repo('nas')],
    plans: [plan('home', { opId: 1, status: 'success', endedAt: iso(local(15, 0)) }, { lastSuccessAt: iso(local(15, 0)), schedule: hourly })],
    settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4, noSuccessWarnDays: 7 },
    ...patch,
  });
const kinds = (reasons: StatusReason[]) => reasons.map((r) => r.kind);
/** The baseline's plan, whose next scheduled run waits for a condition since 14:03. */
const postponedHome = (reason: PostponeReason = 'on-battery', since = iso(local(14, 3))): PlanState =>
  plan('home', { opId: 1, status: 'success', endedAt: iso(local(13, 0)) }, { lastSuccessAt: iso(local(13, 0)), schedule: hourly, postponed: { reason, since } });

describe('deriveOverallStatus: one row per condition', () => {
  const rows: Array<{ name: string; state: AppState; level: StatusLevel; reasons: Partial<StatusReason>[] }> = [
    { name: 'everything fine', state: configured(), level: 'ok', reasons: [] },
    { name: 'empty install', state: appState(), level: 'setup', reasons: [{ kind: 'no-repos' }, { kind: 'no-plans' }] },
    { name: 'a repository but no plan', state: appState({ repos: [repo('nas')] }), level: 'setup', reasons: [{ kind: 'no-plans' }] },
    { name: 'a plan but no repository', state: configured({ repos: [] }), level: 'setup', reasons: [{ kind: 'no-repos' }] },
    {
      name: 'config.json unreadable (no setup hint: the lists are empty because the file could not be read)',
      state: appState({ configError: 'config.json: bad JSON' }),
      level: 'error',
      reasons: [{ kind: 'config-error' }],
    },
    {
      name: 'restic missing',
      state: configured({ restic: { path: null, version: null, error: 'restic was not found' } }),
      level: 'error',
      reasons: [{ kind: 'restic-missing' }],
    },
    {
      name: 'repository error (wrong password, unreachable)',
      state: configured({ repos: [repo('nas', { health: 'error', lastError: 'wrong password' })] }),
      level: 'error',
      reasons: [{ kind: 'repo-error', repoId: 'nas' }],
    },
    {
      name: 'repository error with no plan yet: the error, then the setup hint',
      state: appState({ repos: [repo('nas', { health: 'error' })] }),
      level: 'error',
      reasons: [{ kind: 'repo-error', repoId: 'nas' }, { kind: 'no-plans' }],
    },
    {
      name: 'a repository not created yet (nothing at its location): a step of setting up, not a failure',
      state: configured({ repos: [repo('nas', { health: 'error', lastError: 'There is no restic repository at the location of "nas" yet.', lastErrorCode: 'NO_REPOSITORY' })] }),
      level: 'setup',
      reasons: [{ kind: 'repo-missing', repoId: 'nas' }],
    },
    {
      name: 'a repository gone from under a plan whose backup failed for it: the failure is the news',
      state: configured({
        repos: [repo('nas', { health: 'error', lastErrorCode: 'NO_REPOSITORY' })],
        plans: [plan('home', { opId: 4, status: 'error', endedAt: iso(local(15, 30)) }, { lastSuccessAt: iso(local(14, 0)), schedule: hourly })],
      }),
      level: 'error',
      reasons: [
        { kind: 'last-error', planId: 'home', repoId: 'nas', opId: 4, since: iso(local(15, 30)) },
        { kind: 'repo-missing', repoId: 'nas' },
      ],
    },
    { name: 'repository locked', state: configured({ repos: [repo('nas', { health: 'locked' })] }), level: 'warning', reasons: [{ kind: 'repo-locked', repoId: 'nas' }] },
    { name: 'repository health unknown is not a problem', state: configured({ repos: [repo('nas', { health: 'unknown' })] }), level: 'ok', reasons: [] },
    {
      name: 'last backup failed',
      state: configured({ plans: [plan('home', { opId: 4, status: 'error', endedAt: iso(local(15, 30)) }, { lastSuccessAt: iso(local(14, 0)), schedule: hourly })] }),
      level: 'error',
      reasons: [{ kind: 'last-error', planId: 'home', repoId: 'nas', opId: 4, since: iso(local(15, 30)) }],
    },
    {
      name: 'last backup interrupted',
      state: configured({ plans: [plan('home', { opId: 4, status: 'interrupted' }, { lastSuccessAt: iso(local(14, 0)) })] }),
      level: 'error',
      reasons: [{ kind: 'last-interrupted', planId: 'home', opId: 4 }],
    },
    {
      name: 'last backup ended with warnings',
      state: configured({ plans: [plan('home', { opId: 5, status: 'warning' }, { lastSuccessAt: iso(local(15, 0)) })] }),
      level: 'warning',
      reasons: [{ kind: 'last-warning', planId: 'home', opId: 5 }],
    },
    {
      name: 'a later success clears an earlier failure (the last backup decides)',
      state: configured({ plans: [plan('home', { opId: 6, status: 'success' }, { lastSuccessAt: iso(local(15, 0)) })] }),
      level: 'ok',
      reasons: [],
    },
    {
      name: 'a cancelled last backup is not a problem by itself',
      state: configured({ plans: [plan('home', { opId: 6, status: 'cancelled' }, { lastSuccessAt: iso(local(15, 0)) })] }),
      level: 'ok',
      reasons: [],
    },
    {
      name: 'overdue: a scheduled plan without a success for more than noSuccessWarnDays',
      state: configured({ plans: [plan('home', { status: 'success' }, { lastSuccessAt: daysAgo(8), schedule: hourly })] }),
      level: 'warning',
      reasons: [{ kind: 'overdue', planId: 'home', since: daysAgo(8) }],
    },
    {
      name: 'overdue: a scheduled plan that ran but never succeeded',
      state: configured({ plans: [plan('home', { status: 'cancelled' }, { lastSuccessAt: null, schedule: hourly })] }),
      level: 'warning',
      reasons: [{ kind: 'overdue', planId: 'home' }],
    },
    {
      name: 'overdue: a manual plan too (the engine reminds of it, so the header must not say OK)',
      state: configured({ plans: [plan('manual', { status: 'success' }, { lastSuccessAt: daysAgo(30), schedule: null })] }),
      level: 'warning',
      reasons: [{ kind: 'overdue', planId: 'manual', since: daysAgo(30) }],
    },
    {
      name: 'not overdue: within the days, plans that never ran, a first backup still running',
      state: configured({
        plans: [
          plan('first', { status: 'running' }, { lastSuccessAt: null, schedule: hourly }),
          plan('fresh', { status: 'success' }, { lastSuccessAt: daysAgo(6.9), schedule: hourly }),
          plan('new', null, { schedule: { everyMinutes: 60 } }),
          plan('new-manual', null, { schedule: null }),
        ],
      }),
      level: 'ok',
      reasons: [],
    },
    {
      name: 'noSuccessWarnDays null turns overdue off',
      state: configured({
        plans: [plan('home', { status: 'success' }, { lastSuccessAt: daysAgo(30), schedule: hourly })],
        settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4, noSuccessWarnDays: null },
      }),
      level: 'ok',
      reasons: [],
    },
    {
      name: "the engine's no-success warning is not counted twice",
      state: configured({
        plans: [plan('home', { status: 'success' }, { lastSuccessAt: daysAgo(8), schedule: hourly })],
        warnings: [{ id: 'no-success:home', kind: 'no-success', level: 'warning', message: 'home has not been backed up since …', planId: 'home' }],
      }),
      level: 'warning',
      reasons: [{ kind: 'overdue', planId: 'home' }],
    },
    {
      name: 'a no-success warning is known by its kind, not by its id',
      state: configured({
        plans: [plan('home', { status: 'success' }, { lastSuccessAt: daysAgo(8), schedule: hourly })],
        warnings: [{ id: 'overdue/home', kind: 'no-success', level: 'warning', message: 'home has not been backed up since …', planId: 'home' }],
      }),
      level: 'warning',
      reasons: [{ kind: 'overdue', planId: 'home' }],
    },
    {
      name: 'a warning whose id merely starts with "no-success:" is shown',
      state: configured({ warnings: [{ id: 'no-success:home', kind: 'storage', level: 'error', message: 'The operation log cannot be written.' }] }),
      level: 'error',
      reasons: [{ kind: 'app-error', warningId: 'no-success:home' }],
    },
    {
      name: 'paused until a later time',
      state: configured({ pausedUntil: iso(local(17, 0)) }),
      level: 'paused',
      reasons: [{ kind: 'paused' }],
    },
    { name: 'paused until resumed', state: configured({ pausedUntil: 'forever' }), level: 'paused', reasons: [{ kind: 'paused' }] },
    { name: 'a pause that has ended is no pause', state: configured({ pausedUntil: iso(local(15, 0)) }), level: 'ok', reasons: [] },
    {
      name: 'postponed: a scheduled run waits for its condition (which plan, why, since when)',
      state: configured({ plans: [postponedHome('on-battery')] }),
      level: 'postponed',
      reasons: [{ kind: 'postponed', planId: 'home', repoId: 'nas', since: iso(local(14, 3)), condition: 'on-battery' }],
    },
    {
      name: 'a plan that waits for nothing (postponed null) is not postponed',
      state: configured({ plans: [{ ...postponedHome(), postponed: null }] }),
      level: 'ok',
      reasons: [],
    },
    {
      name: 'running',
      state: configured({ running: [running(9, 'home')] }),
      level: 'running',
      reasons: [{ kind: 'running', opId: 9, planId: 'home', repoId: 'nas', since: '2026-11-25T10:00:00.000Z' }],
    },
    {
      name: 'running but waiting for the backend (before the stall threshold)',
      state: configured({ running: [running(9, 'home', { waitingSince: iso(local(15, 59)) })] }),
      level: 'running',
      reasons: [{ kind: 'waiting', opId: 9, since: iso(local(15, 59)) }],
    },
    { name: 'queued', state: configured({ running: [running(9, 'home', { status: 'queued' })] }), level: 'running', reasons: [{ kind: 'queued', opId: 9 }] },
    {
      name: 'a repository operation without a plan',
      state: configured({ running: [running(3, null, { kind: 'prune' })] }),
      level: 'running',
      reasons: [{ kind: 'running', opId: 3, repoId: 'nas' }],
    },
    {
      name: 'stalled',
      state: configured({ running: [running(9, 'home', { status: 'stalled', stalledSince: iso(local(14, 3)) })] }),
      level: 'stalled',
      reasons: [{ kind: 'stalled', opId: 9, planId: 'home', since: iso(local(14, 3)) }],
    },
    {
      name: 'cancelling',
      state: configured({ running: [running(9, 'home', { status: 'cancelling', cancel: { requestedAt: iso(local(15, 58)), stage: 'interrupt' } })] }),
      level: 'cancelling',
      reasons: [{ kind: 'cancelling', opId: 9, planId: 'home', since: iso(local(15, 58)) }],
    },
    {
      name: 'an app error (the oplog cannot be written)',
      state: configured({ warnings: [{ id: 'storage', kind: 'storage', level: 'error', message: 'The operation log cannot be written.' }] }),
      level: 'error',
      reasons: [{ kind: 'app-error', warningId: 'storage' }],
    },
    {
      name: 'an app warning',
      state: configured({ warnings: [{ id: 'keychain', kind: 'oplog-corrupt', level: 'warning', message: 'The keychain is not available.', planId: 'home' }] }),
      level: 'warning',
      reasons: [{ kind: 'app-warning', warningId: 'keychain', planId: 'home' }],
    },
  ];

  it.each(rows)('$name -> $level', ({ state, level, reasons }) => {
    const status = deriveOverallStatus(state, now);
    expect(status.level).toBe(level);
    expect(status.reasons).toHaveLength(reasons.length);
    status.reasons.forEach((r, i) => expect(r).toMatchObject(reasons[i]!));
  });

  it('covers every level', () => {
    const seen = new Set(rows.map((r) => r.level));
    expect([...seen].sort()).toEqual([...STATUS_LEVELS].sort());
    expect([...LEVEL_PRECEDENCE].sort()).toEqual([...STATUS_LEVELS].sort());
  });

  it('reasons carry no undefined or null fields (they travel as JSON)', () => {
    for (const { state } of rows) {
      for (const r of deriveOverallStatus(state, now).reasons) {
        for (const value of Object.values(r)) expect(value).not.toBeUndefined();
        for (const value of Object.values(r)) expect(value).not.toBeNull();
      }
    }
  });
});

describe('deriveOverallStatus: precedence and combinations', () => {
  // One condition per level; every pair must resolve to the more urgent one, and keep both reasons.
  const conditions: Record<Exclude<StatusLevel, 'ok'>, Partial<AppState>> = {
    error: { repos: [repo('nas', { health: 'error' })] },
    stalled: { running: [running(1, 'home', { status: 'stalled', stalledSince: iso(local(15, 0)) })] },
    cancelling: { running: [running(2, 'home', { status: 'cancelling', cancel: { requestedAt: iso(local(15, 0)), stage: 'terminate' } })] },
    warning: { warnings: [{ id: 'w', kind: 'oplog-corrupt', level: 'warning', message: 'm' }] },
    running: { running: [running(3, 'home')] },
    setup: { plans: [] },
    paused: { pausedUntil: 'forever' },
    postponed: { plans: [postponedHome()] },
  };
  const levels = Object.keys(conditions) as Exclude<StatusLevel, 'ok'>[];
  // Setup here is "no plan", and a postponed run needs one: that pair is in the table below with "no repository".
  const cannotCombine = (a: string, b: string) => [a, b].includes('setup') && [a, b].includes('postponed');
  const pairs = levels.flatMap((a) => levels.filter((b) => b !== a && !cannotCombine(a, b)).map((b) => [a, b] as const));
  const combine = (a: Partial<AppState>, b: Partial<AppState>): Partial<AppState> => ({
    ...a,
    ...b,
    running: [...(a.running ?? []), ...(b.running ?? [])],
    ...(a.repos || b.repos ? { repos: a.repos ?? b.repos! } : {}),
  });

  it.each(pairs)('%s with %s', (a, b) => {
    const status = deriveOverallStatus(configured(combine(conditions[a], conditions[b])), now);
    const winner = LEVEL_PRECEDENCE.indexOf(a) < LEVEL_PRECEDENCE.indexOf(b) ? a : b;
    expect(status.level).toBe(winner);
    const reasonLevels = status.reasons.map((r) => REASON_LEVELS[r.kind as keyof typeof REASON_LEVELS]);
    expect(reasonLevels).toContain(a);
    expect(reasonLevels).toContain(b);
  });

  // Postponed against every level it can meet, the winner written down (not read from LEVEL_PRECEDENCE): a held-back
  // run never hides a problem or a running operation, nor the user's own pause, and never reads as "ok".
  const withPostponed: Array<{ other: string; state: AppState; winner: StatusLevel }> = [
    { other: 'error (a repository fails)', state: configured({ plans: [postponedHome()], repos: [repo('nas', { health: 'error' })] }), winner: 'error' },
    {
      other: 'error (the last backup failed)',
      state: configured({ plans: [{ ...postponedHome(), lastOp: { ...postponedHome().lastOp!, status: 'error' } }] }),
      winner: 'error',
    },
    { other: 'stalled', state: configured({ plans: [postponedHome()], running: [running(1, 'docs', { status: 'stalled' })] }), winner: 'stalled' },
    { other: 'cancelling', state: configured({ plans: [postponedHome()], running: [running(1, 'docs', { status: 'cancelling' })] }), winner: 'cancelling' },
    {
      other: 'warning (waited so long that the plan is overdue)',
      state: configured({ plans: [{ ...postponedHome('metered', daysAgo(8)), lastSuccessAt: daysAgo(8) }] }),
      winner: 'warning',
    },
    { other: 'warning (an app warning)', state: configured({ plans: [postponedHome()], warnings: [{ id: 'w', kind: 'oplog-corrupt', level: 'warning', message: 'm' }] }), winner: 'warning' },
    { other: 'running (another plan)', state: configured({ plans: [postponedHome()], running: [running(1, 'docs')] }), winner: 'running' },
    { other: 'running (Back up now of the same plan)', state: configured({ plans: [postponedHome()], running: [running(1, 'home')] }), winner: 'running' },
    { other: 'queued', state: configured({ plans: [postponedHome()], running: [running(1, 'docs', { status: 'queued' })] }), winner: 'running' },
    { other: 'setup (no repository)', state: configured({ plans: [postponedHome()], repos: [] }), winner: 'setup' },
    { other: 'paused (until resumed)', state: configured({ plans: [postponedHome()], pausedUntil: 'forever' }), winner: 'paused' },
    { other: 'paused (until a later time)', state: configured({ plans: [postponedHome()], pausedUntil: iso(local(17, 0)) }), winner: 'paused' },
    { other: 'a pause that has ended', state: configured({ plans: [postponedHome()], pausedUntil: iso(local(15, 0)) }), winner: 'postponed' },
    { other: 'ok (another plan fine)', state: configured({ plans: [postponedHome(), plan('docs', { status: 'success' }, { lastSuccessAt: iso(local(15, 0)) })] }), winner: 'postponed' },
  ];
  it.each(withPostponed)('postponed with $other -> $winner, the postponed reason kept', ({ state, winner }) => {
    const status = deriveOverallStatus(state, now);
    expect(status.level).toBe(winner);
    expect(status.reasons.filter((r) => r.kind === 'postponed')).toEqual([
      { kind: 'postponed', planId: 'home', repoId: 'nas', since: state.plans[0]!.postponed!.since, condition: state.plans[0]!.postponed!.reason },
    ]);
  });

  it('each postponed plan is a reason of its own, in plan order, saying which condition', () => {
    const state = configured({
      plans: [
        postponedHome('drive-missing'),
        plan('docs', { status: 'success' }, { lastSuccessAt: iso(local(15, 0)) }),
        plan('photos', { status: 'success' }, { lastSuccessAt: iso(local(15, 0)), postponed: { reason: 'reachable-unknown', since: iso(local(15, 30)) } }),
      ],
    });
    const status = deriveOverallStatus(state, now);
    expect(status).toEqual({
      level: 'postponed',
      reasons: [
        { kind: 'postponed', planId: 'home', repoId: 'nas', since: iso(local(14, 3)), condition: 'drive-missing' },
        { kind: 'postponed', planId: 'photos', repoId: 'nas', since: iso(local(15, 30)), condition: 'reachable-unknown' },
      ],
    });
  });

  it.each(POSTPONE_REASONS.map((r) => [r]))('every condition postpones alike (%s)', (condition) => {
    const status = deriveOverallStatus(configured({ plans: [postponedHome(condition)] }), now);
    expect(status).toMatchObject({ level: 'postponed', reasons: [{ kind: 'postponed', condition }] });
  });

  it('keeps every reason, most urgent first, ties in state order (config, restic, repos, plans, running, warnings)', () => {
    const state = configured({
      restic: { path: null, version: null, error: 'not found' },
      repos: [repo('nas', { health: 'error' }), repo('usb', { health: 'locked' })],
      plans: [
        plan('home', { opId: 1, status: 'error' }, { schedule: hourly, lastSuccessAt: daysAgo(9) }),
        plan('docs', { opId: 2, status: 'warning' }, { lastSuccessAt: iso(local(15, 0)) }),
      ],
      running: [
        running(7, 'docs'),
        running(8, null, { kind: 'check', status: 'stalled' }),
        running(9, 'home', { status: 'cancelling', cancel: { requestedAt: iso(local(15, 59)), stage: 'kill' } }),
        running(10, 'home', { status: 'queued' }),
      ],
      warnings: [{ id: 'storage', kind: 'storage', level: 'error', message: 'oplog' }],
      pausedUntil: 'forever',
    });
    const status = deriveOverallStatus(state, now);
    expect(status.level).toBe('error');
    expect(kinds(status.reasons)).toEqual([
      'restic-missing',
      'repo-error',
      'last-error',
      'app-error',
      'stalled',
      'cancelling',
      'repo-locked',
      'overdue', // plan home comes before plan docs
      'last-warning',
      'running',
      'queued',
      'paused',
    ]);
  });

  it('the main reason of "Repository nas: wrong password" wins over the plan that failed because of it', () => {
    const state = configured({
      repos: [repo('nas', { health: 'error', lastError: 'wrong password' })],
      plans: [plan('home', { status: 'error' })],
    });
    expect(deriveOverallStatus(state, now).reasons[0]).toEqual({ kind: 'repo-error', repoId: 'nas' });
  });

  it('several live operations: stalled wins over cancelling over running, all listed', () => {
    const state = configured({
      running: [running(1, 'a'), running(2, 'b', { status: 'cancelling' }), running(3, 'c', { status: 'stalled' })],
    });
    const status = deriveOverallStatus(state, now);
    expect(status.level).toBe('stalled');
    expect(status.reasons.map((r) => r.opId)).toEqual([3, 2, 1]);
  });
});

describe('nextStatusChangeAt', () => {
  it('is the end of a timed pause or the moment a scheduled plan becomes overdue, whichever comes first', () => {
    const lastSuccess = daysAgo(6.5);
    const overdueAt = Date.parse(lastSuccess) + 7 * 86_400_000 + 1;
    const state = configured({ plans: [plan('home', { status: 'success' }, { lastSuccessAt: lastSuccess, schedule: hourly })] });
    expect(nextStatusChangeAt(state, now)).toBe(overdueAt);
    expect(deriveOverallStatus(state, new Date(overdueAt - 1)).level).toBe('ok');
    expect(deriveOverallStatus(state, new Date(overdueAt)).level).toBe('warning');
    expect(nextStatusChangeAt({ ...state, pausedUntil: iso(local(17, 0)) }, now)).toBe(local(17, 0).getTime());
    expect(nextStatusChangeAt({ ...state, pausedUntil: 'forever' }, now)).toBe(overdueAt);
    expect(nextStatusChangeAt(configured({ plans: [plan('m', null, { schedule: null, lastSuccessAt: daysAgo(1) })] }), now)).toBeNull();
  });
});

describe('sameOverallStatus', () => {
  it('compares level and every reason field', () => {
    const a = deriveOverallStatus(configured({ running: [running(1, 'home')] }), now);
    expect(sameOverallStatus(a, deriveOverallStatus(configured({ running: [running(1, 'home')] }), now))).toBe(true);
    expect(sameOverallStatus(a, deriveOverallStatus(configured({ running: [running(2, 'home')] }), now))).toBe(false);
    expect(sameOverallStatus(undefined, a)).toBe(false);
  });

  it('a postponed plan whose condition changes (on battery -> battery low) is a new status', () => {
    const a = deriveOverallStatus(configured({ plans: [postponedHome('on-battery')] }), now);
    expect(sameOverallStatus(a, deriveOverallStatus(configured({ plans: [postponedHome('on-battery')] }), now))).toBe(true);
    expect(sameOverallStatus(a, deriveOverallStatus(configured({ plans: [postponedHome('battery-low')] }), now))).toBe(false);
  });
});

describe('AppStateStore publishes the status with every snapshot', () => {
  /** A clock the test moves by hand; timers fire when it passes their time. */
  function manualClock(start: number) {
    let t = start;
    const timers = new Set<{ at: number; fn: () => void }>();
    return {
      now: () => t,
      setTimeout: (fn: () => void, ms: number) => {
        const timer = { at: t + ms, fn };
        timers.add(timer);
        return timer;
      },
      clearTimeout: (h: unknown) => void timers.delete(h as { at: number; fn: () => void }),
      advance(ms: number) {
        t += ms;
        for (const timer of [...timers]) {
          if (timer.at <= t) {
            timers.delete(timer);
            timer.fn();
          }
        }
      },
      get pending() {
        return timers.size;
      },
    };
  }

  it('derives it at construction and on every change, keeping the same object while it does not change', () => {
    const clock = manualClock(now.getTime());
    const store = new AppStateStore({ ...appState(), version: 0 }, clock);
    expect(store.current.status).toEqual({ level: 'setup', reasons: [{ kind: 'no-repos' }, { kind: 'no-plans' }] });
    store.setRepos([repo('nas', { health: 'error', lastError: 'wrong password' })]);
    expect(store.current.status?.level).toBe('error');
    store.setPlans([plan('home')]);
    const before = store.current.status;
    store.setNextRuns(new Map([['home', iso(local(17, 0))]]));
    expect(store.current.status).toBe(before);
  });

  it('a progress line keeps the status object; every change of what the status reads re-derives it', () => {
    const store = new AppStateStore(configured({ running: [running(9, 'home')] }), manualClock(now.getTime()));
    const before = store.current.status;
    store.patchRunning(9, { progress: { bytesDone: 123, percent: 0.5 } });
    expect(store.current.status).toBe(before);
    const patches: Array<[Partial<RunningOp>, string]> = [
      [{ waitingSince: iso(local(15, 59)) }, 'waiting'],
      [{ waitingSince: null, status: 'stalled', stalledSince: iso(local(15, 58)) }, 'stalled'],
      [{ status: 'running', stalledSince: null }, 'running'],
      [{ status: 'cancelling', cancel: { requestedAt: iso(local(15, 59)), stage: 'interrupt' } }, 'cancelling'],
    ];
    for (const [patch, kind] of patches) {
      store.patchRunning(9, patch);
      expect(store.current.status?.reasons.map((r) => r.kind), kind).toEqual([kind]);
    }
    store.patchRunning(9, { cancel: { requestedAt: iso(local(15, 59, 26)), stage: 'terminate' } });
    expect(store.current.status?.reasons[0]?.since).toBe(iso(local(15, 59, 26)));
  });

  it('re-derives when the conditions postpone a plan and when the postponement ends', () => {
    const store = new AppStateStore(configured(), manualClock(now.getTime()));
    expect(store.current.status?.level).toBe('ok');
    store.setPostponed(new Map([['home', { reason: 'metered', since: iso(local(15, 50)) }]]));
    expect(store.current.status).toEqual({
      level: 'postponed',
      reasons: [{ kind: 'postponed', planId: 'home', repoId: 'nas', since: iso(local(15, 50)), condition: 'metered' }],
    });
    store.setPostponed(new Map([['home', { reason: 'metered-unknown', since: iso(local(15, 50)) }]]));
    expect(store.current.status?.reasons[0]?.condition).toBe('metered-unknown');
    store.setPostponed(new Map());
    expect(store.current.status).toEqual({ level: 'ok', reasons: [] });
  });

  it('re-derives when time alone changes it: a pause ends, a plan becomes overdue', () => {
    const clock = manualClock(now.getTime());
    const store = new AppStateStore(configured({ plans: [plan('home', { status: 'success' }, { lastSuccessAt: daysAgo(6), schedule: hourly })] }), clock);
    const published: AppState[] = [];
    store.addSink({ publish: (s) => published.push(s) });
    store.setPausedUntil(iso(new Date(now.getTime() + 3_600_000)));
    expect(store.current.status?.level).toBe('paused');
    clock.advance(3_600_000);
    expect(store.current.status?.level).toBe('ok');
    store.setPausedUntil(null);
    clock.advance(86_400_000);
    expect(store.current.status).toMatchObject({ level: 'warning', reasons: [{ kind: 'overdue', planId: 'home' }] });
    expect(published.at(-1)).toBe(store.current);
    expect(clock.pending).toBe(0);
  });
});

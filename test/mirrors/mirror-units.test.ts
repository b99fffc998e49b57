// Mirrors (issue 15), the pure parts: the lag from the oplog, the overall status and its timer, /metrics, the tray and
// the notification words, config validation with JSON paths, restic copy's output, and the source's environment.
import { describe, expect, it } from 'vitest';
import type { MirrorState, Operation } from '../../main/common/index.js';
import { configSchema, findReferenceProblems, type RepoConfig } from '../../main/core/config/schema.js';
import { validateConfig } from '../../main/core/config/validate.js';
import { buildFromRepoEnv, copyTask } from '../../main/core/jobs/copy-task.js';
import type { TaskContext } from '../../main/core/jobs/task.js';
import { TASKS } from '../../main/core/jobs/tasks.js';
import { parseResticLine } from '../../main/core/restic/parse.js';
import { resticFeatures } from '../../main/core/restic/binary.js';
import { deriveMirrorState, readMirrorHistory } from '../../main/core/state/mirror-lag.js';
import { deriveOverallStatus, nextStatusChangeAt } from '../../main/core/state/overall-status.js';
import { anOperation } from '../../main/core/state/testing/operations.js';
import { appState, plan } from '../../main/core/state/testing/app-state.js';
import { createMemoryStore } from '../../main/core/oplog/memory-store.js';
import { metricsText } from '../../main/hosts/headless/metrics.js';
import { decideNotifications, emptyNotifyMemo } from '../../main/hosts/electron/notify-model.js';
import { trayModel } from '../../main/hosts/electron/tray-model.js';
import type { ProcessOutcome } from '../../main/core/supervisor/restic-process.js';
import { Scheduler, type ScheduledJob } from '../../main/core/schedule/scheduler.js';
import { RecoveryPolicy } from '../../main/core/jobs/recovery.js';
import { manualClock } from '../../main/core/timers/testing/manual-clock.js';
import { silentLogger } from '../../main/core/logging.js';
import type { BackstayConfig } from '../../main/core/config/schema.js';

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
const backupEnded = (id: number, endedAt: string, status: Operation['status'] = 'success') =>
  anOperation({ id, kind: 'backup', status, startedAt: endedAt, endedAt });
const copyRun = (id: number, startedAt: string, endedAt: string, status: Operation['status'] = 'success') =>
  anOperation({ id, kind: 'copy', repoId: 'usb', status, startedAt, endedAt, params: { sourceRepoId: 'nas' } });

describe('mirror lag: the plan’s successful backups that ended after the last successful copy started', () => {
  const mirror = { repo: 'usb', warnAfterDays: 3, retention: null, schedule: null };
  it.each<[string, Operation[], Operation[], Partial<MirrorState>]>([
    ['never copied, no backup', [], [], { behindSnapshots: 0, behindSince: null, lastCopyAt: null, status: 'ok' }],
    ['never copied, two backups', [backupEnded(1, at(1)), backupEnded(2, at(2))], [], { behindSnapshots: 2, behindSince: at(1), status: 'behind' }],
    ['failed and cancelled backups saved nothing', [backupEnded(1, at(1), 'error'), backupEnded(2, at(2), 'cancelled')], [], { behindSnapshots: 0, status: 'ok' }],
    ['a warning backup saved a snapshot', [backupEnded(1, at(1), 'warning')], [], { behindSnapshots: 1 }],
    [
      'copied after both',
      [backupEnded(1, at(1)), backupEnded(2, at(2))],
      [copyRun(3, at(3), at(3, 13))],
      { behindSnapshots: 0, behindSince: null, lastCopyAt: at(3, 13), status: 'ok' },
    ],
    [
      'one backup after the last good copy, a failed copy after it',
      [backupEnded(1, at(1)), backupEnded(4, at(4))],
      [copyRun(2, at(2), at(2, 13)), copyRun(5, at(5), at(5, 13), 'error')],
      { behindSnapshots: 1, behindSince: at(4), lastCopyAt: at(2, 13), status: 'failed' },
    ],
    [
      'a cancelled copy is no failure',
      [backupEnded(4, at(4))],
      [copyRun(5, at(5), at(5, 13), 'cancelled')],
      { behindSnapshots: 1, status: 'behind', lastError: null },
    ],
    [
      'a later success clears a failure',
      [backupEnded(1, at(1))],
      [copyRun(2, at(2), at(2, 13), 'error'), copyRun(3, at(3), at(3, 13))],
      { behindSnapshots: 0, status: 'ok' },
    ],
  ])('%s', (_what, backups, copies, expected) => {
    expect(deriveMirrorState(mirror, { backups, copies })).toMatchObject({ repo: 'usb', warnAfterDays: 3, ...expected });
  });

  it('reads the oplog: only the plan’s backups in its repository, and its copies to that mirror', () => {
    const store = createMemoryStore();
    const insert = (kind: Operation['kind'], repoId: string, planId: string, endedAt: string) => {
      const op = store.insert({ kind, trigger: 'manual', planId, repoId, ownerPid: 1, ownerStartedAt: at(1), params: kind === 'copy' ? { sourceRepoId: 'nas' } : null });
      store.update(op.id, { status: 'success', startedAt: endedAt, endedAt });
    };
    insert('backup', 'nas', 'home', at(1));
    insert('copy', 'usb', 'home', at(2));
    insert('backup', 'nas', 'home', at(3));
    insert('backup', 'nas', 'work', at(3)); // another plan
    insert('backup', 'old', 'home', at(3)); // the plan's former repository
    insert('copy', 'cloud', 'home', at(4)); // another mirror
    insert('backup', 'nas', 'home', at(5));
    const history = readMirrorHistory(store, { id: 'home', repo: 'nas' }, 'usb');
    expect(deriveMirrorState({ repo: 'usb', warnAfterDays: 3, retention: null, schedule: null }, history)).toMatchObject({ behindSnapshots: 2, behindSince: at(3) });
  });
});

const behind = (extra: Partial<MirrorState> = {}): MirrorState => ({
  repo: 'usb',
  behindSnapshots: 2,
  behindSince: at(1),
  lastCopyAt: null,
  status: 'behind',
  warnAfterDays: 7,
  retention: null,
  schedule: null,
  ...extra,
});
const withMirror = (m: MirrorState) => appState({ plans: [plan('Photos', { opId: 1, status: 'success', endedAt: at(9) }, { lastSuccessAt: at(9), mirrors: [m] })] });

describe('a mirror behind in the overall status, the tray, notifications and /metrics', () => {
  it('is a warning (mirror-behind) only once it lacks a snapshot for more than warnAfterDays, and the store knows when', () => {
    const state = withMirror(behind());
    const before = new Date(Date.parse(at(8)) - 1);
    expect(deriveOverallStatus(state, before).reasons.map((r) => r.kind)).not.toContain('mirror-behind');
    expect(nextStatusChangeAt(state, before)).toBe(Date.parse(at(8)) + 1);
    const after = new Date(Date.parse(at(8)) + 1);
    const status = deriveOverallStatus(state, after);
    expect(status.level).toBe('warning');
    expect(status.reasons).toContainEqual({ kind: 'mirror-behind', planId: 'Photos', repoId: 'usb', since: at(1) });
  });

  it('a failed copy is a warning (mirror-failed) at once', () => {
    const status = deriveOverallStatus(withMirror(behind({ status: 'failed', behindSince: at(9) })), new Date(at(9, 13)));
    expect(status.reasons).toContainEqual({ kind: 'mirror-failed', planId: 'Photos', repoId: 'usb' });
  });

  it('notifies "Photos\' copy on usb is 8 days behind" once, and withdraws it when the mirror catches up', () => {
    const now = new Date(at(9));
    const settings = { notifyOnSuccess: false, lang: 'en' as const, now };
    const first = decideNotifications(null, withMirror(behind()), { ...emptyNotifyMemo(), baseline: true }, settings);
    expect(first.notifications).toEqual([
      expect.objectContaining({ id: 'mirror-behind:Photos:usb', kind: 'mirror-behind', title: "Photos' copy on usb is 8 days behind", urgency: 'normal' }),
    ]);
    const again = decideNotifications(withMirror(behind()), withMirror(behind()), first.memo, settings);
    expect(again.notifications).toEqual([]);
    const caughtUp = decideNotifications(withMirror(behind()), withMirror(behind({ behindSnapshots: 0, behindSince: null, status: 'ok' })), again.memo, settings);
    expect(caughtUp.withdraw).toEqual(['mirror-behind:Photos:usb']);
    const zh = decideNotifications(null, withMirror(behind()), { ...emptyNotifyMemo(), baseline: true }, { ...settings, lang: 'zh-CN' });
    expect(zh.notifications[0]!.title).toBe('Photos 在 usb 上的副本落后 8 天');
  });

  it('the tray says it in the status line and lists every mirror that lacks snapshots in the tooltip', () => {
    const model = trayModel(withMirror(behind()), new Date(at(9)), 'en');
    expect(model.statusLine).toBe("Photos' copy on usb is 8 days behind");
    expect(model.tooltip).toContain("Photos' copy on usb lacks 2 snapshots");
  });

  it('/metrics has the lag per plan and mirror', () => {
    const text = metricsText(withMirror(behind()), new Date(at(9)));
    expect(text).toContain('backstay_mirror_behind_snapshots{plan="Photos",repo="usb"} 2');
    expect(text).toContain(`backstay_mirror_behind_since_timestamp_seconds{plan="Photos",repo="usb"} ${Date.parse(at(1)) / 1000}`);
    expect(text).toContain('backstay_mirror_last_copy_timestamp_seconds{plan="Photos",repo="usb"} 0');
    expect(text).toContain('backstay_status_reasons{kind="mirror-behind",level="warning"} 1');
  });
});

describe('mirror config: errors name the JSON path', () => {
  const repos = [
    { id: 'nas', uri: '/srv/nas', password: { file: '/pw' } },
    { id: 'usb', uri: '/media/usb', password: { file: '/pw' } },
  ];
  const config = (mirrors: unknown[]) => ({ version: 1, repos, plans: [{ id: 'home', repo: 'nas', paths: ['/data'], mirrors }] });
  it.each([
    ['the plan’s own repository', [{ repo: 'nas' }], 'plans[0].mirrors[0].repo', 'another repository than the plan\'s own ("nas")'],
    ['a missing repository', [{ repo: 'cloud' }], 'plans[0].mirrors[0].repo', 'no repository "cloud" (known: nas, usb)'],
    ['the same one twice', [{ repo: 'usb' }, { repo: 'usb' }], 'plans[0].mirrors[1].repo', 'already a mirror of this plan'],
  ])('a mirror that is %s', (_what, mirrors, jsonPath, words) => {
    expect(() => validateConfig(config(mirrors), '/tmp/config.json')).toThrow(jsonPath);
    expect(() => validateConfig(config(mirrors), '/tmp/config.json')).toThrow(words);
  });

  it('defaults: no mirrors; a mirror keeps everything, copies after each backup and warns after 3 days', () => {
    expect(configSchema.parse({ version: 1, repos, plans: [{ id: 'home', repo: 'nas', paths: ['/data'] }] }).plans[0]!.mirrors).toBeUndefined();
    expect(configSchema.parse(config([{ repo: 'usb' }])).plans[0]!.mirrors).toEqual([{ repo: 'usb', retention: null, schedule: null, warnAfterDays: 3 }]);
    expect(findReferenceProblems(config([{ repo: 'usb' }]))).toEqual([]);
  });
});

describe('the copy task', () => {
  const nas: RepoConfig = { id: 'nas', uri: 's3:https://s3.example/nas', password: { command: 'pass nas' }, env: { AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 'secret-nas' }, flags: [] };
  const usb: RepoConfig = { id: 'usb', uri: '/media/usb', password: { file: '/pw-usb' }, env: {}, flags: ['--limit-upload', '500'] };
  const version = { major: 0, minor: 14, patch: 0, raw: '0.14.0' } as never;
  const ctx = (params: unknown = { sourceRepoId: 'nas' }): TaskContext => ({
    kind: 'copy',
    repo: usb,
    plan: { ...configSchema.parse({ version: 1, repos: [nas, usb], plans: [{ id: 'home', repo: 'nas', paths: ['/data'], mirrors: [{ repo: 'usb' }] }] }).plans[0]! },
    params: params as TaskContext['params'],
    version,
    features: resticFeatures(version),
  });

  it('copies the plan’s snapshots by tag into the mirror, with no secret or source on the command line', () => {
    expect(TASKS.copy).toBe(copyTask);
    const args = copyTask.args(ctx());
    expect(args).toEqual(['--limit-upload', '500', 'copy', '--tag', 'backstay:plan=home']);
    expect(copyTask.fromRepoId?.({ sourceRepoId: 'nas' })).toBe('nas');
  });

  it('the source reaches restic as RESTIC_FROM_*, its backend variables as they are, its secrets redacted', () => {
    const { env, secrets } = buildFromRepoEnv(nas, usb, { baseEnv: {} });
    expect(env).toEqual({
      RESTIC_FROM_REPOSITORY: 's3:https://s3.example/nas',
      RESTIC_FROM_PASSWORD_COMMAND: 'pass nas',
      AWS_ACCESS_KEY_ID: 'AKIA1',
      AWS_SECRET_ACCESS_KEY: 'secret-nas',
    });
    expect(secrets).toContain('secret-nas');
    const byEnv = buildFromRepoEnv({ ...nas, env: {}, password: { env: 'NAS_PW' } }, usb, { baseEnv: { NAS_PW: 'hunter22' } });
    expect(byEnv.env).toEqual({ RESTIC_FROM_REPOSITORY: nas.uri, RESTIC_FROM_PASSWORD: 'hunter22' });
    expect(byEnv.secrets).toContain('hunter22');
  });

  it('refuses repositories whose backend variables clash (restic copy has one set for both)', () => {
    expect(() => buildFromRepoEnv(nas, { ...usb, env: { AWS_SECRET_ACCESS_KEY: 'other' } }, { baseEnv: {} })).toThrow(/both set AWS_SECRET_ACCESS_KEY/);
    expect(() => buildFromRepoEnv(nas, { ...usb, env: { AWS_SECRET_ACCESS_KEY: 'secret-nas' } }, { baseEnv: {} })).not.toThrow();
  });

  it.each([
    ['a mirror that is not the plan’s', { ...ctx(), repo: { ...usb, id: 'cloud' } }],
    ['a source that is not the plan’s repository', ctx({ sourceRepoId: 'usb' })],
    ['no source', ctx(null)],
  ])('refuses before restic runs: %s', (_what, c) => {
    expect(() => copyTask.precheck!(c)).toThrow(expect.objectContaining({ code: 'MIRROR_INVALID' }));
  });

  it('reads restic copy’s progress lines as status (packs as files) and its per-snapshot lines for the summary', () => {
    expect(parseResticLine('[0:03] 40.00%  2 / 5 packs copied', { kind: 'copy' })).toEqual({
      type: 'status',
      progress: { percent: 0.4, filesDone: 2, totalFiles: 5 },
    });
    expect(parseResticLine('[0:03] 40.00%  2 / 5 packs copied').type).toBe('text'); // only for copy
    const collected: Record<string, unknown> = {};
    for (const line of [
      'snapshot 7e2b9cd5 of [/data] at 2026-12-01 13:47:43 +0000 UTC)',
      'skipping source snapshot 7e2b9cd5, was already copied to snapshot 31da819b',
      'snapshot 54fb1b60 of [/data] at 2026-12-01 13:47:56 +0000 UTC)',
      '  copy started, this may take a while...',
      'snapshot a1b2c3d4 saved',
    ]) {
      copyTask.collect!(parseResticLine(line, { kind: 'copy' }), collected);
    }
    const outcome = {} as ProcessOutcome;
    expect(copyTask.refine!(outcome, { status: 'success', error: null }, collected, ctx())).toEqual({
      status: 'success',
      error: null,
      summary: { snapshotsCopied: 1, snapshotId: 'a1b2c3d4' },
      snapshotId: 'a1b2c3d4',
    });
    // Nothing new: success names the mirror's copy of a snapshot it already had.
    expect(copyTask.refine!(outcome, { status: 'success', error: null }, { skipped: ['31da819b'] }, ctx())).toMatchObject({ snapshotId: '31da819b', summary: { snapshotsCopied: 0 } });
    // No snapshot of the plan at all: there is nothing a success could name.
    expect(copyTask.refine!(outcome, { status: 'success', error: null }, {}, ctx())).toMatchObject({ status: 'error', error: { code: 'NO_SNAPSHOT' } });
  });
});

describe('a mirror with a schedule of its own', () => {
  it('is a scheduled job of its own (copy, with the plan’s repository as the source); one without is not', () => {
    let now = Date.UTC(2026, 0, 1, 10, 30);
    const fired: ScheduledJob[] = [];
    const scheduler = new Scheduler({
      clock: { now: () => now, setInterval: () => 1, clearInterval: () => undefined },
      wakeDelayMs: 0,
      fire: (job) => fired.push(job),
    });
    scheduler.setJobs([{ id: 'home', repo: 'nas', schedule: null, mirrors: [{ repo: 'usb', schedule: { everyMinutes: 60 } }, { repo: 'cloud', schedule: null }] }], []);
    scheduler.start();
    expect(fired).toEqual([]);
    now += 61 * 60_000;
    scheduler.tick();
    expect(fired).toEqual([{ kind: 'copy', planId: 'home', repoId: 'usb', sourceRepoId: 'nas' }]);
  });
});

describe('a stalled copy', () => {
  it('is cancelled after stalledCancelAfterSeconds (it holds the plan’s repository) and not retried', () => {
    const c = manualClock(Date.parse('2026-03-01T00:00:00Z'));
    const cancelled: number[] = [];
    const enqueued: unknown[] = [];
    const config = { settings: { retryStalled: true, stalledCancelAfterSeconds: 900, retryAttempts: 3, retryBackoffSeconds: 60 } } as unknown as BackstayConfig;
    const policy = new RecoveryPolicy({
      orchestrator: { cancel: (opId: number) => (cancelled.push(opId), true), enqueue: (req: unknown) => (enqueued.push(req), {} as Operation) },
      config: () => config,
      logger: silentLogger,
      clock: c.clock,
    });
    const copy = anOperation({ id: 9, kind: 'copy', repoId: 'usb', status: 'stalled', params: { sourceRepoId: 'nas' } });
    policy.onStatus(copy, 'stall');
    c.advance(900_000 - 1);
    expect(cancelled).toEqual([]);
    c.advance(1);
    expect(cancelled).toEqual([9]);
    policy.onFinished({ ...copy, status: 'cancelled', error: { code: 'CANCELLED', message: 'Cancelled after making no progress for 15 min.' } });
    c.advance(3_600_000);
    expect(enqueued).toEqual([]);
  });
});

// Composes the engine for a host: config, oplog (with reconciliation of what a dead process left), restic
// discovery, the state store and its publisher, the orchestrator, schedules, snapshots, and the RPC table.
import path from 'node:path';
import type { AppState, Operation, PlanState, RepoState, Settings } from '../common/index.js';
import { BackstayError } from '../common/errors.js';
import type { EngineOptions, Logger } from './engine-api.js';
import type { EngineInternals } from './engine-internals.js';
import { emptyConfig, type BackstayConfig } from './config/schema.js';
import { hashConfigText, loadConfigWithHash, parseConfigText, readConfigText, serializeConfig } from './config/load.js';
import { configChangedError, updateConfig } from './config/save.js';
import { dataDirPaths, ensureDataDir } from './config/data-dir.js';
import { acquireHostLock, type HostLock } from './config/host-lock.js';
import { watchConfigFile, type ConfigWatch } from './config/watch.js';
import { openOplog, openOplogRecoveringCorruption } from './oplog/open-oplog.js';
import { setLongTimeout, type LongTimeout } from './timers/long-timeout.js';
import { ProgressWriter } from './oplog/progress-writer.js';
import { currentProcessIdentity } from './process/process-identity.js';
import { reconcileOrphans, systemReconcileDeps } from './oplog/reconcile.js';
import { takeReposToUnlock } from './oplog/pending-unlock.js';
import type { OpStore } from './oplog/store.js';
import { findResticBinary, readResticVersion } from './restic/binary.js';
import { buildResticEnv } from './restic/env.js';
import { redactUri } from './restic/redact.js';
import { AppStateStore, emptyAppState, toLastOp } from './state/app-state.js';
import { SnapshotPublisherImpl } from './state/publisher.js';
import { Orchestrator, type ResticBinaryInfo } from './jobs/orchestrator.js';
import { runQuickRestic } from './jobs/quick-restic.js';
import { createCommandRunner } from './jobs/command-runner.js';
import { createLogger } from './logging.js';
import { buildMethodTable } from './rpc/methods.js';
import { createDispatcher } from './rpc/method-table.js';
import { SnapshotService } from './snapshots/index.js';
import { Scheduler, type ScheduledJob } from './schedule/scheduler.js';
import { describeHookResult, runHooks } from './hooks/hooks.js';
import { RecoveryPolicy } from './jobs/recovery.js';

export type { EngineInternals };


const PAUSE_META_KEY = 'schedule.pausedUntil';

export async function startEngine(opts: EngineOptions): Promise<EngineInternals> {
  // One host (serve or the desktop app) per data directory, decided before anything there is read or written: a second
  // one fails here with HOST_RUNNING naming the first one's pid (host-lock.ts). The one-shot CLI is no host.
  const hostLock = opts.host === 'cli' ? null : await acquireHostLock(opts.dataDir, { host: opts.host });
  try {
    return await composeEngine(opts, hostLock);
  } catch (err) {
    hostLock?.release();
    throw err;
  }
}

async function composeEngine(opts: EngineOptions, hostLock: HostLock | null): Promise<EngineInternals> {
  const paths = await ensureDataDir(opts.dataDir);
  const logger = opts.logger ?? createLogger(paths.logsDir, opts.host);
  let config: BackstayConfig;
  let configError: string | null = null;
  /** Hash of config.json as last read or written here: an edit by hand is whatever differs from it. */
  let configHash: string | null = null;
  try {
    ({ config, hash: configHash } = await loadConfigWithHash(paths.configFile));
  } catch (err) {
    if (!(err instanceof BackstayError)) throw err;
    // The host still starts (the window shows what is wrong); the invalid file is left untouched.
    configError = err.message;
    config = emptyConfig();
    configHash = await hashOfConfigOnDisk(paths.configFile);
    logger.error('config.json is invalid', { error: err.message });
  }

  // Only the host repairs a damaged oplog (it alone holds the data directory); see open-oplog.ts.
  const opened = hostLock ? openOplogRecoveringCorruption(opts.dataDir, { logger }) : { store: openOplog(opts.dataDir), movedAside: null };
  const store = opened.store;
  const owner = currentProcessIdentity();

  let shutdownPromise: Promise<void> | null = null;
  const stateStore = new AppStateStore({ ...emptyAppState(opts.host, config.settings as Settings), configError });
  if (opened.movedAside) {
    stateStore.setWarning('oplog-corrupt', {
      id: 'oplog-corrupt',
      level: 'warning',
      message:
        `The operation log was damaged (SQLite says: ${opened.movedAside.sqliteMessage}), so Backstay moved it to ` +
        `${opened.movedAside.movedTo} and started a new one: operations before today are not listed. ` +
        'Your backups and repositories are not affected.',
    });
  }
  const publisher = new SnapshotPublisherImpl({
    initial: stateStore.current,
    defaultHz: () => Number(stateStore.current.settings.uiUpdateHz) || 4,
    logger,
  });
  stateStore.addSink(publisher);

  let resticInfo: Promise<ResticBinaryInfo> | null = null;
  const resolveRestic = (): Promise<ResticBinaryInfo> => {
    if (resticInfo) return resticInfo;
    const lookup: Promise<ResticBinaryInfo> = (async () => {
      const binary = findResticBinary({ configured: config.settings.resticBinary ?? null, env: process.env });
      const version = await readResticVersion(binary);
      return { binary, version };
    })();
    resticInfo = lookup;
    // Only the latest lookup speaks: one started before settings.resticBinary changed must not overwrite the new one.
    lookup.then(
      ({ binary, version }) => {
        if (resticInfo === lookup) stateStore.setRestic({ path: binary, version: version.raw, error: null, errorCode: null });
      },
      (err: Error) => {
        if (resticInfo !== lookup) return;
        const errorCode = err instanceof BackstayError ? err.code : 'RESTIC_NOT_FOUND';
        stateStore.setRestic({ path: null, version: null, error: err.message, errorCode });
        resticInfo = null; // try again next time: the user may install restic meanwhile
      },
    );
    return lookup;
  };
  /** A changed settings.resticBinary takes effect at once: the next operation runs the program now configured. */
  const forgetResticIfChanged = (before: BackstayConfig, after: BackstayConfig): void => {
    if ((before.settings.resticBinary ?? null) === (after.settings.resticBinary ?? null)) return;
    resticInfo = null;
    void resolveRestic().catch(() => undefined);
  };

  // Progress and status writes get their own connection with a short busy timeout: better-sqlite3 blocks the thread
  // while it waits for a lock, and the thread also reads restic's output. A write that meets a lock fails fast and
  // is retried at the next interval (latest value wins).
  const writerStore = openOplog(opts.dataDir, { busyTimeoutMs: 50, logger });
  const progress = new ProgressWriter(writerStore, {
    intervalMs: 1000,
    onError: (err: unknown) =>
      stateStore.setWarning('storage', {
        id: 'storage',
        level: 'error',
        message: `The operation log cannot be written (${(err as Error).message}). Backups keep running.`,
      }),
    onRecover: () => stateStore.setWarning('storage', null),
    logger,
  });

  const repoEnv = async (repoId: string) => {
    const repo = config.repos.find((r) => r.id === repoId);
    if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
    const { binary } = await resolveRestic();
    const keychainPassword = 'keychain' in repo.password ? ((await opts.keychain?.getPassword(repo.id)) ?? null) : null;
    const { env } = buildResticEnv(repo, { baseEnv: process.env, keychainPassword });
    return { binary, env, flags: repo.flags };
  };
  const snapshots = new SnapshotService({
    runner: createCommandRunner(repoEnv),
    cacheDir: path.join(opts.dataDir, 'cache'),
  });

  let scheduler: Scheduler | null = null;
  let recovery: RecoveryPolicy | null = null;

  const orchestrator: Orchestrator = new Orchestrator({
    store,
    logStore: writerStore,
    progress,
    state: stateStore,
    config: () => config,
    restic: resolveRestic,
    owner,
    logger,
    keychain: opts.keychain,
    onStatus(op, event) {
      if (event === 'stall') fireHooks('stall', op);
      if (event === 'start') {
        fireHooks('start', op);
        if (op.kind === 'backup' && op.planId && op.trigger !== 'schedule') {
          scheduler?.recordRun({ kind: 'backup', planId: op.planId, repoId: op.repoId }, new Date());
        }
      }
      recovery?.onStatus(op, event);
    },
    onFinished(op) {
      if (['backup', 'forget', 'prune'].includes(op.kind)) snapshots.invalidate(op.repoId);
      updateRepoHealth(op);
      const event = op.status === 'cancelled' ? 'cancel' : op.status === 'interrupted' ? null : op.status;
      if (event) fireHooks(event as 'success' | 'warning' | 'error' | 'cancel', op);
      // Retention: after a saved backup, forget by the plan's keep rules, as its own operation.
      if (op.kind === 'backup' && (op.status === 'success' || op.status === 'warning') && op.planId) {
        const plan = config.plans.find((p) => p.id === op.planId);
        if (plan?.retention) {
          try {
            orchestrator.enqueue({ kind: 'forget', repoId: op.repoId, planId: op.planId, trigger: 'system' });
          } catch (err) {
            logger.warn('could not queue forget', { error: String(err) });
          }
        }
      }
      recovery?.onFinished(op);
      refreshNoSuccessWarnings();
    },
  });

  function fireHooks(event: 'start' | 'success' | 'warning' | 'error' | 'stall' | 'cancel', op: Operation): void {
    // Hooks follow backups (healthchecks-style start/success/fail URLs): a forget or check must not ping them.
    if (op.kind !== 'backup') return;
    const plan = op.planId ? config.plans.find((p) => p.id === op.planId) : null;
    const hooks = [...(config.settings.hooks ?? []), ...(plan?.hooks ?? [])];
    if (hooks.length === 0) return;
    // Never awaited: a hook that hangs is killed at its timeout and cannot block the operation.
    void runHooks(event, op, hooks, { timeoutMs: Number(config.settings.hookTimeoutSeconds ?? 30) * 1000, logger }).then(
      (results) => {
        for (const r of results) {
          try {
            store.appendLog(op.id, 'backstay', describeHookResult(r));
          } catch {
            /* the oplog may be failing; the hook result is in the app log */
          }
          logger.info('hook ran', { event, opId: op.id, result: r });
        }
      },
      (err) => logger.error('hooks failed', { error: String(err) }),
    );
  }

  /**
   * The repositories' states after a config change. What Backstay learnt about a repository (health, last error,
   * anything a check or stats added) stays while the way to reach it (uri, password, env, flags) is unchanged:
   * saving one repository must not forget what is known about the others.
   */
  function repoStates(previous: BackstayConfig | null): RepoState[] {
    const known = new Map(stateStore.current.repos.map((r) => [r.id, r]));
    return config.repos.map((r) => {
      const before = previous?.repos.find((p) => p.id === r.id);
      const kept = before && sameConnection(before, r) ? known.get(r.id) : undefined;
      return {
        health: 'unknown',
        lastError: null,
        ...kept,
        id: r.id,
        uri: redactUri(r.uri),
        passwordKind: Object.keys(r.password)[0] as RepoState['passwordKind'],
        envKeys: Object.keys(r.env ?? {}),
      };
    });
  }

  function planStates(): PlanState[] {
    const last = store.lastByPlan('backup');
    const lastSuccess = store.lastByPlanWithStatus('backup', ['success', 'warning']);
    const nextRuns = scheduler?.nextRuns();
    return config.plans.map((p) => {
      const lastOp = last.get(p.id);
      return {
        id: p.id,
        repoId: p.repo,
        paths: p.paths,
        excludes: p.excludes,
        schedule: p.schedule,
        retention: p.retention,
        lastOp: lastOp ? toLastOp(lastOp) : null,
        lastSuccessAt: lastSuccess.get(p.id)?.endedAt ?? null,
        nextRunAt: nextRuns?.get(p.id)?.toISOString() ?? null,
      };
    });
  }

  function updateRepoHealth(op: Operation): void {
    const code = op.error?.code;
    const health: RepoState['health'] =
      op.status === 'success' || op.status === 'warning'
        ? 'ok'
        : code === 'REPOSITORY_LOCKED'
          ? 'locked'
          : op.status === 'error'
            ? 'error'
            : 'unknown';
    if (health === 'unknown') return;
    stateStore.patchRepo(op.repoId, { health, lastError: op.status === 'error' ? (op.error?.message ?? null) : null });
  }

  /** Re-checks "no success for noSuccessWarnDays" when the next plan would cross it with nothing else happening. */
  let noSuccessRecheck: LongTimeout | null = null;
  function refreshNoSuccessWarnings(): void {
    noSuccessRecheck?.cancel();
    noSuccessRecheck = null;
    const days = Number(config.settings.noSuccessWarnDays ?? 0);
    const planIds = new Set(stateStore.current.plans.map((p) => p.id));
    for (const warning of stateStore.current.warnings) {
      // A plan removed (or warnings turned off) takes its warning with it.
      if (warning.id.startsWith('no-success:') && (!days || !planIds.has(warning.id.slice('no-success:'.length)))) {
        stateStore.setWarning(warning.id, null);
      }
    }
    if (!days || shutdownPromise) return;
    const now = Date.now();
    let nextCrossing = Infinity;
    for (const plan of stateStore.current.plans) {
      const id = `no-success:${plan.id}`;
      const since = plan.lastSuccessAt ? Date.parse(plan.lastSuccessAt) : null;
      const stale = since === null ? plan.lastOp !== null : now - since > days * 86_400_000;
      if (since !== null && !stale) nextCrossing = Math.min(nextCrossing, since + days * 86_400_000);
      stateStore.setWarning(
        id,
        stale
          ? {
              id,
              level: 'warning',
              planId: plan.id,
              message: since
                ? `${plan.id} has not been backed up since ${new Date(since).toLocaleDateString()}.`
                : `${plan.id} has never been backed up successfully.`,
            }
          : null,
      );
    }
    // Days to years away: a long timer (a plain setTimeout above 24.8 days fires at once).
    if (Number.isFinite(nextCrossing)) noSuccessRecheck = setLongTimeout(refreshNoSuccessWarnings, nextCrossing - now + 1000);
  }

  function applyConfig(next: BackstayConfig): void {
    const previous = config;
    config = next;
    stateStore.setSettings(config.settings as Settings);
    stateStore.setRepos(repoStates(previous));
    forgetResticIfChanged(previous, next);
    scheduler?.setJobs(config.plans, config.repos);
    stateStore.setPlans(planStates());
    refreshNoSuccessWarnings();
  }

  // Reconcile what a dead Backstay process left behind: its live operations become `interrupted`, its restic is
  // stopped, and the stale locks it left are removed (restic unlock removes only stale ones).
  const reconciled = reconcileOrphans(store, systemReconcileDeps());
  for (const op of reconciled.interrupted) logger.warn('operation interrupted by a dead process', { opId: op.id });
  const reposToUnlock = [...new Set([...takeReposToUnlock(store), ...reconciled.reposToUnlock])];
  if (reposToUnlock.length > 0) {
    void (async () => {
      for (const repoId of reposToUnlock) {
        if (!config.repos.some((r) => r.id === repoId)) continue;
        try {
          const { binary, env } = await repoEnv(repoId);
          const result = await runQuickRestic({ binary, args: ['unlock'], env, timeoutMs: 60_000 });
          logger.info('removed stale locks after an interrupted operation', { repoId, exitCode: result.exitCode });
        } catch (err) {
          logger.warn('could not remove stale locks', { repoId, error: String(err) });
        }
      }
    })();
  }

  if (opts.runSchedules) {
    scheduler = new Scheduler({
      persistence: {
        load: () => store.getMeta(PAUSE_META_KEY),
        save: (value) => store.setMeta(PAUSE_META_KEY, value),
      },
      logger,
      fire: (job: ScheduledJob) => {
        try {
          orchestrator.enqueue({
            kind: job.kind,
            repoId: job.repoId,
            planId: job.planId ?? null,
            trigger: 'schedule',
            params: job.kind === 'check' ? readDataSubsetParams(config, job.repoId) : null,
          });
        } catch (err) {
          logger.error('scheduled run could not be queued', { error: String(err) });
        }
      },
      isBusy: (job: ScheduledJob) =>
        job.planId ? orchestrator.isBusy(job.planId, 'backup') : stateStore.current.running.some((r) => r.repoId === job.repoId && r.kind === job.kind),
      lastRunAt: (job: ScheduledJob) => {
        if (job.kind !== 'backup') return undefined;
        // Read when asked: a plan added or edited later is judged against the oplog as it is now.
        const last = store.lastByPlan('backup').get(job.planId)?.startedAt;
        return last ? new Date(last) : null;
      },
      onChange: () => {
        if (!scheduler) return;
        stateStore.setNextRuns(new Map([...scheduler.nextRuns()].map(([k, v]) => [k, v?.toISOString() ?? null])));
        const paused = scheduler.pausedUntil();
        stateStore.setPausedUntil(paused === null ? null : paused === 'forever' ? 'forever' : paused.toISOString());
      },
    });
    recovery = new RecoveryPolicy({ orchestrator, config: () => config, logger });
  }

  applyConfig(config);
  if (scheduler) {
    scheduler.start();
    const paused = scheduler.pausedUntil();
    stateStore.setPausedUntil(paused === null ? null : paused === 'forever' ? 'forever' : paused.toISOString());
  }
  void resolveRestic().catch(() => undefined);

  let configLock: Promise<void> = Promise.resolve();
  const withConfigLock = <T>(work: () => Promise<T>): Promise<T> => {
    const run = configLock.then(work);
    configLock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  /**
   * Reads config.json and, if it is not what was last read or written here, takes it: a valid file replaces the
   * running config (plans added by hand become known) and clears configError; an invalid one sets configError and
   * leaves the running config as it was. Returns true if the file had changed. Call under the config lock only.
   */
  async function syncConfigFromDisk(): Promise<boolean> {
    if (shutdownPromise) return false; // a look the watcher started just before shutdown: the stores are closing
    let text: string | null;
    try {
      text = await readConfigText(paths.configFile);
    } catch (err) {
      if (!(err instanceof BackstayError)) throw err;
      const changed = configError !== err.message;
      configHash = null; // whatever is readable next time counts as a change
      if (changed) setConfigError(err.message);
      return changed;
    }
    // Removed: keep running on what was read; a save from the window writes a new file.
    if (text === null) return false;
    const hash = hashConfigText(text);
    if (hash === configHash) return false;
    configHash = hash;
    try {
      applyConfig(parseConfigText(text, paths.configFile));
      if (configError) logger.info('config.json changed on disk and is valid again; reloaded');
      else logger.info('config.json changed on disk; reloaded');
      setConfigError(null);
    } catch (err) {
      if (!(err instanceof BackstayError)) throw err;
      setConfigError(err.message);
    }
    return true;
  }
  function setConfigError(message: string | null): void {
    if (message !== null && message !== configError) {
      logger.warn('config.json changed on disk and cannot be used; keeping the last valid settings', { error: message });
    }
    configError = message;
    stateStore.setConfigError(message);
  }
  const configWatch: ConfigWatch | null =
    hostLock && opts.configWatch !== false
      ? watchConfigFile({
          file: paths.configFile,
          pollMs: opts.configWatch?.pollMs,
          fsWatch: opts.configWatch?.fsWatch,
          logger,
          onMaybeChanged: () => withConfigLock(syncConfigFromDisk).then(() => undefined),
        })
      : null;

  const engine: EngineInternals = {
    dataDir: opts.dataDir,
    publisher,
    rpc: null as unknown as EngineInternals['rpc'],
    store,
    orchestrator,
    snapshots,
    stateStore,
    scheduler,
    logger,
    state: (): AppState => stateStore.current,
    noteSuspend() {
      logger.info('system suspending');
    },
    noteResume() {
      logger.info('system resumed');
      orchestrator.restartStallClocks();
      scheduler?.noteWake();
    },
    config: () => config,
    resolveRestic,
    async reloadConfig() {
      await withConfigLock(syncConfigFromDisk);
      if (configError) throw new BackstayError('CONFIG_INVALID', configError);
    },
    mutateConfig(mutate) {
      // Serialised: two saves from two windows must not lose one another's change. And a save never overwrites an
      // edit made by hand that this host has not read yet: the window's change was made against the config it showed.
      return withConfigLock(async () => {
        if (await syncConfigFromDisk()) {
          const changed = configChangedError(paths.configFile);
          throw configError ? new BackstayError('CONFIG_CHANGED', `${changed.message}\nIt is now invalid:\n${configError}`) : changed;
        }
        if (configError) {
          throw new BackstayError('CONFIG_INVALID', `config.json must be fixed by hand first: ${configError}`);
        }
        let next: BackstayConfig;
        try {
          next = await updateConfig(paths.configFile, mutate, { expectedHash: configHash });
        } catch (err) {
          // Edited in the moment between the check above and the write: take the edit, refuse the save.
          if (err instanceof BackstayError && err.code === 'CONFIG_CHANGED') await syncConfigFromDisk();
          throw err;
        }
        configHash = hashConfigText(serializeConfig(next));
        applyConfig(next);
      });
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        configWatch?.close();
        noSuccessRecheck?.cancel();
        scheduler?.stop();
        recovery?.dispose();
        await orchestrator.shutdown();
        progress.dispose();
        await snapshots.close(); // index builds in flight finish or stop before the stores close
        writerStore.close();
        store.close();
        logger.info('engine stopped');
        hostLock?.release(); // last: until the oplog is closed, this host still owns the data directory
      })();
      return shutdownPromise;
    },
  };
  (engine as { rpc: EngineInternals['rpc'] }).rpc = createDispatcher(buildMethodTable(engine));
  logger.info('engine started', { host: opts.host, dataDir: opts.dataDir, pid: owner.pid });
  return engine;
}

async function hashOfConfigOnDisk(file: string): Promise<string | null> {
  try {
    const text = await readConfigText(file);
    return text === null ? null : hashConfigText(text);
  } catch {
    return null;
  }
}

function sameConnection(a: BackstayConfig['repos'][number], b: BackstayConfig['repos'][number]): boolean {
  const key = (r: BackstayConfig['repos'][number]) => JSON.stringify([r.uri, r.password, r.env ?? {}, r.flags ?? []]);
  return key(a) === key(b);
}

function readDataSubsetParams(config: BackstayConfig, repoId: string): Record<string, unknown> | null {
  const repo = config.repos.find((r) => r.id === repoId);
  const subset = repo?.maintenance?.checkReadDataSubset;
  return subset ? { readDataSubset: subset } : null;
}


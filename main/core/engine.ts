// The composition root: builds the engine for a host from its parts and wires them together (config, oplog with
// startup reconciliation, restic discovery, the state store and its publisher, the orchestrator and what follows an
// operation, schedules, snapshots, the RPC table). Policy lives in the parts; this file only wires.
import path from 'node:path';
import type { AppState } from '../common/index.js';
import type { EngineOptions } from './engine-api.js';
import type { EngineInternals } from './engine-internals.js';
import type { BackstayConfig } from './config/schema.js';
import { ensureDataDir } from './config/data-dir.js';
import { acquireHostLock, type HostLock } from './config/host-lock.js';
import { loadLiveConfig } from './config/live-config.js';
import { watchConfigFile, type ConfigWatch } from './config/watch.js';
import { openOplog, openOplogRecoveringCorruption } from './oplog/open-oplog.js';
import { ProgressWriter } from './oplog/progress-writer.js';
import { currentProcessIdentity } from './process/process-identity.js';
import { buildResticEnv, keychainPasswordFor } from './restic/env.js';
import { AppStateStore, emptyAppState } from './state/app-state.js';
import { StatePublisherImpl } from './state/publisher.js';
import { derivePlanStates } from './state/plan-state.js';
import { withMirrorStates } from './state/mirror-lag.js';
import { lastCheckByRepo, provenRestorableByPlan } from './state/proof.js';
import { deriveRepoStates } from './state/repo-states.js';
import { NoSuccessWarnings } from './state/no-success.js';
import { Orchestrator } from './jobs/orchestrator.js';
import { createResticRunner } from './snapshots/runner.js';
import { createOperationFollowUps } from './jobs/follow-ups.js';
import { createResticResolver } from './jobs/restic-resolver.js';
import { reconcileAtStartup } from './jobs/startup.js';
import { createScheduledRuns, startScheduledRuns } from './jobs/scheduled-runs.js';
import { createScheduledVerifyGate } from './jobs/verify-readiness.js';
import { RecoveryPolicy } from './jobs/recovery.js';
import { BackstayError } from '../common/errors.js';
import { createLogger } from './logging.js';
import { buildMethodTable } from './rpc/methods.js';
import { createDispatcher } from './rpc/method-table.js';
import { SnapshotService } from './snapshots/index.js';
import { HistoryService } from './history/history-service.js';
import { createDumper } from './snapshots/dump.js';
import type { Scheduler } from './schedule/scheduler.js';
import { ConditionalRuns } from './conditions/conditional-runs.js';
import { SlowDownControl } from './conditions/slow-down.js';
import { systemProbes } from './conditions/system-probes.js';

export type { EngineInternals };

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
  const liveConfig = await loadLiveConfig({
    file: paths.configFile,
    logger,
    events: { applied: applyConfig, errorChanged: (message) => stateStore.setConfigError(message) },
  });
  const config = (): BackstayConfig => liveConfig.current();

  // Only the host repairs a damaged oplog (it alone holds the data directory); see open-oplog.ts.
  const opened = hostLock ? openOplogRecoveringCorruption(opts.dataDir, { logger }) : { store: openOplog(opts.dataDir), movedAside: null };
  const store = opened.store;
  const owner = currentProcessIdentity();

  let shutdownPromise: Promise<void> | null = null;
  const stateStore = new AppStateStore({ ...emptyAppState(opts.host, config().settings), configError: liveConfig.error() });
  if (opened.movedAside) {
    stateStore.setWarning('oplog-corrupt', {
      id: 'oplog-corrupt',
      kind: 'oplog-corrupt',
      level: 'warning',
      message:
        `The operation log was damaged (SQLite says: ${opened.movedAside.sqliteMessage}), so Backstay moved it to ` +
        `${opened.movedAside.movedTo} and started a new one: operations before today are not listed. ` +
        'Your backups and repositories are not affected.',
    });
  }
  const publisher = new StatePublisherImpl({
    initial: stateStore.current,
    defaultHz: () => Number(stateStore.current.settings.uiUpdateHz) || 4,
    logger,
  });
  stateStore.addSink(publisher);

  const restic = createResticResolver({ configured: config().settings.resticBinary ?? null, report: (info) => stateStore.setRestic(info) });

  // Progress and status writes get their own connection with a short busy timeout: better-sqlite3 blocks the thread
  // while it waits for a lock, and the thread also reads restic's output. A write that meets a lock fails fast and
  // is retried at the next interval (latest value wins).
  const writerStore = openOplog(opts.dataDir, { busyTimeoutMs: 50, logger });
  const progress = new ProgressWriter(writerStore, {
    intervalMs: 1000,
    onError: (err: unknown) =>
      stateStore.setWarning('storage', {
        id: 'storage',
        kind: 'storage',
        level: 'error',
        message: `The operation log cannot be written (${(err as Error).message}). Backups keep running.`,
      }),
    onRecover: () => stateStore.setWarning('storage', null),
    logger,
  });

  const repoEnv = async (repoId: string) => {
    const repo = config().repos.find((r) => r.id === repoId);
    if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
    const { binary } = await restic.resolve();
    const keychainPassword = await keychainPasswordFor(opts.keychain, repo);
    const { env, secrets } = buildResticEnv(repo, { baseEnv: process.env, keychainPassword });
    return { binary, env, flags: repo.flags, secrets };
  };
  const snapshots = new SnapshotService({ runner: createResticRunner(repoEnv), cacheDir: path.join(opts.dataDir, 'cache') });
  const history = new HistoryService({ runner: createResticRunner(repoEnv), cacheDir: path.join(opts.dataDir, 'cache') });

  let scheduler: Scheduler | null = null;
  let recovery: RecoveryPolicy | null = null;
  const noSuccess = new NoSuccessWarnings(stateStore, () => Number(config().settings.noSuccessWarnDays ?? 0));
  const followUps = createOperationFollowUps({
    config,
    store,
    stateStore,
    snapshots,
    history,
    enqueue: (request) => orchestrator.enqueue(request),
    scheduler: () => scheduler,
    recovery: () => recovery,
    afterFinished: () => {
      noSuccess.refresh();
      refreshMirrorLag();
    },
    logger,
  });
  const orchestrator: Orchestrator = new Orchestrator({
    store,
    logStore: writerStore,
    progress,
    state: stateStore,
    config,
    restic: restic.resolve,
    owner,
    logger,
    keychain: opts.keychain,
    history,
    onStatus: followUps.onStatus,
    onFinished: followUps.onFinished,
    runFlags: (repo) => bandwidth.runFlags(repo),
  });
  const bandwidth = new SlowDownControl({
    orchestrator,
    running: () => stateStore.current.running,
    publish: (slowDown) => stateStore.setSlowDown(slowDown),
    logger,
  });

  /** Each plan's mirrors and how far behind they are (issue 15), from the oplog. */
  function refreshMirrorLag(): void {
    const plans = config().plans;
    if (!plans.some((p) => p.mirrors?.length) && !stateStore.current.plans.some((p) => p.mirrors?.length)) return;
    stateStore.setPlans(withMirrorStates(stateStore.current.plans, plans, store));
  }

  function applyConfig(next: BackstayConfig, previous: BackstayConfig | null): void {
    stateStore.setSettings(next.settings);
    const checks = lastCheckByRepo((q) => store.list(q), next.repos.map((r) => r.id));
    stateStore.setRepos(deriveRepoStates(next.repos, previous?.repos ?? null, stateStore.current.repos).map((r) => ({ ...r, ...checks.get(r.id) })));
    restic.configure(next.settings.resticBinary ?? null);
    scheduler?.setJobs(next.plans, next.repos);
    const history = { last: store.lastByPlan('backup'), lastSuccess: store.lastByPlanWithStatus('backup', ['success', 'warning']) };
    const lastVerified = provenRestorableByPlan((q) => store.list(q), next.plans.map((p) => p.id));
    stateStore.setPlans(derivePlanStates(next.plans, { ...history, nextRuns: scheduler?.nextRuns(), lastVerified }));
    conditionalRuns?.publish(); // the plans were rebuilt: show their postponed runs again
    refreshMirrorLag();
    noSuccess.refresh();
  }

  // What a dead Backstay process left behind: its live operations end `interrupted`, its stale locks are removed.
  reconcileAtStartup(store, { logger, unlock: { knows: (repoId) => config().repos.some((r) => r.id === repoId), repoEnv } });

  let conditionalRuns: ConditionalRuns | null = null;
  if (opts.runSchedules) {
    const runs = new ConditionalRuns({
      probes: opts.conditionProbes ?? systemProbes({ onBatteryPower: opts.onBatteryPower }),
      config,
      run: (plan) => {
        try {
          orchestrator.enqueue({ kind: 'backup', repoId: plan.repo, planId: plan.id, trigger: 'schedule' });
        } catch (err) {
          logger.error('scheduled run could not be queued', { error: String(err) });
        }
      },
      lastRunAt: (planId) => {
        const startedAt = store.lastByPlan('backup').get(planId)?.startedAt;
        return startedAt ? new Date(startedAt) : null;
      },
      paused: () => scheduler?.pausedUntil() != null,
      publish: (postponed) => stateStore.setPostponed(postponed),
      logger,
      recheckMs: opts.conditionRecheckMs,
    });
    conditionalRuns = runs;
    const gateVerify = createScheduledVerifyGate({ snapshots, orchestrator, config, logger });
    scheduler = createScheduledRuns({
      store,
      orchestrator,
      stateStore,
      config,
      logger,
      gateBackup: (planId) => void runs.due(planId),
      gateVerify: (job) => void gateVerify(job),
    });
    recovery = new RecoveryPolicy({ orchestrator, config, logger });
  }
  applyConfig(config(), config()); // at startup the config is its own previous one: nothing known is dropped
  if (scheduler) startScheduledRuns(scheduler, stateStore);
  conditionalRuns?.start();
  void restic.resolve().catch(() => undefined);

  const configWatch: ConfigWatch | null =
    hostLock && opts.configWatch !== false
      ? watchConfigFile({
          file: paths.configFile,
          pollMs: opts.configWatch?.pollMs,
          fsWatch: opts.configWatch?.fsWatch,
          logger,
          onMaybeChanged: () => liveConfig.syncFromDisk(),
        })
      : null;

  const engine: EngineInternals = {
    dataDir: opts.dataDir,
    publisher,
    rpc: null as unknown as EngineInternals['rpc'],
    store,
    orchestrator,
    snapshots,
    history,
    dumps: createDumper({ repoEnv, snapshots }),
    stateStore,
    scheduler,
    bandwidth,
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
    config,
    resolveRestic: restic.resolve,
    reloadConfig: () => liveConfig.reload(),
    mutateConfig: (mutate) => liveConfig.mutate(mutate),
    ...(opts.keychain ? { keychain: opts.keychain } : {}),
    shutdown() {
      shutdownPromise ??= (async () => {
        liveConfig.stop(); // a look the watcher started just before shutdown: the stores are closing
        configWatch?.close();
        noSuccess.dispose();
        scheduler?.stop();
        conditionalRuns?.stop();
        bandwidth.dispose();
        recovery?.dispose();
        await orchestrator.shutdown();
        progress.dispose();
        await snapshots.close(); // index builds in flight finish or stop before the stores close
        await history.close();
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

// Composes the engine for a host: config, oplog (with reconciliation of what a dead process left), restic
// discovery, the state store and its publisher, the orchestrator, schedules, snapshots, and the RPC table.
import path from 'node:path';
import type { AppState, Operation, PlanState, RepoState, Settings } from '../common/index.js';
import { BackstayError } from '../common/errors.js';
import type { EngineOptions, Logger } from './engine-api.js';
import type { EngineInternals } from './engine-internals.js';
import { emptyConfig, type BackstayConfig } from './config/schema.js';
import { loadConfig } from './config/load.js';
import { updateConfig } from './config/save.js';
import { dataDirPaths, ensureDataDir } from './config/data-dir.js';
import { openOplog } from './oplog/open-oplog.js';
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
  const paths = await ensureDataDir(opts.dataDir);
  const logger = opts.logger ?? createLogger(paths.logsDir, opts.host);
  let config: BackstayConfig;
  let configError: string | null = null;
  try {
    config = await loadConfig(paths.configFile);
  } catch (err) {
    if (!(err instanceof BackstayError)) throw err;
    // The host still starts (the window shows what is wrong); the invalid file is left untouched.
    configError = err.message;
    config = emptyConfig();
    logger.error('config.json is invalid', { error: err.message });
  }

  const store = openOplog(opts.dataDir);
  const owner = currentProcessIdentity();

  const stateStore = new AppStateStore({ ...emptyAppState(opts.host, config.settings as Settings), configError });
  const publisher = new SnapshotPublisherImpl({
    initial: stateStore.current,
    defaultHz: () => Number(stateStore.current.settings.uiUpdateHz) || 4,
    logger,
  });
  stateStore.addSink(publisher);

  let resticInfo: Promise<ResticBinaryInfo> | null = null;
  const resolveRestic = (): Promise<ResticBinaryInfo> => {
    resticInfo ??= (async () => {
      const binary = findResticBinary({ configured: config.settings.resticBinary ?? null, env: process.env });
      const version = await readResticVersion(binary);
      stateStore.setRestic({ path: binary, version: version.raw, error: null });
      return { binary, version };
    })();
    resticInfo.catch((err: Error) => {
      stateStore.setRestic({ path: null, version: null, error: err.message });
      resticInfo = null; // try again next time: the user may install restic meanwhile
    });
    return resticInfo;
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

  function repoStates(): RepoState[] {
    return config.repos.map((r) => ({
      id: r.id,
      uri: redactUri(r.uri),
      passwordKind: Object.keys(r.password)[0] as RepoState['passwordKind'],
      envKeys: Object.keys(r.env ?? {}),
      health: 'unknown',
      lastError: null,
    }));
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

  function refreshNoSuccessWarnings(): void {
    const days = Number(config.settings.noSuccessWarnDays ?? 0);
    if (!days) return;
    const now = Date.now();
    for (const plan of stateStore.current.plans) {
      const id = `no-success:${plan.id}`;
      const since = plan.lastSuccessAt ? Date.parse(plan.lastSuccessAt) : null;
      const stale = since === null ? plan.lastOp !== null : now - since > days * 86_400_000;
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
  }

  function applyConfig(next: BackstayConfig): void {
    config = next;
    stateStore.setSettings(config.settings as Settings);
    stateStore.setRepos(repoStates());
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

  let shutdownPromise: Promise<void> | null = null;
  let configLock: Promise<void> = Promise.resolve();

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
      applyConfig(await loadConfig(paths.configFile));
      stateStore.setConfigError(null);
    },
    mutateConfig(mutate) {
      // Serialised: two saves from two windows must not lose one another's change.
      const run = configLock.then(async () => {
        if (configError) {
          throw new BackstayError('CONFIG_INVALID', `config.json must be fixed by hand first: ${configError}`);
        }
        const next = await updateConfig(paths.configFile, mutate);
        applyConfig(next);
      });
      configLock = run.catch(() => undefined);
      return run;
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        scheduler?.stop();
        recovery?.dispose();
        await orchestrator.shutdown();
        progress.dispose();
        await snapshots.close(); // index builds in flight finish or stop before the stores close
        writerStore.close();
        store.close();
        logger.info('engine stopped');
      })();
      return shutdownPromise;
    },
  };
  (engine as { rpc: EngineInternals['rpc'] }).rpc = createDispatcher(buildMethodTable(engine));
  logger.info('engine started', { host: opts.host, dataDir: opts.dataDir, pid: owner.pid });
  return engine;
}

function readDataSubsetParams(config: BackstayConfig, repoId: string): Record<string, unknown> | null {
  const repo = config.repos.find((r) => r.id === repoId);
  const subset = repo?.maintenance?.checkReadDataSubset;
  return subset ? { readDataSubset: subset } : null;
}


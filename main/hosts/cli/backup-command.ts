// `backstay backup PLAN`: with a `serve` running on the data directory it asks that host (one supervisor per
// operation); otherwise it runs the job here with the same engine. SIGINT/SIGTERM cancel the operation.
import type { AppState, Operation } from '../../common/index.js';
import { startEngine } from '../../core/engine.js';
import { HostClient, HostUnreachableError } from '../headless/client.js';
import { exitCodeFor, OperationFollower, type CliEvent } from './follow.js';
import { humanLine } from './human.js';
import { loadConfigFor, requirePlan, requireRestic } from './preflight.js';

export interface BackupCommandOptions {
  planId: string;
  dataDir: string;
  json: boolean;
}

export async function runBackupCommand(opts: BackupCommandOptions): Promise<number> {
  const config = await loadConfigFor(opts.dataDir);
  requirePlan(config, opts.planId);
  const emit = (event: CliEvent) => writeEvent(event, opts.json);
  const host = await HostClient.forDataDir(opts.dataDir);
  if (host) {
    try {
      return await backupThroughHost(host, opts.planId, emit);
    } catch (err) {
      if (!(err instanceof HostUnreachableError)) throw err;
      // A serve.json whose host no longer answers: run the backup here.
    }
  }
  await requireRestic(config);
  return backupInProcess(opts, emit);
}

async function backupInProcess(opts: BackupCommandOptions, emit: (event: CliEvent) => void): Promise<number> {
  const engine = await startEngine({ dataDir: opts.dataDir, host: 'cli', runSchedules: false });
  let op: Operation;
  try {
    op = engine.orchestrator.enqueue({ kind: 'backup', repoId: requirePlan(engine.config(), opts.planId).repo, planId: opts.planId, trigger: 'manual' });
  } catch (err) {
    await engine.shutdown();
    throw err;
  }
  const follower = new OperationFollower(op.id, emit);
  follower.queued(op.planId);
  const subscription = engine.publisher.subscribe({ name: 'cli', send: (state) => follower.onState(state) });
  const stopSignals = onTerminationSignal(() => engine.orchestrator.cancel(op.id, 'user'));
  try {
    const finished = await engine.orchestrator.waitFor(op.id);
    follower.onState(engine.state());
    follower.finished(finished);
    return exitCodeFor(finished.status);
  } finally {
    stopSignals();
    subscription.dispose();
    await engine.shutdown();
  }
}

async function backupThroughHost(host: HostClient, planId: string, emit: (event: CliEvent) => void): Promise<number> {
  const { opId } = await host.rpc('plans.backup', { planId, trigger: 'manual' });
  const follower = new OperationFollower(opId, emit);
  follower.queued(planId);
  const abort = new AbortController();
  let cancelSent = false;
  const stopSignals = onTerminationSignal(() => {
    if (cancelSent) return;
    cancelSent = true;
    void host.rpc('ops.cancel', { opId }).catch(() => undefined);
  });
  let sawLive = false;
  try {
    await host
      .events((state: AppState) => {
        if (follower.onState(state)) sawLive = true;
        else if (sawLive || state.running.every((r) => r.opId !== opId)) abort.abort();
      }, abort.signal)
      .catch((err: unknown) => {
        if (!abort.signal.aborted) throw err;
      });
    const op = await host.rpc('ops.get', { opId });
    follower.finished(op);
    return exitCodeFor(op.status);
  } finally {
    stopSignals();
  }
}

function onTerminationSignal(handler: () => void): () => void {
  const listener = () => handler();
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}

function writeEvent(event: CliEvent, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    return;
  }
  const line = humanLine(event);
  if (!line) return;
  if (line.stream === 'stdout') process.stdout.write(`${line.text}\n`);
  else process.stderr.write(`${line.text}\n`);
}


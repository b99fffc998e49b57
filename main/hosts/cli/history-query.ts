// What `backstay history` and `backstay find` share: ask the history of a repository, through the running host when
// there is one (it indexes in its own queue; this waits until the answer is complete), otherwise with an engine of
// its own that first brings the index up to date as an `index` operation (in the oplog like any other).
import { BackstayError } from '../../common/errors.js';
import type { RpcParams, RpcResult } from '../../common/index.js';
import { startEngine } from '../../core/engine.js';
import type { HistoryMethod } from '../../core/rpc/methods/history.js';
import { HostClient, HostUnreachableError } from '../headless/client.js';
import { loadConfigFor, requireRestic } from './preflight.js';

/** How long a command waits for the host to finish indexing before it gives up (with what it has). */
const HOST_INDEX_WAIT_MS = 60 * 60 * 1000;
const HOST_POLL_MS = 500;

/** A failure that is not the user's input (exit 1, not 2): restic, the repository, the index operation. */
export class HistoryCommandFailure extends Error {}

export async function askHistory<M extends HistoryMethod>(dataDir: string, method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
  const config = await loadConfigFor(dataDir);
  const repoId = (params as { repoId: string }).repoId;
  if (!config.repos.some((r) => r.id === repoId)) {
    const known = config.repos.map((r) => r.id);
    throw new BackstayError('UNKNOWN_REPO', `unknown repository "${repoId}"${known.length ? ` (repositories: ${known.join(', ')})` : ''}`);
  }
  const host = await HostClient.forDataDir(dataDir);
  if (host) {
    try {
      return await askHost(host, method, params);
    } catch (err) {
      if (!(err instanceof HostUnreachableError)) throw failure(err);
    }
  }
  await requireRestic(config);
  const engine = await startEngine({ dataDir, host: 'cli', runSchedules: false });
  const onSignal = () => engine.orchestrator.cancel(op.id, 'user');
  const op = engine.orchestrator.enqueue({ kind: 'index', repoId, trigger: 'manual' });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const indexed = await engine.orchestrator.waitFor(op.id);
    if (indexed.status !== 'success') {
      throw new HistoryCommandFailure(indexed.error?.message ?? `indexing ended ${indexed.status}`);
    }
    return await engine.rpc.invoke(method, params).catch((err: unknown) => {
      throw failure(err);
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.shutdown();
  }
}

async function askHost<M extends HistoryMethod>(host: HostClient, method: M, params: RpcParams<M>): Promise<RpcResult<M>> {
  const startedAt = Date.now();
  const deadline = startedAt + HOST_INDEX_WAIT_MS;
  const repoId = (params as { repoId: string }).repoId;
  for (;;) {
    const answer = await host.rpc(method, params);
    if ((answer as { complete: boolean }).complete || Date.now() > deadline) return answer;
    // The host indexes in its queue; if that indexing fails, say why instead of waiting for an answer that never completes.
    const { ops } = await host.rpc('ops.list', { repoId, kind: 'index', limit: 1 });
    const last = ops[0];
    if (last?.status === 'error' && last.endedAt && Date.parse(last.endedAt) >= startedAt) {
      throw new HistoryCommandFailure(last.error?.message ?? 'indexing failed');
    }
    await new Promise((resolve) => setTimeout(resolve, HOST_POLL_MS));
  }
}

/** Input errors stay BackstayErrors (exit 2); the rest become failures (exit 1). */
function failure(err: unknown): unknown {
  if (err instanceof BackstayError && (err.code === 'BAD_PARAMS' || err.code === 'UNKNOWN_REPO' || err.code === 'UNKNOWN_PLAN')) return err;
  return new HistoryCommandFailure((err as Error).message);
}

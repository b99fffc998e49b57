// `snapshots.history`, `snapshots.findAll`, `snapshots.deleted`: the repository through time, from its history index
// (core/history). Each answer is checked against the snapshot list first; an index that does not cover it is
// brought up to date by an `index` operation queued here (visible, cancellable, low priority), and the answer
// says `complete: false` meanwhile instead of waiting. A repository that cannot be reached fails with restic's
// classified error (NO_REPOSITORY, NETWORK, WRONG_PASSWORD, ...). A path in no indexed snapshot is an empty answer.
import type { EngineInternals } from '../../engine-internals.js';
import { compileQuery } from '../../history/query-pattern.js';
import { naturalCompare } from '../../history/natural-order.js';
import { normalizeSnapshotPath } from '../../snapshots/ls-lines.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { requireRepo } from './lookups.js';

export type HistoryMethod = 'snapshots.history' | 'snapshots.findAll' | 'snapshots.deleted';

const DEFAULT_FIND_LIMIT = 200;

export function historyMethods(engine: EngineInternals): Pick<AreaMethods<'snapshots'>, HistoryMethod> {
  /** Whether the index covers the snapshot list; queues indexing when it does not. */
  async function freshness(repoId: string): Promise<boolean> {
    requireRepo(engine, repoId);
    const live = await engine.snapshots.list(repoId);
    const complete = engine.history.covers(repoId, live);
    if (!complete) engine.orchestrator.enqueue({ kind: 'index', repoId, trigger: 'system' });
    return complete;
  }

  return {
    'snapshots.history': method({
      params: s.snapshotsHistory,
      handler: async ({ repoId, path, planId, host }) => {
        const complete = await freshness(repoId);
        const normalized = normalizeSnapshotPath(path);
        return engine.history.query(repoId, { versions: [], indexedThrough: null, complete: false }, (reader) => ({
          versions: reader.history(normalized, { planId, host }),
          indexedThrough: reader.newestSnapshot(),
          complete,
        }));
      },
    }),
    'snapshots.findAll': method({
      params: s.snapshotsFindAll,
      handler: async ({ repoId, query, planId, since, until, limit }) => {
        const matcher = compileQuery(query); // bad patterns fail before restic runs
        const complete = await freshness(repoId);
        const max = limit ?? DEFAULT_FIND_LIMIT;
        return engine.history.query(repoId, { results: [], complete: false, truncated: false }, (reader) => {
          const results = [];
          let truncated = false;
          for (const found of reader.findAll(matcher, { planId, since, until })) {
            if (results.length === max) {
              truncated = true;
              break;
            }
            results.push(found);
          }
          results.sort((a, b) => naturalCompare(a.path, b.path));
          return { results, complete, truncated };
        });
      },
    }),
    'snapshots.deleted': method({
      params: s.snapshotsDeleted,
      handler: async ({ repoId, path }) => {
        const complete = await freshness(repoId);
        const normalized = normalizeSnapshotPath(path);
        return engine.history.query(repoId, { entries: [], complete: false }, (reader) => ({ entries: reader.deleted(normalized), complete }));
      },
    }),
  };
}

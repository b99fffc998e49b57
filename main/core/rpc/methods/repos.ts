// `repos.*`: maintenance operations on a repository (queued like backups), and creating one.
import type { OpKind } from '../../../common/index.js';
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { initRepository } from '../init-repository.js';
import { requireRepo } from './lookups.js';

export function repoMethods(engine: EngineInternals): AreaMethods<'repos'> {
  const repoOp = (kind: OpKind) =>
    method({
      params: s.repoRef,
      handler: ({ repoId }) => {
        requireRepo(engine, repoId);
        return { opId: engine.orchestrator.enqueue({ kind, repoId, trigger: 'manual' }).id };
      },
    });
  return {
    'repos.unlock': repoOp('unlock'),
    'repos.prune': repoOp('prune'),
    'repos.repairIndex': repoOp('repairIndex'),
    'repos.stats': repoOp('stats'),
    'repos.check': method({
      params: s.checkParams,
      handler: ({ repoId, readDataSubset }) => {
        requireRepo(engine, repoId);
        const params = readDataSubset ? { readDataSubset } : null;
        return { opId: engine.orchestrator.enqueue({ kind: 'check', repoId, trigger: 'manual', params }).id };
      },
    }),
    'repos.init': method({
      params: s.repoRef,
      handler: async ({ repoId }) => {
        requireRepo(engine, repoId);
        await initRepository(engine, repoId);
        return { ok: true as const };
      },
    }),
  };
}

// `repos.*`: maintenance operations on a repository (queued like backups), and creating one.
import type { OpKind } from '../../../common/index.js';
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { initRepository } from '../init-repository.js';
import { requireRepo } from './lookups.js';
import { passwordMethods } from './import.js';
import { testConnection } from '../test-connection.js';

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
    ...passwordMethods(engine),
    'repos.unlock': repoOp('unlock'),
    'repos.prune': method({
      params: s.pruneParams,
      handler: ({ repoId, dryRun }) => {
        requireRepo(engine, repoId);
        const params = dryRun ? { dryRun: true } : null;
        return { opId: engine.orchestrator.enqueue({ kind: 'prune', repoId, trigger: 'manual', params }).id };
      },
    }),
    'repos.repairIndex': repoOp('repairIndex'),
    'repos.stats': repoOp('stats'),
    'repos.check': method({
      params: s.checkParams,
      handler: ({ repoId, readDataSubset }) => {
        // "Check now" reads as much data as the repository's scheduled check does, unless the caller says otherwise.
        const subset = readDataSubset ?? requireRepo(engine, repoId).maintenance?.checkReadDataSubset;
        const params = subset ? { readDataSubset: subset } : null;
        return { opId: engine.orchestrator.enqueue({ kind: 'check', repoId, trigger: 'manual', params }).id };
      },
    }),
    'repos.testConnection': method({
      params: s.repoRef,
      handler: ({ repoId }) => testConnection(engine, repoId),
    }),
    'repos.init': method({
      params: s.initRepo,
      handler: async ({ repoId, copyChunkerParamsFrom }) => {
        requireRepo(engine, repoId);
        if (copyChunkerParamsFrom) requireRepo(engine, copyChunkerParamsFrom);
        await initRepository(engine, repoId, { copyChunkerParamsFrom });
        return { ok: true as const };
      },
    }),
  };
}

// `repos.*`: maintenance operations on a repository (queued like backups), and creating one.
import type { OpKind } from '../../../common/index.js';
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { initRepository } from '../init-repository.js';
import { requireRepo } from './lookups.js';
import { passwordMethods } from './import.js';
import { testConnection } from '../test-connection.js';
import { repoHealthAfterCommand } from '../../state/repo-health.js';
import { BackstayError } from '../../../common/errors.js';

export function repoMethods(engine: EngineInternals): AreaMethods<'repos'> {
  /** Runs a command about a repository and patches its health with what came of it; answers or throws as it did. */
  async function learnHealth<T>(repoId: string, command: Promise<T>, problemOf: (result: T) => { code: string; message: string } | null): Promise<T> {
    try {
      const result = await command;
      const patch = repoHealthAfterCommand(problemOf(result));
      if (patch) engine.stateStore.patchRepo(repoId, patch);
      return result;
    } catch (err) {
      const patch = err instanceof BackstayError ? repoHealthAfterCommand({ code: err.code, message: err.message }) : null;
      if (patch) engine.stateStore.patchRepo(repoId, patch);
      throw err;
    }
  }
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
    // Both answer for the repository: its card and the overall status learn what they found, as after a check
    // (a card that kept saying "no repository here" after one was created would not be true).
    'repos.testConnection': method({
      params: s.repoRef,
      handler: ({ repoId }) =>
        learnHealth(repoId, testConnection(engine, repoId), (r) =>
          r.initialized ? null : { code: 'NO_REPOSITORY', message: `There is no restic repository at the location of "${repoId}" yet.` },
        ),
    }),
    'repos.init': method({
      params: s.initRepo,
      handler: async ({ repoId, copyChunkerParamsFrom }) => {
        requireRepo(engine, repoId);
        if (copyChunkerParamsFrom) requireRepo(engine, copyChunkerParamsFrom);
        await learnHealth(repoId, initRepository(engine, repoId, { copyChunkerParamsFrom }), () => null);
        return { ok: true as const };
      },
    }),
  };
}

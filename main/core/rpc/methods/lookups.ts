// The lookups the handlers share: each names what is missing with the error code the window and the CLI know.
import { BackstayError } from '../../../common/errors.js';
import type { Operation } from '../../../common/index.js';
import type { EngineInternals } from '../../engine-internals.js';
import type { RepoConfig } from '../../config/schema.js';

export function getOp(engine: EngineInternals, opId: number): Operation {
  const op = engine.store.get(opId);
  if (!op) throw new BackstayError('UNKNOWN_OPERATION', `There is no operation ${opId}.`);
  return op;
}

export function requireRepo(engine: EngineInternals, repoId: string): RepoConfig {
  const repo = engine.config().repos.find((r) => r.id === repoId);
  if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
  return repo;
}

// The repositories' states after a config change, derived from the config and what was known before.
import type { RepoState } from '../../common/index.js';
import type { RepoConfig } from '../config/schema.js';
import { redactUri } from '../restic/redact.js';

/**
 * What Backstay learnt about a repository (health, last error, anything a check or stats added) stays while the way
 * to reach it (uri, password, env, flags) is unchanged: saving one repository must not forget what is known about
 * the others. `previous` is the config before the change (null at startup), `known` the states shown until now.
 */
export function deriveRepoStates(
  repos: readonly RepoConfig[],
  previous: readonly RepoConfig[] | null,
  known: readonly RepoState[],
): RepoState[] {
  const knownById = new Map(known.map((r) => [r.id, r]));
  return repos.map((r) => {
    const before = previous?.find((p) => p.id === r.id);
    const kept = before && sameConnection(before, r) ? knownById.get(r.id) : undefined;
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

function sameConnection(a: RepoConfig, b: RepoConfig): boolean {
  const key = (r: RepoConfig) => JSON.stringify([r.uri, r.password, r.env ?? {}, r.flags ?? []]);
  return key(a) === key(b);
}

// `repos.testConnection`: can Backstay open this repository, right now? `restic cat config` is the cheapest
// command that needs the backend, the repository and the password all to be right (it reads one small file and
// decrypts it), and it takes no lock. "There is no repository here yet" is an answer, not a failure: the setup
// flow then offers to create one.
import { BackstayError } from '../../common/errors.js';
import type { EngineInternals } from '../engine-internals.js';
import { buildResticEnv, keychainPasswordFor } from '../restic/env.js';
import { restic, ResticError } from '../restic/run-restic.js';

/** Long enough for a slow cloud backend's first answer, short enough that a "Test" button does not seem to hang. */
const TEST_CONNECTION_TIMEOUT_MS = 30_000;

export async function testConnection(engine: EngineInternals, repoId: string): Promise<{ ok: true; initialized: boolean }> {
  const repo = engine.config().repos.find((r) => r.id === repoId);
  if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
  const { binary, version } = await engine.resolveRestic();
  const keychainPassword = await keychainPasswordFor(engine.keychain, repo);
  const { env, secrets } = buildResticEnv(repo, { baseEnv: process.env, keychainPassword });
  try {
    await restic([...repo.flags, 'cat', 'config'], { binary, env, secrets, version }, 'connection test', {
      kind: 'snapshots',
      timeoutMs: TEST_CONNECTION_TIMEOUT_MS,
      maxOutputBytes: 64 * 1024,
    });
    return { ok: true, initialized: true };
  } catch (err) {
    if (err instanceof ResticError && err.code === 'NO_REPOSITORY') return { ok: true, initialized: false };
    throw err;
  }
}

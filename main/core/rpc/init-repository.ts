// `repos.init`: create the repository at the configured URI (or confirm one is there). A short command, not an
// operation: it either works in seconds or says why.
import { BackstayError } from '../../common/errors.js';
import type { EngineInternals } from '../engine-internals.js';
import { initArgs } from '../restic/args.js';
import { buildResticEnv } from '../restic/env.js';
import { restic, ResticError } from '../restic/run-restic.js';
import { repoSaveIssues } from '../config/validate-on-save.js';

export async function initRepository(engine: EngineInternals, repoId: string): Promise<void> {
  const repo = engine.config().repos.find((r) => r.id === repoId);
  if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
  // A relative location (written into config.json by hand) would create a repository wherever this process
  // happens to run; refuse with the same checks a save makes.
  const [problem] = (await repoSaveIssues({ repo }, process.env)).filter((i) => i.path[1] === 'uri');
  if (problem) throw new BackstayError('CONFIG_INVALID', `Repository "${repoId}": its location ${problem.message}; set an absolute folder under Repositories.`);
  const { binary, version } = await engine.resolveRestic();
  const { env, secrets } = buildResticEnv(repo, { baseEnv: process.env });
  try {
    await restic(initArgs({ flags: repo.flags }), { binary, env, secrets, version }, 'init', { kind: 'init', timeoutMs: 120_000 });
  } catch (err) {
    if (!(err instanceof ResticError)) throw err;
    if (/already (exists|initialized)|config file already exists/i.test(err.result.stderr)) return;
    throw new BackstayError(err.code, `Could not create repository "${repoId}": ${err.message}`, err.detail);
  }
}

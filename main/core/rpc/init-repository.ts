// `repos.init`: create the repository at the configured URI (or confirm one is there). A short command, not an
// operation: it either works in seconds or says why.
import { BackstayError } from '../../common/errors.js';
import type { EngineInternals } from '../engine-internals.js';
import type { RepoConfig } from '../config/schema.js';
import { initArgs } from '../restic/args.js';
import { buildResticEnv, keychainPasswordFor } from '../restic/env.js';
import { restic, ResticError } from '../restic/run-restic.js';
import { localRepositoryPath, repoSaveIssues } from '../config/validate-on-save.js';
import { readdir } from 'node:fs/promises';
import { buildFromRepoEnv } from '../jobs/copy-task.js';
import { testConnection } from './test-connection.js';

export async function initRepository(engine: EngineInternals, repoId: string, opts: { copyChunkerParamsFrom?: string } = {}): Promise<void> {
  const repo = engine.config().repos.find((r) => r.id === repoId);
  if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
  // A relative location (written into config.json by hand) would create a repository wherever this process
  // happens to run; refuse with the same checks a save makes.
  const [problem] = (await repoSaveIssues({ repo }, process.env)).filter((i) => i.path[1] === 'uri');
  if (problem) throw new BackstayError('CONFIG_INVALID', `Repository "${repoId}": its location ${problem.message}; set an absolute folder under Repositories.`);
  await refuseFolderOfOtherFiles(repo);
  const { binary, version } = await engine.resolveRestic();
  const { env, secrets } = buildResticEnv(repo, { baseEnv: process.env, keychainPassword: await keychainPasswordFor(engine.keychain, repo) });
  // A mirror: the same chunker parameters as its source, so that what is copied deduplicates (restic init
  // --copy-chunker-params); the source's location and password travel as RESTIC_FROM_*, like a copy's (its own
  // password source: a keychain password as RESTIC_FROM_PASSWORD, a secret file as RESTIC_FROM_PASSWORD_FILE).
  const from = opts.copyChunkerParamsFrom ? engine.config().repos.find((r) => r.id === opts.copyChunkerParamsFrom) : undefined;
  if (opts.copyChunkerParamsFrom && !from) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${opts.copyChunkerParamsFrom}".`);
  if (from) {
    const extra = buildFromRepoEnv(from, repo, { baseEnv: process.env, keychainPassword: await keychainPasswordFor(engine.keychain, from) });
    Object.assign(env, extra.env);
    secrets.push(...extra.secrets);
  }
  const args = [...initArgs({ flags: repo.flags }), ...(from ? ['--copy-chunker-params'] : [])];
  try {
    await restic(args, { binary, env, secrets, version }, 'init', { kind: 'init', timeoutMs: 120_000 });
  } catch (err) {
    if (!(err instanceof ResticError)) throw err;
    if (/already (exists|initialized)|config file already exists/i.test(err.result.stderr)) return confirmOpens(engine, repoId);
    // restic opens the source before it creates anything, and a location being created has no password to get
    // wrong: with a source, these two are the source's (restic 0.14 does not say which repository it means).
    if (from && (err.code === 'WRONG_PASSWORD' || err.code === 'NO_REPOSITORY')) {
      const cause = err.code === 'WRONG_PASSWORD' ? `the password of "${from.id}" is wrong` : `there is no repository at the location of "${from.id}"`;
      throw new BackstayError(err.code, `Could not create repository "${repoId}" with the chunker parameters of "${from.id}": ${cause}.`, err.detail);
    }
    throw new BackstayError(err.code, `Could not create repository "${repoId}": ${err.message}`, err.detail);
  }
}


/**
 * A repository already at the location is "ready" only if it opens with this password: restic init says "already
 * exists" before it looks at any password, so without this a wrong one would be reported as a repository ready.
 */
async function confirmOpens(engine: EngineInternals, repoId: string): Promise<void> {
  try {
    await testConnection(engine, repoId);
  } catch (err) {
    if (err instanceof ResticError && err.code === 'WRONG_PASSWORD') {
      throw new BackstayError('WRONG_PASSWORD', `A repository is already at the location of "${repoId}", and this password does not open it.`, err.detail);
    }
    throw err;
  }
}

/**
 * restic creates a repository in any folder, also one full of someone's documents: its config, data, index, keys,
 * locks and snapshots would sit among them, and deleting "the backup" later would take the documents with it. A
 * local location must be new, empty, or already a repository (its `config` there: init then only confirms it).
 */
/** What file systems and OSes put at the top of a drive by themselves: a fresh USB drive's root counts as empty. */
const DRIVE_SYSTEM_ENTRY = /^(lost\+found|\.Trash-\d+|\.Trashes|\.Spotlight-V100|\.fseventsd|\.DS_Store|System Volume Information|\$RECYCLE\.BIN|desktop\.ini|Thumbs\.db)$/i;

async function refuseFolderOfOtherFiles(repo: RepoConfig): Promise<void> {
  const folder = localRepositoryPath(repo.uri);
  if (folder === null) return;
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return; // not there yet (restic creates it) or not readable (restic says why)
  }
  if (entries.includes('config')) return;
  const others = entries.filter((name) => !DRIVE_SYSTEM_ENTRY.test(name));
  if (others.length === 0) return;
  throw new BackstayError(
    'LOCATION_NOT_EMPTY',
    `The folder of repository "${repo.id}" already holds other files (${others.length}, such as "${others[0]}"). A repository needs a folder of its own: choose an empty or new folder.`,
  );
}

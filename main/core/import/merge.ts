// Puts an import draft beside the config there is: ids that clash are renamed (and said so), references follow the
// renames, and each repository whose password was found in plain text points at the secret store instead. Pure: the
// caller stores the secrets and saves the config (see apply-import.ts), so a preview and the real thing agree.
import type { BackstayConfig, BackstayConfigInput } from '../config/schema.js';
import { IdAllocator } from './ids.js';
import type { ImportDraft, ImportPreview, RepoDraft } from './types.js';

/** Where a repository's plaintext password goes: a 0600 file (serve, CLI) or the OS keychain (desktop app). */
export interface SecretSink {
  /** The password reference config.json gets for `repoId`. */
  reference(repoId: string): RepoDraft['password'];
  store(repoId: string, secret: string): Promise<void>;
  /** Undo `store` when the config could not be saved after all (best effort). */
  discard(repoId: string): Promise<void>;
}

export interface MergedImport {
  config: BackstayConfigInput;
  preview: ImportPreview;
  /** Final repo id -> the secret to store for it. */
  secretWrites: { repoId: string; value: string }[];
}

export function mergeImport(draft: ImportDraft, existing: BackstayConfig, sink: Pick<SecretSink, 'reference'>): MergedImport {
  const renamed = [...draft.renamed];
  const repoIds = new IdAllocator('repo', existing.repos.map((r) => r.id), renamed);
  const planIds = new IdAllocator('plan', existing.plans.map((p) => p.id), renamed);
  const repoIdOf = new Map<string, string>();
  const secretWrites: MergedImport['secretWrites'] = [];
  const secrets = draft.secrets.map(({ repo, from }) => ({ repo, from }));

  const repos = draft.repos.map((repo) => {
    const id = repoIds.allocate(repo.id);
    repoIdOf.set(repo.id, id);
    const secret = draft.secrets.find((s) => s.repo === repo.id);
    if (!secret) return { ...repo, id };
    secretWrites.push({ repoId: id, value: secret.value });
    return { ...repo, id, password: sink.reference(id) };
  });
  for (const s of secrets) s.repo = repoIdOf.get(s.repo) ?? s.repo;
  const plans = draft.plans.map((plan) => ({
    ...plan,
    id: planIds.allocate(plan.id),
    repo: repoIdOf.get(plan.repo) ?? plan.repo,
    ...(plan.mirrors ? { mirrors: plan.mirrors.map((m) => ({ ...m, repo: repoIdOf.get(m.repo) ?? m.repo })) } : {}),
  }));
  const skipped = [...draft.skipped];
  let settings: BackstayConfigInput['settings'] = existing.settings;
  if (draft.settings) {
    // Settings are the machine's as a whole: taken only where nothing is set up yet (a new machine).
    if (existing.repos.length === 0 && existing.plans.length === 0) settings = draft.settings as BackstayConfigInput['settings'];
    else skipped.push({ what: 'settings', why: 'this Backstay already has repositories or plans, so its own settings are kept' });
  }
  return {
    config: { ...existing, settings, repos: [...existing.repos, ...repos], plans: [...existing.plans, ...plans] },
    preview: { repos, plans, skipped, renamed, secrets },
    secretWrites,
  };
}

// What every importer produces: repositories and plans in Backstay's own config shape, and, item by item, what could
// not be carried over and why. Passwords found in plain text travel beside the config (never inside it) until the
// applier puts them in a secret store.
import type { BackstayConfigInput } from '../config/schema.js';

export type ImportSource = 'backrest' | 'resticprofile' | 'backstay';

export type RepoDraft = NonNullable<BackstayConfigInput['repos']>[number];
export type PlanDraft = NonNullable<BackstayConfigInput['plans']>[number];

/** One thing of the source that was left out (or only partly imported), in words a person can act on. */
export interface SkippedItem {
  what: string;
  why: string;
}

/** An id that is not the one the source used: not a valid Backstay id, or already taken. */
export interface RenamedItem {
  kind: 'repo' | 'plan';
  from: string;
  to: string;
  why: string;
}

/** Where a plaintext password was found (never the password itself). */
export interface SecretFound {
  repo: string;
  from: string;
}

/** A plaintext secret on its way to the secret store; only the applier sees `value`. */
export interface SecretValue extends SecretFound {
  value: string;
}

export interface ImportDraft {
  repos: RepoDraft[];
  plans: PlanDraft[];
  skipped: SkippedItem[];
  renamed: RenamedItem[];
  secrets: SecretValue[];
  /** A Backstay export carries its settings; they are taken on a machine with nothing set up yet. */
  settings?: Record<string, unknown>;
}

/** What a preview and `import --json` show: the draft without secret values. */
export interface ImportPreview {
  repos: RepoDraft[];
  plans: PlanDraft[];
  skipped: SkippedItem[];
  renamed: RenamedItem[];
  secrets: SecretFound[];
}

export function emptyDraft(): ImportDraft {
  return { repos: [], plans: [], skipped: [], renamed: [], secrets: [] };
}

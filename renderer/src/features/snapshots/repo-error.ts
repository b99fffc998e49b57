// A failure to read a repository (listing or opening snapshots), in words that say what happened and what to do.
// The sentence comes from the error's code, which the engine classifies the same way for every command: an
// unreachable backend (NETWORK) is never worded like a missing repository, so nothing invites initialising it again.
import type { MessageKey, Translate } from '../../i18n/index.js';

const KNOWN = new Set(['NETWORK', 'WRONG_PASSWORD', 'REPOSITORY_LOCKED', 'NO_REPOSITORY', 'REQUEST_TIMEOUT', 'RESTIC_NOT_FOUND']);

export interface RepoErrorWords {
  /** Our sentence for the code. */
  text: string;
  /** The host's words, when they add something (restic's own line, the address), else null. */
  detail: string | null;
}

export function describeRepoError(error: { code: string; message: string }, repo: string, t: Translate): RepoErrorWords {
  const key = (KNOWN.has(error.code) ? `snapshots.listError.${error.code}` : 'snapshots.listError.other') as MessageKey;
  const text = t(key, { repo });
  // For an unreachable backend the host's words may still be restic's "no repository at the location" (older
  // classification): showing them would undo the point of the sentence above.
  const detail = error.code === 'NETWORK' && /no (restic )?repository/i.test(error.message) ? null : error.message || null;
  return { text, detail: detail && detail !== text ? detail : null };
}

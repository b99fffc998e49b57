// Keeping secrets out of text that is shown, logged or stored (invariant 6 in DESIGN.md).

export const REDACTED = '***';

/** Replaces every occurrence of each secret in `text` with `***`. Longer secrets first, so a secret that
 * contains another is removed whole. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length === 0) return text;
  const ordered = secrets.length > 1 ? [...secrets].sort((a, b) => b.length - a.length) : secrets;
  let out = text;
  for (const secret of ordered) {
    if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

// `scheme://userinfo@`, possibly behind restic's backend prefix (`rest:`, `s3:`, `swift:`...).
const USERINFO_WITH_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*):([^/@\s]*)@/gi;

/** A repository URI fit to show: `rest:https://user:secret@host/` -> `rest:https://***@host/`. */
export function redactUri(uri: string): string {
  return uri.replace(USERINFO_WITH_PASSWORD, (_m, scheme: string) => `${scheme}${REDACTED}@`);
}

/** The passwords embedded in a repository URI (as written and percent-decoded), to redact from restic's output. */
export function uriSecrets(uri: string): string[] {
  const found: string[] = [];
  for (const m of uri.matchAll(USERINFO_WITH_PASSWORD)) {
    const password = m[3];
    if (!password) continue;
    found.push(password);
    try {
      const decoded = decodeURIComponent(password);
      if (decoded !== password) found.push(decoded);
    } catch {
      // Not valid percent-encoding: the raw form is all restic can echo.
    }
  }
  return found;
}

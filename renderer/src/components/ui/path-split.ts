/**
 * Splits a path for middle shortening: the head (which may be cut, with "…") and the tail that always stays
 * whole — the last part, and its parent when both fit in `tailChars` — because the file's name is what a
 * person looks for. "/home/me/Videos/2025/trip.mov" -> ["/home/me/Videos", "/2025/trip.mov"].
 */
export function splitPath(path: string, tailChars = 32): { head: string; tail: string } {
  const trimmed = path.replace(/[/\\]+$/, '');
  const cuts = [...trimmed.matchAll(/[/\\]/g)].map((m) => m.index);
  if (cuts.length === 0) return { head: '', tail: path };
  // The tail starts with its separator, so a cut head reads "/home/me/Vi…/2025/trip.mov".
  let start = cuts[cuts.length - 1]!;
  const parent = cuts.length > 1 ? cuts[cuts.length - 2]! : null;
  if (parent !== null && path.length - parent <= tailChars) start = parent;
  return { head: path.slice(0, start), tail: path.slice(start) };
}

// One line of `restic ls --json <snapshot>`: first a snapshot header (struct_type "snapshot"; 0.17+ adds
// message_type), then one node per file, folder or link in depth-first pre-order (parents before children).
import type { SnapshotEntry } from '../../common/rpc.js';

export type LsLine =
  | { kind: 'snapshot'; id: string }
  | { kind: 'node'; path: string; name: string; type: SnapshotEntry['type']; size: number | null; mtime: string | null }
  | { kind: 'other' };

const OTHER: LsLine = { kind: 'other' };

export function parseLsLine(line: string): LsLine {
  if (line.charCodeAt(0) !== 0x7b /* { */) return OTHER;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return OTHER;
  }
  const struct = raw.struct_type ?? raw.message_type;
  if (struct === 'node') {
    const path = typeof raw.path === 'string' ? raw.path : null;
    if (!path) return OTHER;
    const type = entryType(raw.type);
    const name = typeof raw.name === 'string' ? raw.name : path.slice(path.lastIndexOf('/') + 1);
    // restic omits size 0 for files; folders get their recursive size later, links and devices have none.
    const size = type === 'file' ? (typeof raw.size === 'number' ? raw.size : 0) : null;
    const mtime = typeof raw.mtime === 'string' ? raw.mtime : null;
    return { kind: 'node', path, name, type, size, mtime };
  }
  if (struct === 'snapshot') return { kind: 'snapshot', id: typeof raw.id === 'string' ? raw.id : '' };
  return OTHER;
}

function entryType(type: unknown): SnapshotEntry['type'] {
  return type === 'file' || type === 'dir' || type === 'symlink' ? type : 'other';
}

/** "/a/b/c" -> "/a/b"; "/a" -> "/". */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * A path as the user or the window gives it -> the form used in the index: leading "/", no trailing "/",
 * no empty or "." segments. Backslashes are kept: on Linux they are legal in names.
 */
export function normalizeSnapshotPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return '/' + parts.join('/');
}

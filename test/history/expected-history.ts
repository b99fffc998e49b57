// What the history answers must be, computed straight from restic's own `ls --json` of every snapshot (no code of
// the index involved): the test's oracle.
import type { ResticCommandRunner } from '../../main/core/snapshots/runner.js';

export interface ListedNode {
  type: string;
  size: number | null;
  mtime: string | null;
}

export interface ListedSnapshot {
  id: string;
  time: string;
  nodes: Map<string, ListedNode>;
}

/** `restic ls --json` of each snapshot, parsed here by the test itself, oldest first. */
export async function listEverySnapshot(runner: ResticCommandRunner, snapshots: { id: string; time: string }[]): Promise<ListedSnapshot[]> {
  const out: ListedSnapshot[] = [];
  for (const s of [...snapshots].sort((a, b) => Date.parse(a.time) - Date.parse(b.time))) {
    const nodes = new Map<string, ListedNode>();
    const res = await runner.run('test', ['ls', '--json', s.id], {
      onStdoutLine: (line) => {
        const raw = JSON.parse(line) as Record<string, unknown>;
        if (raw.struct_type !== 'node') return;
        const type = String(raw.type);
        nodes.set(String(raw.path), {
          type: type === 'file' || type === 'dir' || type === 'symlink' ? type : 'other',
          size: type === 'file' ? ((raw.size as number | undefined) ?? 0) : null,
          mtime: (raw.mtime as string | undefined) ?? null,
        });
      },
    });
    if (res.exitCode !== 0) throw new Error(`ls failed: ${res.stderrTail.join('\n')}`);
    out.push({ id: s.id, time: s.time, nodes });
  }
  return out;
}

const same = (a: ListedNode, b: ListedNode) => a.type === b.type && a.size === b.size && a.mtime === b.mtime;

export interface ExpectedVersion {
  type: string;
  size: number | null;
  mtimeMs: number | null;
  firstSeen: string;
  lastSeen: string;
  snapshots: number;
  changed: boolean;
}

/** Runs of consecutive snapshots with the same type, size and mtime; newest first. */
export function expectedHistory(listed: ListedSnapshot[], path: string): ExpectedVersion[] {
  const runs: (ExpectedVersion & { node: ListedNode })[] = [];
  let open: (ExpectedVersion & { node: ListedNode }) | null = null;
  for (const s of listed) {
    const node = s.nodes.get(path);
    if (!node) {
      open = null;
      continue;
    }
    if (open && same(open.node, node)) {
      open.lastSeen = s.id;
      open.snapshots++;
      continue;
    }
    const previous = runs[runs.length - 1];
    open = {
      node,
      type: node.type,
      size: node.size,
      mtimeMs: node.mtime ? Date.parse(node.mtime) : null,
      firstSeen: s.id,
      lastSeen: s.id,
      snapshots: 1,
      changed: previous !== undefined && !same(previous.node, node),
    };
    runs.push(open);
  }
  return runs.reverse().map(({ node: _node, ...v }) => v);
}

/** Every path in any snapshot whose name passes `test`, with its number of versions and the last snapshot it is in. */
export function expectedFind(listed: ListedSnapshot[], test: (name: string, path: string) => boolean): Map<string, { versions: number; lastSeen: string }> {
  const out = new Map<string, { versions: number; lastSeen: string }>();
  const all = new Set(listed.flatMap((s) => [...s.nodes.keys()]));
  for (const path of all) {
    if (!test(path.slice(path.lastIndexOf('/') + 1), path)) continue;
    const h = expectedHistory(listed, path);
    out.set(path, { versions: h.length, lastSeen: h[0]!.lastSeen });
  }
  return out;
}

/** Children of `folder` in earlier snapshots but not in the newest snapshot that has `folder`, with their last snapshot. */
export function expectedDeleted(listed: ListedSnapshot[], folder: string): Map<string, string> {
  const latestIndex = listed.findLastIndex((s) => s.nodes.get(folder)?.type === 'dir');
  const out = new Map<string, string>();
  if (latestIndex === -1) return out;
  const latest = listed[latestIndex]!;
  for (let i = 0; i < latestIndex; i++) {
    for (const path of listed[i]!.nodes.keys()) {
      if (path.slice(0, path.lastIndexOf('/')) !== folder || latest.nodes.has(path)) continue;
      out.set(path, listed[i]!.id);
    }
  }
  return out;
}

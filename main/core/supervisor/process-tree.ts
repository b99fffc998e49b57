// Which processes restic started (rclone, ssh), so that none outlives it. restic starts rclone in a process group
// of its own, so signalling restic's group is not enough: we walk /proc for descendants. Linux only; elsewhere the
// list is empty and we rely on the process group.
import { readdirSync, readFileSync } from 'node:fs';

/** ppid of every process, from /proc/<pid>/stat (the field after the parenthesised command name). */
function readParentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(pid, Number(afterName[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return parents;
}

/** All descendants of pid (children, grandchildren, ...), deepest last. */
export function listDescendants(pid: number): number[] {
  const parents = readParentMap();
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  }
  const result: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    result.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return result;
}

export function signalQuietly(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

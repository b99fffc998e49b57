// "Only when the drive is connected": the folder is a mount point listed in /proc/self/mountinfo (a file given as a
// parameter so that tests use a fixture), and a local repository under it has its folder there. Where mountinfo is
// absent (macOS, Windows) a mount point is told by its device differing from its parent's. A path that does not exist
// is a drive that is not connected: known, not unknown.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { endpointOf, pathExists } from './reachable.js';

export const MOUNTINFO = '/proc/self/mountinfo';

/** The mount points of a mountinfo file (field 5; spaces and the like are octal escapes such as "\040"). */
export function parseMountPoints(mountinfo: string): Set<string> {
  const points = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (field) points.add(field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  }
  return points;
}

async function isMountPoint(dir: string, mountinfoFile: string): Promise<boolean | null> {
  let text: string | null = null;
  try {
    text = await readFile(mountinfoFile, 'utf8');
  } catch {
    text = null;
  }
  const resolved = path.resolve(dir);
  if (text !== null) return parseMountPoints(text).has(resolved);
  try {
    const [self, parent] = await Promise.all([stat(resolved), stat(path.dirname(resolved))]);
    return resolved === path.dirname(resolved) || self.dev !== parent.dev;
  } catch {
    return null;
  }
}

export async function driveMounted(mountPath: string, repoUri: string, mountinfoFile: string = MOUNTINFO): Promise<boolean | null> {
  if (!(await pathExists(mountPath))) return false;
  const mounted = await isMountPoint(mountPath, mountinfoFile);
  if (mounted !== true) return mounted;
  const endpoint = endpointOf(repoUri);
  // The drive is there; a local repository on it must be too (an empty drive of the same name is not the backup drive).
  return endpoint.kind === 'local' ? pathExists(endpoint.path) : true;
}

// `<dataDir>/serve.json`: how `backstay backup` finds a `backstay serve` already running on the same data
// directory, so that only one process supervises its operations. It holds the token, hence mode 0600.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface ServeInfo {
  pid: number;
  port: number;
  token: string;
  startedAt: string;
}

export const SERVE_INFO_FILE = 'serve.json';

export function serveInfoPath(dataDir: string): string {
  return path.join(dataDir, SERVE_INFO_FILE);
}

/** Written by atomic replace so a reader never sees half a file; created 0600 so no other user reads the token. */
export async function writeServeInfo(dataDir: string, info: ServeInfo): Promise<void> {
  const target = serveInfoPath(dataDir);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, JSON.stringify(info) + '\n', { mode: 0o600, flag: 'wx' });
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** The running host for this data directory, or null when there is none (no file, unreadable, or its pid is dead). */
export async function readServeInfo(dataDir: string): Promise<ServeInfo | null> {
  let text: string;
  try {
    text = await fs.readFile(serveInfoPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isServeInfo(parsed)) return null;
  return isProcessAlive(parsed.pid) ? parsed : null;
}

/** Removes the file only if it is still ours: a second host may have replaced it since. */
export async function removeServeInfo(dataDir: string, pid: number = process.pid): Promise<void> {
  try {
    const current = JSON.parse(await fs.readFile(serveInfoPath(dataDir), 'utf8')) as unknown;
    if (isServeInfo(current) && current.pid !== pid) return;
  } catch {
    // Missing or unreadable: nothing of ours to keep; fall through to a forced remove of garbage.
  }
  await fs.rm(serveInfoPath(dataDir), { force: true });
}

function isServeInfo(value: unknown): value is ServeInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isInteger(v.pid) && (v.pid as number) > 0 &&
    Number.isInteger(v.port) && (v.port as number) > 0 && (v.port as number) < 65536 &&
    typeof v.token === 'string' && v.token.length > 0 &&
    typeof v.startedAt === 'string'
  );
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

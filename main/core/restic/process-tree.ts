// Signals for restic and what it started. The /proc walking lives in process/process-identity.ts; this adds the
// one thing run-restic.ts needs on top: a signal that never throws for a process that is already gone.
export { descendantPids as listDescendants, isPidAlive as isAlive } from '../process/process-identity.js';

export function signalQuietly(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

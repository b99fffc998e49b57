// Keeps the schedules' pause in a tiny file in the data directory (e.g. schedule-pause.json), so a pause set
// in the desktop app holds for `backstay serve` too and survives a restart. Synchronous on purpose: it is
// written only when the user pauses or resumes, and the Scheduler's persistence interface is synchronous.
import fs from 'node:fs';
import path from 'node:path';
import type { PausePersistence } from './scheduler.js';

export function pauseFilePersistence(file: string): PausePersistence {
  return {
    load() {
      try {
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { pausedUntil?: unknown };
        return typeof parsed.pausedUntil === 'string' ? parsed.pausedUntil : null;
      } catch {
        return null; // missing or unreadable: not paused
      }
    },
    save(value) {
      if (value === null) {
        fs.rmSync(file, { force: true });
        return;
      }
      const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
      fs.writeFileSync(temp, JSON.stringify({ pausedUntil: value }) + '\n', { mode: 0o600 });
      fs.renameSync(temp, file);
    },
  };
}

// Rotation for the app log (electron-log's archiveLogFn): main.log -> main.1.log -> ... -> main.<keep>.log,
// the oldest dropped. electron-log itself keeps only one old file.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

export function rotateLogFile(file: string, keep = 3): void {
  const dir = path.dirname(file);
  const ext = path.extname(file);
  const base = path.basename(file, ext);
  const numbered = (n: number) => path.join(dir, `${base}.${n}${ext}`);
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) {
    if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1));
  }
  if (existsSync(file)) renameSync(file, numbered(1));
}

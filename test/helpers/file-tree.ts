// Small helpers to write file trees for snapshot tests and to hash restored files.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes `files` tiny files as root/dNN/eNNN/fNNN.txt, 100 per folder; returns the number of folders. */
export function writeManySmallFiles(root: string, files: number): number {
  let written = 0;
  let folders = 0;
  for (let d = 0; written < files; d++) {
    for (let e = 0; e < 100 && written < files; e++) {
      const dir = path.join(root, `d${String(d).padStart(2, '0')}`, `e${String(e).padStart(3, '0')}`);
      mkdirSync(dir, { recursive: true });
      folders++;
      for (let f = 0; f < 100 && written < files; f++, written++) writeFileSync(path.join(dir, `f${String(f).padStart(3, '0')}.txt`), `${d}/${e}/${f}\n`);
    }
  }
  return folders;
}

/** sha256 of every regular file under root, keyed by path relative to root. */
export function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.set(path.relative(root, full), sha256(full));
    }
  };
  walk(root);
  return out;
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

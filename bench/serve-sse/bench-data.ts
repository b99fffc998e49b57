// The bench's source data: random bytes (restic can neither compress nor deduplicate them), generated once per size
// into a cache folder under os.tmpdir() and reused by later runs. A marker file is written last, so an interrupted
// generation is redone rather than half-used.
import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const FILE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 4 * 1024 * 1024;
const MARKER = '.complete';

export function defaultCacheDir(sizeMiB: number): string {
  return path.join(os.tmpdir(), 'backstay-bench-data', `${sizeMiB}MiB`);
}

/** Returns the folder holding `sizeMiB` MiB of random files, generating them if the cache is missing or partial. */
export async function ensureBenchData(dir: string, sizeMiB: number, log: (line: string) => void): Promise<string> {
  if (existsSync(path.join(dir, MARKER))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let remaining = sizeMiB * 1024 * 1024;
  for (let index = 0; remaining > 0; index += 1) {
    const fileBytes = Math.min(FILE_BYTES, remaining);
    const handle = await open(path.join(dir, `data-${String(index).padStart(4, '0')}.bin`), 'w');
    try {
      for (let written = 0; written < fileBytes; written += CHUNK_BYTES) {
        const n = Math.min(CHUNK_BYTES, fileBytes - written);
        randomFillSync(chunk, 0, n);
        await handle.write(chunk, 0, n);
      }
    } finally {
      await handle.close();
    }
    remaining -= fileBytes;
  }
  await writeFile(path.join(dir, MARKER), `${sizeMiB}\n`);
  log(`generated ${sizeMiB} MiB of random data in ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return dir;
}

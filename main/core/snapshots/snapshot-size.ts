// A snapshot's size: what restoring all of it would write. restic 0.17+ records it in the snapshot's summary
// (total_bytes_processed); for older snapshots it is computed once with `restic stats --mode restore-size <id>`
// (which walks the whole tree, seconds on a big snapshot) and kept in `<cacheDir>/snapshot-sizes.json`. A snapshot
// never changes, so an entry never goes stale; one that is forgotten costs a few bytes until the file is rewritten.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';
import type { SnapshotInfo, SnapshotSize } from '../../common/rpc.js';
import { statsArgs } from '../restic/args.js';
import { redactSecrets } from '../restic/redact.js';
import type { ResticCommandRunner } from './runner.js';

type Cached = { bytes: number | null; files: number | null };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The size restic 0.17+ put into the snapshot itself, or null. */
export function sizeFromSummary(snapshot: Pick<SnapshotInfo, 'summary'>): SnapshotSize | null {
  const bytes = num(snapshot.summary?.totalBytesProcessed);
  if (bytes === null) return null;
  return { bytes, files: num(snapshot.summary?.totalFilesProcessed), source: 'summary' };
}

export class SnapshotSizes {
  private readonly file: string;
  private cache: Map<string, Cached> | null = null;
  /** One `restic stats` at a time: a list of fifty old snapshots must not start fifty tree walks at once. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, Promise<SnapshotSize>>();

  constructor(
    private readonly runner: ResticCommandRunner,
    cacheDir: string,
  ) {
    this.file = path.join(cacheDir, 'snapshot-sizes.json');
  }

  async sizeOf(repoId: string, snapshot: SnapshotInfo): Promise<SnapshotSize> {
    const fromSummary = sizeFromSummary(snapshot);
    if (fromSummary) return fromSummary;
    const key = `${repoId}/${snapshot.id}`;
    const cached = (await this.load()).get(key);
    if (cached) return { ...cached, source: 'stats' };
    let running = this.pending.get(key);
    if (!running) {
      running = this.enqueue(() => this.measure(repoId, snapshot.id, key)).finally(() => this.pending.delete(key));
      this.pending.set(key, running);
    }
    return running;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async measure(repoId: string, snapshotId: string, key: string): Promise<SnapshotSize> {
    let answer: Record<string, unknown> | null = null;
    const result = await this.runner.run(repoId, statsArgs({ mode: 'restore-size', snapshotIds: [snapshotId] }), {
      onStdoutLine: (line) => {
        if (!line.startsWith('{')) return;
        try {
          answer = JSON.parse(line) as Record<string, unknown>;
        } catch {
          // not the answer line
        }
      },
    });
    const raw = answer as Record<string, unknown> | null;
    if (result.exitCode !== 0 || !raw) {
      const last = result.spawnError?.message ?? result.stderrTail.at(-1);
      const detail = last === undefined ? null : redactSecrets(last, result.secrets ?? []);
      throw new BackstayError('RESTIC_FAILED', `restic could not measure snapshot ${snapshotId.slice(0, 8)}.`, detail);
    }
    const size: Cached = { bytes: num(raw.total_size), files: num(raw.total_file_count) };
    const cache = await this.load();
    cache.set(key, size);
    await this.save(cache);
    return { ...size, source: 'stats' };
  }

  private async load(): Promise<Map<string, Cached>> {
    if (this.cache) return this.cache;
    let entries: Record<string, Cached> = {};
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) entries = parsed as Record<string, Cached>;
    } catch {
      // absent or unreadable: the sizes are measured again
    }
    this.cache = new Map(Object.entries(entries));
    return this.cache;
  }

  private async save(cache: Map<string, Cached>): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(Object.fromEntries(cache)));
    await rename(tmp, this.file);
  }
}

// Forward-progress tracking for one restic process. A steady stream of `status` lines is not progress (with a frozen
// backend restic keeps printing the same bytes_done once a second): only more bytes, more files, or a new message
// that is not a status line count.
import type { Progress } from '../../common/index.js';

/** How many seconds of samples the transfer rate is computed over. */
const RATE_WINDOW_MS = 5_000;
/** At most one rate sample per this many ms: the window stays ~50 samples however fast lines come. */
const SAMPLE_EVERY_MS = 100;

export class ProgressTracker {
  private latest: Progress = {};
  private lastProgressAt: number;
  private bestBytes = 0;
  private bestFiles = 0;
  private readonly samples: Array<{ at: number; bytes: number }> = [];

  constructor(private readonly now: () => number) {
    this.lastProgressAt = now();
  }

  get progress(): Progress {
    return this.latest;
  }

  get lastForwardProgressAt(): number {
    return this.lastProgressAt;
  }

  /** Samples held for the rate (bounded by RATE_WINDOW_MS / SAMPLE_EVERY_MS, whatever the line rate). */
  get sampleCount(): number {
    return this.samples.length;
  }

  get bytesDone(): number {
    return this.bestBytes;
  }

  get filesDone(): number {
    return this.bestFiles;
  }

  /** A status line. Returns true when it moved forward. */
  onStatus(progress: Progress): boolean {
    const at = this.now();
    const bytes = progress.bytesDone ?? 0;
    const files = progress.filesDone ?? 0;
    const forward = bytes > this.bestBytes || files > this.bestFiles;
    if (forward) {
      this.bestBytes = Math.max(this.bestBytes, bytes);
      this.bestFiles = Math.max(this.bestFiles, files);
      this.lastProgressAt = at;
      const last = this.samples[this.samples.length - 1];
      if (last && this.samples.length > 1 && at - this.samples[this.samples.length - 2]!.at < SAMPLE_EVERY_MS) {
        last.at = at;
        last.bytes = bytes;
      } else {
        this.samples.push({ at, bytes });
      }
      while (this.samples.length > 2 && at - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
    }
    // restic 0.14 reports "scan finished" as a status line with totals only: merge, so bytes and percent stay.
    this.latest = { ...this.latest, ...progress, bytesPerSecond: this.rate(at) };
    return forward;
  }

  /** A message that is not a status line (a file saved, an error about one file, the summary). */
  onOtherMessage(): void {
    this.lastProgressAt = this.now();
  }

  /** The user chose "Keep waiting": the stall clock starts again from now. */
  restartStallClock(): void {
    this.lastProgressAt = this.now();
  }

  private rate(at: number): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last === first) return 0;
    // A rate that stays at its old value while nothing moves would lie: count the time since the last sample too.
    const span = Math.max(at, last.at) - first.at;
    return span > 0 ? Math.round(((last.bytes - first.bytes) * 1000) / span) : 0;
  }
}

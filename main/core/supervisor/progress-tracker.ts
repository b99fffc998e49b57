// Forward-progress tracking for one restic process. A steady stream of `status` lines is not progress (with a frozen
// backend restic keeps printing the same bytes_done once a second): only more bytes, more files, or a new message
// that is not a status line count.
//
// The rate and the ETA that a person sees come only from forward progress over a recent window: a rate is never
// stretched over the seconds in which nothing moved (that invents a falling "13.9 MiB/s"), and once nothing has
// moved for WAITING_AFTER_MS neither a rate nor restic's own ETA is shown.
import type { Progress } from '../../common/index.js';

/** How many seconds of forward samples the transfer rate is computed over. */
const RATE_WINDOW_MS = 5_000;
/** At most one rate sample per this many ms: the window stays ~50 samples however fast lines come. */
const SAMPLE_EVERY_MS = 100;
/** After this long without forward progress the operation is "waiting" (for the backend, usually). */
export const WAITING_AFTER_MS = 3_000;

export interface ProgressTrackerOptions {
  /** Default WAITING_AFTER_MS. */
  waitingAfterMs?: number;
}

export class ProgressTracker {
  private latest: Progress = {};
  /** Last forward progress of any kind (bytes, files, another message, I/O): what stalls and waiting are judged by. */
  private lastProgressAt: number;
  /** Last status line that moved bytes or files: what the rate and the ETA are judged by. */
  private lastMovedAt: number | null = null;
  private bestBytes = 0;
  private bestFiles = 0;
  private readonly samples: Array<{ at: number; bytes: number }> = [];
  private readonly waitingAfterMs: number;

  constructor(
    private readonly now: () => number,
    opts: ProgressTrackerOptions = {},
  ) {
    this.lastProgressAt = now();
    this.waitingAfterMs = opts.waitingAfterMs ?? WAITING_AFTER_MS;
  }

  /** The progress to show now: restic's numbers, plus a rate and an ETA only while they are backed by movement. */
  get progress(): Progress {
    const at = this.now();
    const { bytesPerSecond: _rate, etaSeconds, ...rest } = this.latest;
    const moving = this.lastMovedAt !== null && at - this.lastMovedAt < this.waitingAfterMs;
    if (!moving) return rest;
    const shown: Progress = { ...rest };
    const rate = this.rate();
    if (rate !== null) shown.bytesPerSecond = rate;
    if (etaSeconds !== undefined && etaSeconds !== null) shown.etaSeconds = etaSeconds;
    return shown;
  }

  get lastForwardProgressAt(): number {
    return this.lastProgressAt;
  }

  /** Since when nothing has moved (ms), once that is at least the waiting threshold; null while moving. */
  waitingSince(): number | null {
    return this.now() - this.lastProgressAt >= this.waitingAfterMs ? this.lastProgressAt : null;
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
      // Resuming after a pause: the pause is not part of the rate, so the window starts again.
      if (this.lastMovedAt !== null && at - this.lastMovedAt >= this.waitingAfterMs) this.samples.length = 0;
      this.bestBytes = Math.max(this.bestBytes, bytes);
      this.bestFiles = Math.max(this.bestFiles, files);
      this.lastProgressAt = at;
      this.lastMovedAt = at;
      const last = this.samples[this.samples.length - 1];
      if (last && this.samples.length > 1 && at - this.samples[this.samples.length - 2]!.at < SAMPLE_EVERY_MS) {
        last.at = at;
        last.bytes = this.bestBytes;
      } else {
        this.samples.push({ at, bytes: this.bestBytes });
      }
      while (this.samples.length > 1 && at - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
    }
    // restic 0.14 reports "scan finished" as a status line with totals only: merge, so bytes and percent stay.
    this.latest = { ...this.latest, ...progress };
    return forward;
  }

  /** A message that is not a status line (a file saved, an error about one file, the summary), or I/O that moved. */
  onOtherMessage(): void {
    this.lastProgressAt = this.now();
  }

  /** The user chose "Keep waiting": the stall clock starts again from now. */
  restartStallClock(): void {
    this.lastProgressAt = this.now();
  }

  /** Bytes per second between the first and the last forward sample of the window; null with fewer than two. */
  private rate(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last === first) return null;
    const span = last.at - first.at;
    return span > 0 ? Math.round(((last.bytes - first.bytes) * 1000) / span) : null;
  }
}

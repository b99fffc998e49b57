// Output lines of operations, buffered in memory and written in small batches from a timer, so that writing a
// line to SQLite never happens on restic's output path (a busy or failing database only delays the log).
import type { Logger } from '../engine-api.js';
import type { OpStore } from '../oplog/store.js';
import type { OpLogLine } from '../../common/index.js';

const FLUSH_EVERY_MS = 500;
const MAX_PENDING_LINES = 10_000;

interface PendingLine {
  opId: number;
  stream: OpLogLine['stream'];
  text: string;
  time: string;
}

export class LogBuffer {
  private pending: PendingLine[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    private readonly store: OpStore,
    private readonly logger: Logger,
  ) {}

  append(opId: number, stream: OpLogLine['stream'], text: string): void {
    if (this.pending.length >= MAX_PENDING_LINES) {
      this.dropped += 1;
      return;
    }
    this.pending.push({ opId, stream, text, time: new Date().toISOString() });
    this.timer ??= setTimeout(() => this.flushAll(), FLUSH_EVERY_MS).unref();
  }

  /** Writes everything pending (the op id is a hint; lines stay in order across operations). */
  flush(_opId?: number): void {
    this.flushAll();
  }

  flushAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    let written = 0;
    try {
      for (const line of batch) {
        this.store.appendLog(line.opId, line.stream, line.text, line.time);
        written += 1;
      }
      if (this.failing) this.logger.info('operation log writes work again');
      this.failing = false;
    } catch (err) {
      // Keep what was not written for the next try, within the cap.
      this.pending = batch.slice(written).concat(this.pending).slice(0, MAX_PENDING_LINES);
      if (!this.failing) this.logger.error('could not write operation output to the oplog', { error: String(err) });
      this.failing = true;
      this.timer ??= setTimeout(() => this.flushAll(), FLUSH_EVERY_MS * 4).unref();
    }
    if (this.dropped > 0) {
      this.logger.warn('operation output lines dropped while the oplog was unavailable', { dropped: this.dropped });
      this.dropped = 0;
    }
  }
}

// Splits a byte stream into lines while draining it at full speed, whatever the consumer does.
//
// Why this shape: a restic whose stdout/stderr pipe is not drained stops (DESIGN.md, "the story"). So the
// reader keeps the stream flowing, never pauses it, never awaits the callback, and holds at most
// `maxLineBytes` of any one line: a 10 MB line is cut at the cap and the rest is skipped up to its newline.
import type { Readable } from 'node:stream';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export interface ReadLinesOptions {
  /** Longest line kept, in bytes; longer lines are cut and reported with `truncated = true`. */
  maxLineBytes?: number;
}

export type OnLine = (text: string, truncated: boolean) => void;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Reads `stream` to its end, calling `onLine` once per line (without the line ending; `\r\n` is handled).
 * A last line without a newline is flushed at the end. UTF-8 characters split across chunks are kept whole.
 * An exception thrown by `onLine` never stops the draining; the first one rejects the promise once the stream
 * has ended. A stream error rejects it too.
 */
export function readLines(stream: Readable, onLine: OnLine, opts: ReadLinesOptions = {}): Promise<void> {
  const splitter = new LineSplitter(onLine, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown): void => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    stream.on('data', (chunk: Buffer | string) => {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    });
    stream.once('end', () => {
      splitter.end();
      finish(splitter.firstCallbackError);
    });
    // 'close' without 'end' happens when the child is killed and the pipe is destroyed: flush what we have.
    stream.once('close', () => {
      splitter.end();
      finish(splitter.firstCallbackError);
    });
    stream.once('error', (err) => {
      splitter.end();
      finish(err);
    });
    stream.resume();
  });
}

/** The synchronous core of `readLines`, exported for tests and benchmarks that feed chunks directly. */
export class LineSplitter {
  /** Pieces of the current line not yet terminated by a newline. Never holds more than `maxLineBytes`. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True after a line was cut at the cap: bytes are dropped until the next newline. */
  private skipping = false;
  private ended = false;
  firstCallbackError: unknown = undefined;

  constructor(
    private readonly onLine: OnLine,
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
  ) {
    if (!(maxLineBytes > 0)) throw new RangeError('maxLineBytes must be positive');
  }

  push(chunk: Buffer): void {
    let start = 0;
    const length = chunk.length;
    while (start < length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.keepPartial(chunk, start, length);
        return;
      }
      if (this.skipping) {
        this.skipping = false;
      } else if (this.pendingBytes === 0) {
        // Fast path: the whole line is inside this chunk.
        const lineBytes = nl - start;
        if (lineBytes > this.maxLineBytes) this.emitCut(chunk.subarray(start, nl));
        else this.emit(chunk, start, nl, false);
      } else {
        this.keepPartial(chunk, start, nl);
        if (this.skipping) this.skipping = false;
        else this.emitPending();
      }
      start = nl + 1;
    }
  }

  /** Flushes a last line that had no newline. Idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.skipping && this.pendingBytes > 0) this.emitPending();
    this.pending = [];
    this.pendingBytes = 0;
  }

  private keepPartial(chunk: Buffer, from: number, to: number): void {
    if (this.skipping || from === to) return;
    const room = this.maxLineBytes - this.pendingBytes;
    const size = to - from;
    if (size <= room) {
      // Copy: the caller's chunk may be reused by the stream implementation.
      this.pending.push(Buffer.from(chunk.subarray(from, to)));
      this.pendingBytes += size;
      return;
    }
    this.pending.push(chunk.subarray(from, from + room + 1));
    this.pendingBytes += room + 1;
    const whole = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emitCut(whole);
    this.skipping = true;
  }

  private emitPending(): void {
    const whole = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(whole, 0, whole.length, false);
  }

  /** Emits the first `maxLineBytes` of an over-long line, cut back to a UTF-8 character boundary. */
  private emitCut(bytes: Buffer): void {
    let end = this.maxLineBytes;
    // Step back over continuation bytes (10xxxxxx) so a character is not split in half.
    while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
    this.emit(bytes, 0, end, true);
  }

  private emit(buf: Buffer, from: number, to: number, truncated: boolean): void {
    if (!truncated && to > from && buf[to - 1] === CARRIAGE_RETURN) to--;
    const text = buf.toString('utf8', from, to);
    try {
      this.onLine(text, truncated);
    } catch (err) {
      if (this.firstCallbackError === undefined) this.firstCallbackError = err;
    }
  }
}

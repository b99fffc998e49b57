import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter, readLines } from './line-reader.js';
import { parseResticLine } from './parse.js';

interface Got {
  text: string;
  truncated: boolean;
}

async function collect(chunks: Array<Buffer | string>, maxLineBytes?: number): Promise<Got[]> {
  const got: Got[] = [];
  const stream = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)), { objectMode: false });
  await readLines(stream, (text, truncated) => got.push({ text, truncated }), maxLineBytes ? { maxLineBytes } : {});
  return got;
}

const texts = (got: Got[]): string[] => got.map((g) => g.text);

describe('readLines', () => {
  it('splits on \\n, strips \\r\\n, keeps empty lines', async () => {
    expect(texts(await collect(['a\nb\r\n\nc\n']))).toEqual(['a', 'b', '', 'c']);
  });

  it('joins lines split across chunks, including a \\r\\n split between chunks', async () => {
    expect(texts(await collect(['hel', 'lo\r', '\nwor', 'ld\n']))).toEqual(['hello', 'world']);
  });

  it('flushes a last line without newline at the end', async () => {
    expect(texts(await collect(['one\ntwo']))).toEqual(['one', 'two']);
    expect(texts(await collect(['only']))).toEqual(['only']);
    expect(texts(await collect([]))).toEqual([]);
  });

  it('keeps a UTF-8 character split across chunks whole', async () => {
    const bytes = Buffer.from('größe: 😀\n', 'utf8');
    // Split inside the 4-byte emoji and inside "ö".
    const cuts = [3, bytes.length - 3];
    const got = await collect([bytes.subarray(0, cuts[0]), bytes.subarray(cuts[0], cuts[1]), bytes.subarray(cuts[1])]);
    expect(texts(got)).toEqual(['größe: 😀']);
  });

  it('splits byte by byte', async () => {
    const bytes = Buffer.from('αβ\nγ\r\nδ', 'utf8');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(texts(await collect(chunks))).toEqual(['αβ', 'γ', 'δ']);
  });

  it('cuts a 10 MB line at the cap, skips the rest, and goes on with the next line', async () => {
    const cap = 64 * 1024;
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    // Feed in 64 KiB pieces like a pipe would, the newline in the last piece.
    const chunks: Buffer[] = [Buffer.from('before\n')];
    for (let i = 0; i < big.length; i += 65536) chunks.push(big.subarray(i, i + 65536));
    chunks.push(Buffer.from('\nafter\n'));
    const got = await collect(chunks, cap);
    expect(got.map((g) => [g.text.length, g.truncated])).toEqual([
      [6, false],
      [cap, true],
      [5, false],
    ]);
    expect(got[1]!.text).toBe('a'.repeat(cap));
  });

  it('cuts an over-long line that arrives in a single chunk', async () => {
    const got = await collect([`x\n${'b'.repeat(100)}\ny\n`], 10);
    expect(got).toEqual([
      { text: 'x', truncated: false },
      { text: 'b'.repeat(10), truncated: true },
      { text: 'y', truncated: false },
    ]);
  });

  it('never cuts in the middle of a UTF-8 character', async () => {
    // "é" is 2 bytes: a cap of 5 falls inside the third "é".
    const got = await collect(['éééééé\n'], 5);
    expect(got).toEqual([{ text: 'éé', truncated: true }]);
  });

  it('does not buffer a 10 MB line whole: memory stays far below the line size', () => {
    const splitter = new LineSplitter(() => {}, 64 * 1024);
    const piece = Buffer.alloc(65536, 0x62);
    for (let i = 0; i < 160; i++) splitter.push(piece);
    // Private state inspected on purpose: the pending buffer must be capped.
    const pendingBytes = (splitter as unknown as { pendingBytes: number }).pendingBytes;
    expect(pendingBytes).toBe(0);
  });

  it('keeps draining when the callback throws, and rejects at the end with the first error', async () => {
    const seen: string[] = [];
    const stream = Readable.from([Buffer.from('a\nb\nc\n')]);
    const done = readLines(stream, (t) => {
      seen.push(t);
      if (t === 'a') throw new Error('boom');
    });
    await expect(done).rejects.toThrow('boom');
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('drains a stream whose consumer does nothing, without ever pausing it', async () => {
    const stream = new PassThrough({ highWaterMark: 1024 });
    let count = 0;
    const done = readLines(stream, () => {
      count++;
    });
    const line = Buffer.from('{"message_type":"status","bytes_done":1}\n');
    let refused = 0;
    for (let i = 0; i < 20_000; i++) if (!stream.write(line)) refused++;
    stream.end();
    await done;
    expect(count).toBe(20_000);
    expect(stream.isPaused()).toBe(false);
    // With a paused reader almost every write after the first KiB would be refused.
    expect(refused).toBeLessThan(20_000);
  });

  it('flushes the pending line when the stream closes without end (a killed child)', async () => {
    const stream = new PassThrough();
    const got: string[] = [];
    const done = readLines(stream, (t) => got.push(t));
    stream.write('partial');
    await new Promise((r) => setImmediate(r));
    stream.destroy();
    await done;
    expect(got).toEqual(['partial']);
  });

  it('splits and parses >= 200,000 status lines/s in-process (measured ~1,000,000/s here)', () => {
    let text = '';
    for (let j = 0; j < 1000; j++) {
      text += `{"message_type":"status","percent_done":${j / 1000},"total_files":1000,"files_done":${j},"total_bytes":1000000,"bytes_done":${j * 1000},"current_files":["/data/file-${j}"]}\n`;
    }
    const all = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < all.length; i += 65536) chunks.push(all.subarray(i, i + 65536));
    let statuses = 0;
    const splitter = new LineSplitter((t) => {
      if (parseResticLine(t).type === 'status') statuses++;
    });
    // Best of three batches, so that other test files sharing the 2 cores do not decide the figure.
    const rounds = 100;
    let best = 0;
    for (let batch = 0; batch < 3; batch++) {
      const start = performance.now();
      for (let r = 0; r < rounds; r++) for (const c of chunks) splitter.push(c);
      best = Math.max(best, (rounds * 1000) / ((performance.now() - start) / 1000));
    }
    splitter.end();
    expect(statuses).toBe(3 * rounds * 1000);
    expect(best).toBeGreaterThan(200_000);
  });
});

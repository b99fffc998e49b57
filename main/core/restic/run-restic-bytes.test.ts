// Byte-stream mode of the one restic entry point (restic dump): stdout as raw bytes, read at the consumer's pace.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFakeRestic, type FakeResticScript } from '../../../test/helpers/fake-restic.js';
import { streamResticBytes } from './run-restic.js';

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

async function fake(script: FakeResticScript): Promise<{ binary: string; env: Record<string, string> }> {
  dir ??= await mkdtemp(path.join(os.tmpdir(), 'backstay-run-restic-bytes-'));
  const { binary } = await makeFakeRestic(dir, script);
  return { binary, env: { PATH: process.env.PATH ?? '' } };
}

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('streamResticBytes(): byte-stream mode', () => {
  it('hands over every byte, stderr as lines, to a consumer still reading long after restic exited', async () => {
    const payload = 'a'.repeat(300_000) + 'b'.repeat(1000);
    const target = await fake({ steps: [{ stdoutRaw: payload }, { stderr: 'dumped' }], exitCode: 0 });
    const stderr: string[] = [];
    const child = streamResticBytes(target, ['dump', 'abc123', '/file'], { onStderrLine: (t) => stderr.push(t), drainAfterExitMs: 20 });
    // A slow client: every write takes longer than the drain bound, so the tail is still on its way when restic exits.
    const received: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, callback) {
        received.push(chunk);
        setTimeout(callback, 30);
      },
    });
    child.stdout!.pipe(slow);
    await finished(slow);
    expect(Buffer.concat(received).toString('utf8') === payload).toBe(true);
    expect(await child.done).toMatchObject({ exitCode: 0, spawnFailure: null });
    expect(stderr).toEqual(['dumped']);
  });

  it('a consumer that does not read makes restic wait: what is held in memory stays bounded', async () => {
    const target = await fake({ steps: [{ floodStatus: 200_000 }], exitCode: 0 });
    const child = streamResticBytes(target, ['dump', 'abc123', '/big'], {});
    const stdout = child.stdout!;
    stdout.pause();
    let last = -1;
    // Bounded polling until the buffer stops growing (restic blocked on the full pipe).
    await waitFor(() => {
      const now = stdout.readableLength;
      const stable = now > 0 && now === last;
      last = now;
      return stable;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exited).toBe(false);
    expect(stdout.readableLength).toBeLessThanOrEqual(256 * 1024);
    child.stop(200);
    stdout.resume();
    const exit = await child.done;
    expect(exit.exitCode === 130 || exit.signal !== null).toBe(true);
  });

  it('restic that cannot start: no stdout, a spawn failure', async () => {
    const child = streamResticBytes({ binary: '/nonexistent/restic', env: {} }, ['dump', 'abc123', '/x'], {});
    expect(child.stdout).toBeNull();
    expect((await child.done).spawnFailure).not.toBeNull();
  });
});

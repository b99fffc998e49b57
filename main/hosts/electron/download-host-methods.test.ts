// The desktop download host methods: save dialog, the dump streamed into the chosen file with progress, and a
// cancel or a failure that leaves no partial file. The Dumper here is real restic's (test/serve/download.test.ts
// covers it over HTTP); this test gives the host methods one over a stream it controls.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/index.js';
import type { DownloadProgress } from '../../common/rpc.js';
import type { Dumper, DumpStream } from '../../core/snapshots/dump.js';
import { downloadHostMethods } from './download-host-methods.js';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

interface Controlled {
  dumper: Dumper;
  stdout: PassThrough;
  finish(error?: BackstayError): void;
  cancelled: () => boolean;
}

function controlledDumper(): Controlled {
  const stdout = new PassThrough();
  let settle!: (error?: BackstayError) => void;
  const done = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
  done.catch(() => undefined);
  let cancelled = false;
  const target = { kind: 'file' as const, fileName: 'notes.txt', size: 11, snapshot: { id: 'a'.repeat(64), shortId: 'aaaaaaaa', time: '', paths: [], tags: [], hostname: '' } };
  const dumper: Dumper = {
    describe: async () => target,
    open: async (): Promise<DumpStream> => ({
      ...target,
      stdout,
      done,
      cancel() {
        cancelled = true;
        stdout.destroy();
        settle(new BackstayError('CANCELLED', 'cancelled'));
      },
    }),
  };
  return { dumper, stdout, finish: (e) => (e ? (stdout.destroy(), settle(e)) : (stdout.end(), settle())), cancelled: () => cancelled };
}

async function setup(answer: 'choose' | 'close' = 'choose') {
  dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-download-'));
  const target = path.join(dir, 'saved notes.txt');
  const c = controlledDumper();
  let asked: string | null = null;
  const methods = downloadHostMethods({
    dumps: c.dumper,
    askSavePath: async (name) => {
      asked = name;
      return answer === 'choose' ? target : null;
    },
    logger,
  });
  const call = (m: string, p: unknown) => methods[m]!(p);
  const request = { repoId: 'nas', snapshotId: 'aaaa', path: '/home/me/notes.txt' };
  return { c, call, target, request, asked: () => asked };
}

async function until(call: (m: string, p: unknown) => Promise<unknown>, id: number, status: DownloadProgress['status']): Promise<DownloadProgress> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const p = (await call('download.progress', { downloadId: id })) as DownloadProgress;
    if (p.status === status) return p;
    if (Date.now() > deadline) throw new Error(`still ${p.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('desktop download host methods', () => {
  it('asks where to save with the file name, writes the bytes there, and reports them', async () => {
    const { c, call, target, request, asked } = await setup();
    const { downloadId } = (await call('download.save', request)) as { downloadId: number };
    expect(asked()).toBe('notes.txt');
    c.stdout.write('hello ');
    await expect.poll(async () => ((await call('download.progress', { downloadId })) as DownloadProgress).bytes).toBe(6);
    c.stdout.write('world');
    c.finish();
    const done = await until(call, downloadId, 'done');
    expect(done).toMatchObject({ bytes: 11, total: 11, fileName: 'saved notes.txt', error: null });
    expect(await readFile(target, 'utf8')).toBe('hello world');
    expect(await readdir(dir!)).toEqual(['saved notes.txt']);
  });

  it('cancel stops the dump and removes the partial file', async () => {
    const { c, call, request } = await setup();
    const { downloadId } = (await call('download.save', request)) as { downloadId: number };
    c.stdout.write('hello ');
    await expect.poll(async () => ((await call('download.progress', { downloadId })) as DownloadProgress).bytes).toBe(6);
    await call('download.cancel', { downloadId });
    await until(call, downloadId, 'cancelled');
    expect(c.cancelled()).toBe(true);
    expect(await readdir(dir!)).toEqual([]);
  });

  it('a failed dump is reported with its code and leaves no file', async () => {
    const { c, call, request } = await setup();
    const { downloadId } = (await call('download.save', request)) as { downloadId: number };
    c.stdout.write('hel');
    c.finish(new BackstayError('RESTIC_FAILED', 'restic failed during downloading (exit code 1).'));
    const failed = await until(call, downloadId, 'failed');
    expect(failed.error).toEqual({ code: 'RESTIC_FAILED', message: 'restic failed during downloading (exit code 1).' });
    expect(await readdir(dir!)).toEqual([]);
  });

  it('a closed save dialog starts nothing', async () => {
    const { call, request } = await setup('close');
    expect(await call('download.save', request)).toEqual({ downloadId: null, fileName: 'notes.txt' });
  });

  it.each([
    [{ repoId: 'NAS', snapshotId: 'a', path: '/x' }, /repoId/],
    [{ repoId: 'nas', snapshotId: '', path: '/x' }, /snapshotId/],
    [{ repoId: 'nas', snapshotId: 'a', path: 'x' }, /absolute/],
    [{ repoId: 'nas', snapshotId: 'a', path: '/x', extra: 1 }, /Unknown parameter/],
  ])('refuses bad params %j', async (params, words) => {
    const { call } = await setup();
    await expect(call('download.save', params)).rejects.toThrow(words);
  });

  it('an unknown download id is NOT_FOUND', async () => {
    const { call } = await setup();
    await expect(call('download.progress', { downloadId: 99 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

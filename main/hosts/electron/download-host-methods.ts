// Downloads in the desktop app: the user picks where to save (the native save dialog), then `restic dump` streams
// into that file with backpressure (restic waits for the disk, nothing piles up in memory). The window follows the
// bytes written and can cancel; a cancelled or failed download leaves no partial file behind. The bytes go to a
// sibling ".part" file first and are renamed over the chosen name only when restic says they are whole.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BackstayError } from '../../common/index.js';
import type { DownloadProgress } from '../../common/rpc.js';
import type { Logger } from '../../core/engine-api.js';
import type { Dumper, DumpRequest } from '../../core/snapshots/dump.js';
import type { HostMethod } from './ipc-router.js';

export interface DownloadHostDeps {
  dumps: Dumper;
  /** The native save dialog; null when the user closed it. */
  askSavePath(defaultName: string): Promise<string | null>;
  logger: Logger;
}

/** Finished downloads the window may still ask about; older ones are forgotten. */
const KEEP_FINISHED = 20;
const REPO_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

interface Download {
  progress: DownloadProgress;
  cancel(): void;
}

function dumpRequest(params: unknown): DumpRequest {
  const p = objectParams(params, ['repoId', 'snapshotId', 'path']);
  if (typeof p.repoId !== 'string' || !REPO_ID.test(p.repoId)) throw new BackstayError('BAD_PARAMS', 'repoId must be a repository id.');
  if (typeof p.snapshotId !== 'string' || p.snapshotId === '') throw new BackstayError('BAD_PARAMS', 'snapshotId must be a snapshot id.');
  if (typeof p.path !== 'string' || !p.path.startsWith('/')) throw new BackstayError('BAD_PARAMS', 'path must be an absolute path in the snapshot.');
  return { repoId: p.repoId, snapshotId: p.snapshotId, path: p.path };
}

function downloadId(params: unknown): number {
  const id = objectParams(params, ['downloadId']).downloadId;
  if (typeof id !== 'number' || !Number.isInteger(id)) throw new BackstayError('BAD_PARAMS', 'downloadId must be a whole number.');
  return id;
}

function objectParams(params: unknown, keys: string[]): Record<string, unknown> {
  if (!params || typeof params !== 'object' || Array.isArray(params)) throw new BackstayError('BAD_PARAMS', 'Expected an object of parameters.');
  const extra = Object.keys(params).filter((k) => !keys.includes(k));
  if (extra.length) throw new BackstayError('BAD_PARAMS', `Unknown parameter "${extra[0]}".`);
  return params as Record<string, unknown>;
}

export function downloadHostMethods(deps: DownloadHostDeps): Record<string, HostMethod> {
  const downloads = new Map<number, Download>();
  let seq = 0;
  const forgetOld = () => {
    const finished = [...downloads].filter(([, d]) => d.progress.status !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) downloads.delete(id);
  };
  const find = (id: number): Download => {
    const d = downloads.get(id);
    if (!d) throw new BackstayError('NOT_FOUND', `There is no download ${id}.`);
    return d;
  };

  return {
    'download.save': async (params) => {
      const request = dumpRequest(params);
      const target = await deps.dumps.describe(request);
      const chosen = await deps.askSavePath(target.fileName);
      if (!chosen) return { downloadId: null, fileName: target.fileName };
      const dump = await deps.dumps.open(request);
      const id = ++seq;
      const fileName = path.basename(chosen);
      const partial = `${chosen}.part`;
      const progress: DownloadProgress = { status: 'running', bytes: 0, total: dump.size, fileName, error: null };
      let cancelled = false;
      downloads.set(id, {
        progress,
        cancel: () => {
          if (progress.status !== 'running') return;
          cancelled = true;
          dump.cancel();
        },
      });
      const counter = new Transform({
        transform(chunk: Buffer, _enc, callback) {
          progress.bytes += chunk.length;
          callback(null, chunk);
        },
      });
      const written = pipeline(dump.stdout, counter, createWriteStream(partial));
      // restic failed: stop it, so that its output ends and the file stream can close.
      dump.done.catch(() => dump.cancel());
      // Wait for both: the partial file is removed only once its stream is closed (a stream still opening it would
      // create it again after the removal).
      void Promise.allSettled([written, dump.done])
        .then(([w, d]) => {
          if (d.status === 'rejected') throw d.reason;
          if (w.status === 'rejected') throw w.reason;
          return rename(partial, chosen);
        })
        .then(
          () => {
            progress.status = 'done';
          },
          async (error: unknown) => {
            await rm(partial, { force: true }).catch(() => undefined);
            if (cancelled) {
              progress.status = 'cancelled';
              return;
            }
            dump.cancel();
            progress.status = 'failed';
            progress.error =
              error instanceof BackstayError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
            deps.logger.warn('download failed', { code: progress.error.code, error: progress.error.message });
          },
        )
        .finally(forgetOld);
      return { downloadId: id, fileName };
    },
    'download.progress': async (params) => ({ ...find(downloadId(params)).progress }),
    'download.cancel': async (params) => {
      find(downloadId(params)).cancel();
      return { ok: true };
    },
  };
}

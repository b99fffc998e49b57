// What the history views ask of the host: every version of a path, a search across all snapshots, what is gone
// from a folder, and downloads of any version (a save dialog in the desktop app, the browser's save in a tab).
import type { RpcParams } from '../../../main/common/index.js';
import { RpcError, type BackstayClient, type DownloadOutcome, type DownloadProgressInfo, type DownloadRequest } from '../client/index.js';

export type HistoryFilter = Pick<RpcParams<'snapshots.history'>, 'planId' | 'host'>;
export type FindAllRange = Pick<RpcParams<'snapshots.findAll'>, 'planId' | 'since' | 'until' | 'limit'>;

export function createHistoryActions(client: BackstayClient) {
  return {
    history: (repoId: string, path: string, filter: HistoryFilter = {}) => client.invoke('snapshots.history', { repoId, path, ...defined(filter) }),
    findAll: (repoId: string, query: string, range: FindAllRange = {}) => client.invoke('snapshots.findAll', { repoId, query, ...defined(range) }),
    deleted: (repoId: string, path: string) => client.invoke('snapshots.deleted', { repoId, path }),
    /** Whether this window can save downloads at all. */
    canDownload: () => client.download !== undefined,
    download(request: DownloadRequest, onProgress: (p: DownloadProgressInfo) => void, signal: AbortSignal): Promise<DownloadOutcome> {
      if (!client.download) return Promise.reject(new RpcError('NOT_FOUND', 'This window cannot save downloads.'));
      return client.download(request, { onProgress, signal });
    },
  };
}

/** Leaves out the filters that are not set (the host refuses empty strings for ids and times). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

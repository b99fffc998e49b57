import { useEffect, useRef, useState } from 'react';
import { formatBytes } from '../../format/format.js';
import { toRpcError, useActions } from '../../store/index.js';
import { useT } from '../../components/useT.js';

type DownloadState =
  | { kind: 'idle' }
  | { kind: 'running'; bytes: number; total: number | null }
  | { kind: 'saved'; fileName: string; bytes: number }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

/** Download one file, or a folder as .tar, of one snapshot: progress while it runs, Cancel, and how it ended. */
export function DownloadButton({ repoId, snapshotId, path, name }: { repoId: string; snapshotId: string; path: string; name: string }) {
  const t = useT();
  const { history } = useActions();
  const [state, setState] = useState<DownloadState>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  // Leaving the view cancels a download in flight (the host removes its partial file).
  useEffect(() => () => abort.current?.abort(), []);
  if (!history.canDownload()) return null;

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'running', bytes: 0, total: null });
    try {
      const outcome = await history.download({ repoId, snapshotId, path }, (p) => setState({ kind: 'running', bytes: p.bytes, total: p.total }), controller.signal);
      setState(outcome.status === 'saved' ? { kind: 'saved', fileName: outcome.fileName, bytes: outcome.bytes } : { kind: 'cancelled' });
    } catch (err) {
      setState({ kind: 'failed', message: toRpcError(err).message });
    } finally {
      abort.current = null;
    }
  };

  return (
    <span className="download" data-testid="download">
      {state.kind === 'running' ? (
        <>
          <span role="status" aria-live="polite" className="muted">
            {state.total !== null
              ? t('history.download.progressOf', { done: formatBytes(state.bytes), total: formatBytes(state.total) })
              : t('history.download.progress', { done: formatBytes(state.bytes) })}
          </span>{' '}
          <button type="button" onClick={() => abort.current?.abort()}>
            {t('history.download.cancel')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => void start()} aria-label={t('history.download.label', { name })}>
          {t('history.download')}
        </button>
      )}
      {state.kind === 'saved' && (
        <span className="muted" role="status">
          {' '}
          {t('history.download.saved', { name: state.fileName, size: formatBytes(state.bytes) })}
        </span>
      )}
      {state.kind === 'cancelled' && <span className="muted"> {t('history.download.cancelled')}</span>}
      {state.kind === 'failed' && (
        <span className="feedback-error" role="alert">
          {' '}
          {t('history.download.failed', { message: state.message })}
        </span>
      )}
    </span>
  );
}

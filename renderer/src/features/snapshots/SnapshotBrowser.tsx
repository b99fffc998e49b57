import { useState } from 'react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { formatBytes } from '../../format/format.js';
import { useActions } from '../../store/index.js';
import { useKeyedLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { RestoreForm } from './RestoreForm.js';
import { SnapshotDiff } from './SnapshotDiff.js';
import { SnapshotSearch } from './SnapshotSearch.js';
import { describeRepoError } from './repo-error.js';
import { naturalOrder } from './natural-order.js';
import { DeletedEntries } from '../history/DeletedEntries.js';
import { DownloadButton } from '../history/DownloadButton.js';

export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

/** Walk a snapshot's tree or find things in it by name, compare it with the one before, and restore from it. */
export function SnapshotBrowser({
  repoId,
  snapshot,
  previous,
  initialPath = '/',
  onPathChange,
  onHistory,
}: {
  repoId: string;
  snapshot: SnapshotInfo;
  previous: SnapshotInfo | null;
  /** The folder to open first (a history version's "Browse"). */
  initialPath?: string;
  /** With it, the folder shown is the caller's (the window's address): `initialPath` is it, opening one asks for it. */
  onPathChange?: (path: string) => void;
  /** Show every version of an entry across all snapshots. */
  onHistory?: (path: string) => void;
}) {
  const t = useT();
  const { snapshots } = useActions();
  const [ownPath, setOwnPath] = useState(initialPath);
  const path = onPathChange ? initialPath : ownPath;
  const setPath = onPathChange ?? setOwnPath;
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const { data, error, loading, reload } = useKeyedLoad(
    JSON.stringify([repoId, snapshot.id, path]),
    () => snapshots.browse(repoId, snapshot.id, path),
  );
  // Compare, search and restore are offered once the snapshot could be opened, and not while it fails: an action
  // on something that could not be read would only fail again, later and further from its cause.
  const [opened, setOpened] = useState(false);
  if (data && !opened) setOpened(true);
  const usable = opened && !error;
  const words = error ? describeRepoError(error, repoId, t) : null;

  const toggle = (entryPath: string) => {
    const next = new Set(picked);
    if (next.has(entryPath)) next.delete(entryPath);
    else next.add(entryPath);
    setPicked(next);
  };

  return (
    <section className="panel" aria-labelledby="tree-title">
      <div className="view-head">
        <h3 id="tree-title">{t('snapshots.tree', { id: snapshot.shortId })}</h3>
      </div>
      {usable && <SnapshotDiff repoId={repoId} snapshot={snapshot} previous={previous} />}
      {usable && (
        <SnapshotSearch
          repoId={repoId}
          snapshotId={snapshot.id}
          picked={picked}
          onOpenFolder={setPath}
          onToggleFile={(entry) => toggle(entry.path)}
        />
      )}
      <div className="breadcrumb">
        <button type="button" disabled={path === '/'} onClick={() => setPath(parentPath(path))}>
          ↑ {t('snapshots.up')}
        </button>
        <span className="mono">{path}</span>
      </div>
      {words && (
        <p className="feedback-error" role="alert" data-testid="snapshot-browse-error" data-code={error?.code}>
          <strong>{t('snapshots.browseFailed')}</strong> {words.text}
          {words.detail && <span className="muted"> {words.detail}</span>}{' '}
          <button type="button" onClick={reload} disabled={loading}>
            {t('error.retry')}
          </button>
        </p>
      )}
      {loading && !data && !error && <p className="muted">{opened ? t('common.loading') : t('snapshots.indexing')}</p>}
      {data && data.entries.length === 0 && <p className="muted">{t('snapshots.emptyDir')}</p>}
      {data && data.entries.length > 0 && (
        <ul className="tree" data-testid="snapshot-tree">
          {naturalOrder(data.entries).map((entry) => (
            <li key={entry.path} className={`entry entry-${entry.type}`}>
              <input
                type="checkbox"
                checked={picked.has(entry.path)}
                onChange={() => toggle(entry.path)}
                aria-label={t('snapshots.select', { name: entry.name })}
              />
              {entry.type === 'dir' ? (
                <button type="button" className="link" onClick={() => setPath(entry.path)} aria-label={t('snapshots.open', { name: entry.name })}>
                  {entry.name}/
                </button>
              ) : (
                <span>{entry.name}</span>
              )}
              <span className="muted">{entry.size != null && entry.type === 'file' ? formatBytes(entry.size) : ''}</span>
              {(entry.type === 'file' || entry.type === 'dir') && (
                <span className="entry-actions">
                  {onHistory && (
                    <button type="button" className="link" onClick={() => onHistory(entry.path)} aria-label={t('history.openEntry', { name: entry.name })}>
                      {t('history.action')}
                    </button>
                  )}
                  <DownloadButton repoId={repoId} snapshotId={snapshot.id} path={entry.path} name={entry.name} />
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {usable && <DeletedEntries key={path} repoId={repoId} path={path} />}
      {usable && <RestoreForm repoId={repoId} snapshot={snapshot} picked={picked} onUnpick={toggle} />}
    </section>
  );
}

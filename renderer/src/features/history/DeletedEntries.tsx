import { useState } from 'react';
import type { DeletedEntry } from '../../../../main/common/rpc.js';
import type { MessageKey } from '../../i18n/index.js';
import { useActions } from '../../store/index.js';
import { useKeyedLoad } from '../../components/useAction.js';
import { RelativeTime } from '../../components/Time.js';
import { useT } from '../../components/useT.js';
import { describeRepoError } from '../snapshots/repo-error.js';
import { DownloadButton } from './DownloadButton.js';
import { VersionRestore } from './VersionRestore.js';
import { useRefreshWhileIndexing } from './useRefreshWhileIndexing.js';

/** Undelete: what was in this folder in earlier snapshots and is gone from the latest, each restorable from its last snapshot. */
export function DeletedEntries({ repoId, path }: { repoId: string; path: string }) {
  const t = useT();
  const [shown, setShown] = useState(false);
  return (
    <div className="deleted-entries">
      <button type="button" aria-pressed={shown} onClick={() => setShown(!shown)} data-testid="show-deleted">
        {shown ? t('history.deleted.hide') : t('history.deleted.show')}
      </button>
      {shown && <DeletedList repoId={repoId} path={path} />}
    </div>
  );
}

function DeletedList({ repoId, path }: { repoId: string; path: string }) {
  const t = useT();
  const { history } = useActions();
  const [restoring, setRestoring] = useState<DeletedEntry | null>(null);
  const { data, error, loading, reload } = useKeyedLoad(JSON.stringify([repoId, path]), () => history.deleted(repoId, path));
  useRefreshWhileIndexing(data, reload);
  const words = error ? describeRepoError(error, repoId, t) : null;
  return (
    <div data-testid="deleted-list">
      {words && (
        <p className="feedback-error" role="alert" data-code={error?.code}>
          {words.text}
          {words.detail && <span className="muted"> {words.detail}</span>}
        </p>
      )}
      {loading && !data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && data.complete === false && (
        <p className="hint" role="status">
          {t('history.indexing')}
        </p>
      )}
      {data && data.entries.length === 0 && <p className="muted">{t('history.deleted.none')}</p>}
      {data && data.entries.length > 0 && (
        <ul className="tree" aria-label={t('history.deleted.title', { path })}>
          {data.entries.map((entry) => (
            <li key={entry.path} className={`deleted-row entry-${entry.type}`} data-testid="deleted-entry">
              <span>
                {entry.name}
                {entry.type === 'dir' ? '/' : ''}
              </span>{' '}
              <span className="muted">
                {t(`history.type.${entry.type}` as MessageKey)} · {t('history.deleted.lastSeen')} <RelativeTime iso={entry.lastSeen.time} /> (
                {entry.lastSeen.snapshotId.slice(0, 8)})
              </span>{' '}
              <button type="button" onClick={() => setRestoring(entry)} aria-label={t('history.deleted.restore', { name: entry.name })}>
                {t('snapshots.restore')}
              </button>{' '}
              <DownloadButton repoId={repoId} snapshotId={entry.lastSeen.snapshotId} path={entry.path} name={entry.name} />
            </li>
          ))}
        </ul>
      )}
      {restoring && (
        <VersionRestore key={restoring.path} repoId={repoId} mark={restoring.lastSeen} path={restoring.path} onClose={() => setRestoring(null)} />
      )}
    </div>
  );
}

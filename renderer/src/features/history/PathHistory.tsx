import { useEffect, useRef, useState } from 'react';
import type { PathVersion } from '../../../../main/common/rpc.js';
import type { MessageKey } from '../../i18n/index.js';
import { formatBytes } from '../../format/format.js';
import { useActions } from '../../store/index.js';
import { useKeyedLoad } from '../../components/useAction.js';
import { ClockTime } from '../../components/Time.js';
import { useT } from '../../components/useT.js';
import { describeRepoError } from '../snapshots/repo-error.js';
import { parentPath } from '../snapshots/SnapshotBrowser.js';
import { DownloadButton } from './DownloadButton.js';
import { VersionRestore } from './VersionRestore.js';
import { useRefreshWhileIndexing } from './useRefreshWhileIndexing.js';

function baseName(p: string): string {
  return p.replace(/\/+$/, '').split('/').pop() || p;
}

/** Every version of one path, newest first; each can be restored, downloaded or browsed in one click. */
export function PathHistory({
  repoId,
  path,
  planId,
  onBrowse,
}: {
  repoId: string;
  path: string;
  planId: string;
  /** Open the snapshot in the browser, in the folder that holds `path`. */
  onBrowse: (snapshotId: string, folder: string) => void;
}) {
  const t = useT();
  const { history } = useActions();
  const [restoring, setRestoring] = useState<number | null>(null);
  // Opened by a click elsewhere (the browser, a search result): bring it into view and move the focus to it.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView?.({ block: 'start' });
    heading.current?.focus();
  }, []);
  const { data, error, loading, reload } = useKeyedLoad(JSON.stringify([repoId, path, planId]), () => history.history(repoId, path, planId ? { planId } : {}));
  useRefreshWhileIndexing(data, reload);
  const words = error ? describeRepoError(error, repoId, t) : null;
  const versions = data?.versions ?? [];

  return (
    <section className="panel path-history" aria-labelledby="path-history-title" data-testid="path-history" data-path={path}>
      <div className="view-head">
        <h3 id="path-history-title" ref={heading} tabIndex={-1}>
          {t('history.title', { path })}
        </h3>
        <button type="button" onClick={reload} disabled={loading}>
          {t('snapshots.refresh')}
        </button>
      </div>
      {words && (
        <p className="feedback-error" role="alert" data-testid="path-history-error" data-code={error?.code}>
          {words.text}
          {words.detail && <span className="muted"> {words.detail}</span>}
        </p>
      )}
      {loading && !data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && data.complete === false && (
        <p className="hint" role="status" data-testid="history-indexing">
          {t('history.indexing')}
        </p>
      )}
      {data && versions.length === 0 && <p className="muted">{t('history.none', { path })}</p>}
      {versions.length > 0 && (
        <>
          <p className="hint" role="status">
            {t('history.count', { n: versions.length })}
          </p>
          <table className="table" data-testid="history-versions">
            <thead>
              <tr>
                <th scope="col">{t('history.col.version')}</th>
                <th scope="col">{t('history.col.size')}</th>
                <th scope="col">{t('history.col.mtime')}</th>
                <th scope="col">{t('history.col.seen')}</th>
                <th scope="col">{t('history.col.snapshots')}</th>
                <th scope="col">{t('history.col.changed')}</th>
                <th scope="col">{t('history.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v, i) => (
                <VersionRow
                  key={`${v.firstSeen.snapshotId}:${i}`}
                  version={v}
                  number={versions.length - i}
                  repoId={repoId}
                  path={path}
                  onRestore={() => setRestoring(restoring === i ? null : i)}
                  onBrowse={() => onBrowse(v.lastSeen.snapshotId, v.type === 'dir' ? path : parentPath(path))}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
      {restoring !== null && versions[restoring] && (
        <VersionRestore key={restoring} repoId={repoId} mark={versions[restoring].lastSeen} path={path} onClose={() => setRestoring(null)} />
      )}
    </section>
  );
}

function VersionRow({
  version: v,
  number,
  repoId,
  path,
  onRestore,
  onBrowse,
}: {
  version: PathVersion;
  number: number;
  repoId: string;
  path: string;
  onRestore: () => void;
  onBrowse: () => void;
}) {
  const t = useT();
  return (
    <tr data-testid="history-version">
      <td>
        {t('history.version', { n: number })} <span className="muted">{t(`history.type.${v.type}` as MessageKey)}</span>
      </td>
      <td>{v.type === 'file' ? formatBytes(v.size) : '–'}</td>
      <td>
        <ClockTime iso={v.mtime} />
      </td>
      <td>
        <ClockTime iso={v.firstSeen.time} /> – <ClockTime iso={v.lastSeen.time} />
      </td>
      <td>{v.snapshots}</td>
      <td>
        {/* The oldest version has nothing before it to be the same as. */}
        {number === 1 ? (
          <span className="muted">{t('history.firstVersion')}</span>
        ) : v.changed ? (
          <span className="badge">{t('history.changed')}</span>
        ) : (
          <span className="muted">{t('history.unchanged')}</span>
        )}
      </td>
      <td className="actions">
        <button type="button" onClick={onRestore} aria-label={t('history.restoreVersion', { n: number })}>
          {t('snapshots.restore')}
        </button>{' '}
        <DownloadButton repoId={repoId} snapshotId={v.lastSeen.snapshotId} path={path} name={t('history.version', { n: number }) + ' ' + baseName(path)} />{' '}
        <button type="button" onClick={onBrowse} aria-label={t('history.browseVersion', { n: number })}>
          {t('history.browse')}
        </button>
      </td>
    </tr>
  );
}

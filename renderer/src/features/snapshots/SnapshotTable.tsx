import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { formatBytes, formatCount } from '../../format/format.js';
import { selectLanguage, useApp } from '../../store/index.js';
import { ClockTime, RelativeTime } from '../../components/Time.js';
import { useT } from '../../components/useT.js';
import { addedBy, planOf, visibleTags } from './snapshot-info.js';
import { SnapshotSize } from './SnapshotSize.js';
import { ForgetSnapshot } from './ForgetSnapshot.js';
import { PathText } from '../../components/ui/PathText.js';

/** One row per snapshot: when, where from, which plan, what it added; the button opens it. */
export function SnapshotTable({
  repoId,
  snapshots,
  selectedId,
  onBrowse,
}: {
  repoId: string;
  snapshots: SnapshotInfo[];
  selectedId: string | null;
  onBrowse: (snapshot: SnapshotInfo) => void;
}) {
  const t = useT();
  const language = useApp(selectLanguage);
  // restic records what a backup added only from 0.17 on: without it the two columns would be all dashes.
  const showAdded = snapshots.some((s) => addedBy(s) !== null);
  return (
    <table className="table snapshot-table">
      <thead>
        <tr>
          <th scope="col">{t('snapshots.col.time')}</th>
          <th scope="col">{t('snapshots.col.id')}</th>
          <th scope="col">{t('snapshots.col.plan')}</th>
          <th scope="col">{t('snapshots.col.host')}</th>
          <th scope="col">{t('snapshots.col.paths')}</th>
          <th scope="col">{t('snapshots.col.tags')}</th>
          {showAdded && <th scope="col">{t('snapshots.col.files')}</th>}
          {showAdded && <th scope="col">{t('snapshots.col.data')}</th>}
          <th scope="col">{t('care.size.column')}</th>
          <th scope="col">
            <span className="sr-only">{t('snapshots.restore')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {snapshots.map((s) => {
          const added = addedBy(s);
          const tags = visibleTags(s);
          return (
            <tr key={s.id} className={selectedId === s.id ? 'selected' : undefined} data-testid={`snapshot-row-${s.shortId}`}>
              <td className="snapshot-time">
                <RelativeTime iso={s.time} />
                <span className="muted">
                  <ClockTime iso={s.time} />
                </span>
              </td>
              <td className="mono">{s.shortId}</td>
              <td>{planOf(s) ?? '–'}</td>
              <td>{s.hostname}</td>
              <td className="mono">
                <span className="path-list">
                  {s.paths.map((p) => (
                    <PathText key={p} path={p} />
                  ))}
                </span>
              </td>
              <td>
                {tags.length === 0
                  ? '–'
                  : tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
              </td>
              {showAdded && (
                <td
                  className="numbers"
                  title={
                    added?.filesChanged != null
                      ? t('snapshots.files.detail', { new: formatCount(added.filesNew, language), changed: formatCount(added.filesChanged, language) })
                      : undefined
                  }
                >
                  {formatCount(added?.filesNew, language)}
                </td>
              )}
              {showAdded && <td className="numbers">{added?.dataAdded != null ? `+${formatBytes(added.dataAdded)}` : '–'}</td>}
              <td className="numbers" data-testid={`snapshot-size-${s.shortId}`}>
                <SnapshotSize repoId={repoId} snapshotId={s.id} />
              </td>
              <td className="row-actions">
                <button type="button" onClick={() => onBrowse(s)} aria-label={t('snapshots.browse', { id: s.shortId })}>
                  {t('snapshots.browseButton')}
                </button>
                <ForgetSnapshot repoId={repoId} snapshot={s} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

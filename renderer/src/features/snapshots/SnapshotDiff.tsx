import { useState, type ReactNode } from 'react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { formatCount } from '../../format/format.js';
import type { MessageKey } from '../../i18n/index.js';
import { selectLanguage, useApp, useActions } from '../../store/index.js';
import { ClockTime } from '../../components/Time.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { diffCounts, type SnapshotDiffResult } from './snapshot-info.js';

/** Paths shown per list before "Show more": a diff can hold tens of thousands of them. */
export const DIFF_PAGE = 200;

const BUCKETS = ['added', 'removed', 'changed'] as const;
type Bucket = (typeof BUCKETS)[number];

/** "What changed since the backup before this one?": added, removed and changed paths, with counts. */
export function SnapshotDiff({ repoId, snapshot, previous }: { repoId: string; snapshot: SnapshotInfo; previous: SnapshotInfo | null }) {
  const t = useT();
  const { snapshots } = useActions();
  const action = useAction();
  const [diff, setDiff] = useState<SnapshotDiffResult | null>(null);

  const compare = () => {
    if (!previous) return;
    void action.run(async () => {
      // Older first, so "added" means added since the previous backup.
      const result: SnapshotDiffResult = await snapshots.diff(repoId, previous.id, snapshot.id);
      setDiff(result);
    });
  };

  if (!previous) return <p className="hint">{t('snapshots.diff.noPrevious')}</p>;
  return (
    <div className="snapshot-diff-control">
      {!diff && (
        <button type="button" onClick={compare} disabled={action.busy}>
          {action.busy ? t('snapshots.diff.comparing') : t('snapshots.diff.compare')}
        </button>
      )}
      {action.error && (
        <p className="feedback-error" role="alert">
          {action.error}
        </p>
      )}
      {diff && (
        <DiffResult
          diff={diff}
          titleId="diff-title"
          title={
            <>
              {t('snapshots.diff.title', { id: previous.shortId })}{' '}
              <span className="muted">
                (<ClockTime iso={previous.time} />)
              </span>
            </>
          }
          onClose={() => setDiff(null)}
        />
      )}
    </div>
  );
}

/** A diff's counts and its three lists (added, removed, changed), with a title and Close. */
export function DiffResult({ diff, title, titleId, onClose }: { diff: SnapshotDiffResult; title: ReactNode; titleId: string; onClose: () => void }) {
  const t = useT();
  const language = useApp(selectLanguage);
  const counts = diffCounts(diff);
  return (
    <section className="panel snapshot-diff" data-testid="snapshot-diff" aria-labelledby={titleId}>
      <div className="view-head">
        <h4 id={titleId}>{title}</h4>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {counts.added + counts.removed + counts.changed === 0 && <p className="muted">{t('snapshots.diff.none')}</p>}
      {counts.truncated && <p className="notice notice-warning">{t('snapshots.diff.truncated')}</p>}
      {BUCKETS.map((bucket) => (
        <DiffList
          key={bucket}
          bucket={bucket}
          paths={diff[bucket]}
          title={t(`snapshots.diff.${bucket}` as MessageKey, { n: formatCount(counts[bucket], language) })}
        />
      ))}
    </section>
  );
}

function DiffList({ bucket, paths, title }: { bucket: Bucket; paths: string[]; title: string }) {
  const t = useT();
  const [shown, setShown] = useState(DIFF_PAGE);
  if (paths.length === 0) return null;
  const rest = paths.length - shown;
  return (
    <details className={`diff-list diff-${bucket}`} open data-testid={`snapshot-diff-${bucket}`}>
      <summary>{title}</summary>
      <ul className="mono">
        {paths.slice(0, shown).map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      {rest > 0 && (
        <button type="button" className="link" onClick={() => setShown(shown + DIFF_PAGE)}>
          {t('snapshots.diff.more', { n: Math.min(rest, DIFF_PAGE) })}
        </button>
      )}
    </details>
  );
}

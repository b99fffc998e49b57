import { useMemo, useState } from 'react';
import { selectPlans, selectRepoIds, selectRunningKey, useApp, useAppShallow, useActions } from '../../store/index.js';
import { useKeyedLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { SnapshotBrowser } from './SnapshotBrowser.js';
import { SnapshotTable } from './SnapshotTable.js';
import { newestFirst, previousSnapshot } from './snapshot-info.js';
import { IdOptions } from '../../components/IdOptions.js';
import { describeRepoError } from './repo-error.js';

/** What a list request is for: a list shown under one key never came from another. */
export function snapshotListKey(repoId: string, planId: string): string {
  return JSON.stringify([repoId, planId]);
}

export function SnapshotsView() {
  const t = useT();
  const { snapshots: snapshotActions } = useActions();
  const repoIds = useAppShallow(selectRepoIds);
  const [chosenRepo, setChosenRepo] = useState('');
  // The first repository until the user picks one (the list may arrive after the view opened), and again if the
  // chosen one was removed.
  const repoId = chosenRepo && repoIds.includes(chosenRepo) ? chosenRepo : repoIds[0] || '';
  const planIds = useAppShallow((s) => selectPlans(s).filter((p) => p.repoId === repoId).map((p) => p.id));
  const [planId, setPlanId] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // A backup, forget or prune started or ended: the host's list changed, so ask again (it answers from its cache).
  const runningKey = useApp(selectRunningKey);
  const key = repoId ? snapshotListKey(repoId, planId) : null;
  const { data, error, loading, reload } = useKeyedLoad(
    key,
    repoId ? () => snapshotActions.list(repoId, planId) : null,
    runningKey,
  );
  const snapshots = useMemo(() => (data ? newestFirst(data.snapshots) : []), [data]);
  // Only a snapshot of the list shown now can be opened (never one left over from another repository).
  const selected = snapshots.find((s) => s.id === selectedId) ?? null;
  const words = error ? describeRepoError(error, repoId, t) : null;

  return (
    <section className="view" aria-labelledby="snapshots-title" data-testid="snapshots-view" data-repo={repoId}>
      <div className="view-head">
        <h2 id="snapshots-title">{t('snapshots.title')}</h2>
        <label>
          {t('snapshots.repo')}{' '}
          <select
            value={repoId}
            data-testid="snapshots-repo"
            onChange={(e) => {
              setChosenRepo(e.target.value);
              setPlanId('');
              setSelectedId(null);
            }}
          >
            {repoIds.length === 0 && <option value="">{t('snapshots.pickRepo')}</option>}
            <IdOptions ids={repoIds} />
          </select>
        </label>
        <label>
          {t('snapshots.filter.plan')}{' '}
          <select
            value={planId}
            onChange={(e) => {
              setPlanId(e.target.value);
              setSelectedId(null);
            }}
          >
            <option value="">{t('snapshots.filter.allPlans')}</option>
            <IdOptions ids={planIds} />
          </select>
        </label>
        <button type="button" onClick={reload} disabled={!repoId || loading}>
          {loading && data ? t('common.loading') : t('snapshots.refresh')}
        </button>
      </div>
      {words && (
        <p className="feedback-error" role="alert" data-testid="snapshots-error" data-code={error?.code}>
          <strong>{words.text}</strong>
          {words.detail && <span className="muted"> {words.detail}</span>}
        </p>
      )}
      {loading && !data && !error && (
        <p className="muted" role="status" data-testid="snapshots-loading">
          {t('snapshots.loadingRepo', { repo: repoId })}
        </p>
      )}
      {data && snapshots.length === 0 && (
        <p className="empty muted">{planId ? t('snapshots.emptyPlan', { plan: planId }) : t('snapshots.empty')}</p>
      )}
      {snapshots.length > 0 && (
        <SnapshotTable snapshots={snapshots} selectedId={selected?.id ?? null} onBrowse={(s) => setSelectedId(s.id)} />
      )}
      {selected && repoId && (
        <SnapshotBrowser
          key={`${key}:${selected.id}`}
          repoId={repoId}
          snapshot={selected}
          previous={previousSnapshot(snapshots, selected)}
        />
      )}
    </section>
  );
}

import { useMemo, useState } from 'react';
import { selectPlans, selectRepoIds, selectRunningKey, useApp, useAppShallow, useClient } from '../../store/index.js';
import { useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { SnapshotBrowser } from './SnapshotBrowser.js';
import { SnapshotTable } from './SnapshotTable.js';
import { newestFirst, previousSnapshot } from './snapshot-info.js';
import { IdOptions } from '../../components/IdOptions.js';

export function SnapshotsView() {
  const t = useT();
  const client = useClient();
  const repoIds = useAppShallow(selectRepoIds);
  const [chosenRepo, setChosenRepo] = useState('');
  // The first repository until the user picks one (the list may arrive after the view opened).
  const repoId = chosenRepo || repoIds[0] || '';
  const planIds = useAppShallow((s) => selectPlans(s).filter((p) => p.repoId === repoId).map((p) => p.id));
  const [planId, setPlanId] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // A backup, forget or prune started or ended: the host's list changed, so ask again (it answers from its cache).
  const runningKey = useApp(selectRunningKey);
  const { data, error, loading, reload } = useLoad(
    repoId ? () => client.invoke('snapshots.list', { repoId, ...(planId ? { planId } : {}) }) : null,
    [client, repoId, planId, runningKey],
  );
  const snapshots = useMemo(() => (data ? newestFirst(data.snapshots) : []), [data]);
  const selected = snapshots.find((s) => s.id === selectedId) ?? null;

  return (
    <section className="view" aria-labelledby="snapshots-title">
      <div className="view-head">
        <h2 id="snapshots-title">{t('snapshots.title')}</h2>
        <label>
          {t('snapshots.repo')}{' '}
          <select
            value={repoId}
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
          <select value={planId} onChange={(e) => setPlanId(e.target.value)}>
            <option value="">{t('snapshots.filter.allPlans')}</option>
            <IdOptions ids={planIds} />
          </select>
        </label>
        <button type="button" onClick={reload} disabled={!repoId || loading}>
          {loading && data ? t('common.loading') : t('snapshots.refresh')}
        </button>
      </div>
      {error && (
        <p className="feedback-error" role="alert">
          {error}
        </p>
      )}
      {loading && !data && <p className="muted">{t('common.loading')}</p>}
      {data && snapshots.length === 0 && (
        <p className="empty muted">{planId ? t('snapshots.emptyPlan', { plan: planId }) : t('snapshots.empty')}</p>
      )}
      {snapshots.length > 0 && <SnapshotTable snapshots={snapshots} selectedId={selected?.id ?? null} onBrowse={(s) => setSelectedId(s.id)} />}
      {selected && repoId && (
        <SnapshotBrowser key={selected.id} repoId={repoId} snapshot={selected} previous={previousSnapshot(snapshots, selected)} />
      )}
    </section>
  );
}

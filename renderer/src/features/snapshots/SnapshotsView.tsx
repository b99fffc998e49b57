import { useMemo, useState } from 'react';
import { selectPlans, selectRepoIds, selectRunningKey, useApp, useAppShallow, useActions } from '../../store/index.js';
import { useKeyedLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { SnapshotBrowser } from './SnapshotBrowser.js';
import { SnapshotTable } from './SnapshotTable.js';
import { SnapshotCompare } from './SnapshotCompare.js';
import { newestFirst, previousSnapshot } from './snapshot-info.js';
import { IdOptions } from '../../components/IdOptions.js';
import { describeRepoError } from './repo-error.js';
import { HistoryPanel } from '../history/HistoryPanel.js';
import { useNavigate, useRoute } from '../../router/index.js';

/** What a list request is for: a list shown under one key never came from another. */
export function snapshotListKey(repoId: string, planId: string): string {
  return JSON.stringify([repoId, planId]);
}

export function SnapshotsView() {
  const t = useT();
  const { snapshots: snapshotActions } = useActions();
  const repoIds = useAppShallow(selectRepoIds);
  // The repository, the snapshot and the folder shown are the address's: #/snapshots/nas/4f1c…/home/me.
  const route = useRoute();
  const navigate = useNavigate();
  const at = route.view === 'snapshots' ? route : null;
  const chosenRepo = at?.repoId ?? '';
  const selectedId = at?.snapshotId ?? null;
  const browseFolder = at?.path ?? '/';
  const show = (repo: string, snapshotId?: string | null, path?: string) =>
    navigate(!repo ? { view: 'snapshots' } : snapshotId ? { view: 'snapshots', repoId: repo, snapshotId, ...(path && path !== '/' ? { path } : {}) } : { view: 'snapshots', repoId: repo });
  // The first repository until the user picks one (the list may arrive after the view opened), and again if the
  // chosen one was removed.
  const repoId = chosenRepo && repoIds.includes(chosenRepo) ? chosenRepo : repoIds[0] || '';
  const planIds = useAppShallow((s) => selectPlans(s).filter((p) => p.repoId === repoId).map((p) => p.id));
  const [planId, setPlanId] = useState('');
  // The folder the browser opens at (a history version's "Browse"), and the path whose history is shown.
  const [historyPath, setHistoryPath] = useState<string | null>(null);
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
              show(e.target.value);
              setPlanId('');
              setHistoryPath(null);
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
              show(repoId);
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
        <SnapshotTable
          repoId={repoId}
          snapshots={snapshots}
          selectedId={selected?.id ?? null}
          onBrowse={(s) => {
            show(repoId, s.id);
          }}
        />
      )}
      {snapshots.length > 1 && repoId && <SnapshotCompare key={key} repoId={repoId} snapshots={snapshots} />}
      {selected && repoId && (
        <SnapshotBrowser
          key={`${key}:${selected.id}`}
          repoId={repoId}
          snapshot={selected}
          previous={previousSnapshot(snapshots, selected)}
          initialPath={browseFolder}
          onPathChange={(p) => show(repoId, selected.id, p)}
          onHistory={setHistoryPath}
        />
      )}
      {repoId && (
        <HistoryPanel
          repoId={repoId}
          planId={planId}
          path={historyPath}
          onPath={setHistoryPath}
          onBrowse={(snapshotId, folder) => {
            // A version may be in a snapshot of another plan than the one the list shows: show them all then.
            const known = snapshots.find((s) => s.id === snapshotId || s.id.startsWith(snapshotId));
            if (!known) setPlanId('');
            show(repoId, known?.id ?? snapshotId, folder);
          }}
        />
      )}
    </section>
  );
}

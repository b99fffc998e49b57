import { useState } from 'react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { selectRepoIds, useAppShallow, useClient } from '../../store/index.js';
import { ClockTime } from '../../components/Time.js';
import { useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { SnapshotBrowser } from './SnapshotBrowser.js';

export function SnapshotsView() {
  const t = useT();
  const client = useClient();
  const repoIds = useAppShallow(selectRepoIds);
  const [repoId, setRepoId] = useState<string>(repoIds[0] ?? '');
  const [selected, setSelected] = useState<SnapshotInfo | null>(null);
  const { data, error, loading } = useLoad(repoId ? () => client.invoke('snapshots.list', { repoId }) : null, [client, repoId]);
  // Newest first: that is the one people usually restore from.
  const snapshots = data ? [...data.snapshots].sort((a, b) => b.time.localeCompare(a.time)) : [];
  return (
    <section className="view" aria-labelledby="snapshots-title">
      <div className="view-head">
        <h2 id="snapshots-title">{t('snapshots.title')}</h2>
        <label>
          {t('snapshots.repo')}{' '}
          <select
            value={repoId}
            onChange={(e) => {
              setRepoId(e.target.value);
              setSelected(null);
            }}
          >
            {repoIds.length === 0 && <option value="">{t('snapshots.pickRepo')}</option>}
            {repoIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="feedback-error" role="alert">{error}</p>}
      {loading && !data && <p className="muted">{t('common.loading')}</p>}
      {data && snapshots.length === 0 && <p className="empty muted">{t('snapshots.empty')}</p>}
      {snapshots.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('snapshots.col.time')}</th>
              <th scope="col">{t('snapshots.col.id')}</th>
              <th scope="col">{t('snapshots.col.plan')}</th>
              <th scope="col">{t('snapshots.col.host')}</th>
              <th scope="col">{t('snapshots.col.paths')}</th>
              <th scope="col">
                <span className="sr-only">{t('snapshots.restore')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {snapshots.map((s) => (
              <tr key={s.id} className={selected?.id === s.id ? 'selected' : undefined} data-testid={`snapshot-row-${s.shortId}`}>
                <td>
                  <ClockTime iso={s.time} />
                </td>
                <td className="mono">{s.shortId}</td>
                <td>{s.planId ?? '–'}</td>
                <td>{s.hostname}</td>
                <td className="mono truncate" title={s.paths.join(', ')}>
                  {s.paths.join(', ')}
                </td>
                <td>
                  <button type="button" onClick={() => setSelected(s)} aria-label={t('snapshots.browse', { id: s.shortId })}>
                    {t('snapshots.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && repoId && <SnapshotBrowser key={selected.id} repoId={repoId} snapshot={selected} />}
    </section>
  );
}

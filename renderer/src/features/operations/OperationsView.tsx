import { useEffect, useState } from 'react';
import { refreshOpsHead, selectRunningKey, useApp, useAppStore, useClient } from '../../store/index.js';
import { ErrorBoundary } from '../../components/ErrorBoundary.js';
import { useT } from '../../components/useT.js';
import { OpDetail } from './OpDetail.js';
import { OpsFilters } from './OpsFilters.js';
import { OpsTable } from './OpsTable.js';

export function OperationsView() {
  const t = useT();
  const client = useClient();
  const store = useAppStore();
  // Opened from elsewhere (a restore just started, a notification): start with that operation selected.
  const [selected, setSelected] = useState<number | null>(() => store.getState().focusOpId);
  useEffect(() => {
    if (store.getState().focusOpId !== null) store.getState().clearFocusOp();
  }, [store]);
  const runningKey = useApp(selectRunningKey);
  // An operation started or ended: fetch the newest page so the list shows it without a reload.
  useEffect(() => {
    if (store.getState().ops.items.length > 0) void refreshOpsHead(client, store);
  }, [client, store, runningKey]);
  return (
    <section className="view view-split" aria-labelledby="ops-title">
      <div className="split-main">
        <h2 id="ops-title">{t('ops.title')}</h2>
        <OpsFilters />
        <OpsTable selectedId={selected} onSelect={setSelected} />
      </div>
      <aside className="split-detail">
        {selected === null ? (
          <p className="muted">{t('ops.detail.pick')}</p>
        ) : (
          <ErrorBoundary key={selected} title={t('error.view')} retryLabel={t('error.retry')}>
            <OpDetail opId={selected} />
          </ErrorBoundary>
        )}
      </aside>
    </section>
  );
}

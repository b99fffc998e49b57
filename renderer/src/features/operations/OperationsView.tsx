import { useEffect, useRef } from 'react';
import { selectOpsChangeKey, useActions, useApp, useAppStore, type OpsHeadRefresher } from '../../store/index.js';
import { ErrorBoundary } from '../../components/ErrorBoundary.js';
import { useT } from '../../components/useT.js';
import { OpDetail } from './OpDetail.js';
import { OpsFilters } from './OpsFilters.js';
import { OpsTable } from './OpsTable.js';
import { useNavigate, useRoute } from '../../router/index.js';

/** How often the open list re-reads its newest page even when the state shows no change. */
export const OPS_POLL_MS = 10_000;

export function OperationsView() {
  const t = useT();
  const { ops } = useActions();
  const store = useAppStore();
  // The selected operation is the address's (#/ops/42): Back, a reload and a notification's click all land on it.
  const route = useRoute();
  const navigate = useNavigate();
  const selected = route.view === 'operations' ? (route.opId ?? null) : null;
  const setSelected = (opId: number | null) => navigate(opId === null ? { view: 'operations' } : { view: 'operations', opId });
  // Opened from elsewhere (a restore just started): that operation becomes the address, in place of the bare view's.
  useEffect(() => {
    const focus = store.getState().focusOpId;
    if (focus === null) return;
    store.getState().clearFocusOp();
    navigate({ view: 'operations', opId: focus }, { replace: true });
  }, [store, navigate]);
  // Created in an effect (not in render), so that a remount (React's StrictMode does one) gets a working one.
  const refresher = useRef<OpsHeadRefresher | null>(null);
  useEffect(() => {
    const r = ops.headRefresher();
    refresher.current = r;
    // Operations that start and end between two states (a quick unlock) change no key: a slow poll catches them.
    const timer = setInterval(() => r.request(), OPS_POLL_MS);
    return () => {
      clearInterval(timer);
      r.stop();
      refresher.current = null;
    };
  }, [ops]);
  // An operation started, changed status or ended (as the state tells): fetch the newest page so the list shows
  // it without a reload, from the very first operation on (an empty log included). Coalesced, so a burst of
  // changes costs one request in flight. Also on opening the view: operations may have run while it was closed.
  const changeKey = useApp(selectOpsChangeKey);
  useEffect(() => {
    const { ops } = store.getState();
    // Not loaded yet: the table is loading the first page itself.
    if (ops.items.length === 0 && ops.hasMore) return;
    refresher.current?.request();
  }, [store, changeKey]);
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

import { useEffect, useState } from 'react';
import type { FoundPath } from '../../../../main/common/rpc.js';
import type { MessageKey } from '../../i18n/index.js';
import { toRpcError, useActions } from '../../store/index.js';
import { RelativeTime } from '../../components/Time.js';
import { useT } from '../../components/useT.js';
import { SEARCH_DEBOUNCE_MS, useDebounced } from '../snapshots/SnapshotSearch.js';

export const FIND_ALL_LIMIT = 200;
/** While the index is still being built the answer is partial: ask again this often until it is complete. */
export const INDEXING_REFRESH_MS = 2000;

type FindState =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'done'; results: FoundPath[]; complete: boolean; truncated: boolean }
  | { kind: 'failed'; message: string };

/** A date input's value (local day) as the ISO time it starts at, or at the end of it. */
export function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, end ? d + 1 : d).toISOString();
}

/** Search every snapshot of the repository by name fragment or glob, within a time range; one row per path. */
export function HistorySearch({ repoId, planId, onOpenHistory }: { repoId: string; planId: string; onOpenHistory: (path: string) => void }) {
  const t = useT();
  const { history } = useActions();
  const [text, setText] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const query = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const [state, setState] = useState<FindState>({ kind: 'idle' });

  useEffect(() => {
    if (!query) {
      setState({ kind: 'idle' });
      return;
    }
    // An answer to an older query arriving late must not replace the newer one.
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const ask = (first: boolean) => {
      if (first) setState({ kind: 'searching' });
      history.findAll(repoId, query, { planId, since: dayBound(since, false), until: dayBound(until, true), limit: FIND_ALL_LIMIT }).then(
        (r) => {
          if (!live) return;
          setState({ kind: 'done', results: r.results, complete: r.complete, truncated: r.truncated });
          // Results so far are shown at once; the rest arrive as the index catches up.
          if (!r.complete) timer = setTimeout(() => ask(false), INDEXING_REFRESH_MS);
        },
        (err: unknown) => live && setState({ kind: 'failed', message: toRpcError(err).message }),
      );
    };
    ask(true);
    return () => {
      live = false;
      if (timer !== null) clearTimeout(timer);
    };
  }, [history, repoId, planId, query, since, until]);

  return (
    <div className="history-search" data-testid="history-search">
      <label>
        {t('history.search.label')}{' '}
        <input type="search" value={text} placeholder={t('history.search.placeholder')} onChange={(e) => setText(e.target.value)} />
      </label>{' '}
      <label>
        {t('history.search.since')} <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
      </label>{' '}
      <label>
        {t('history.search.until')} <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
      </label>
      {state.kind === 'searching' && <p className="muted">{t('snapshots.search.searching')}</p>}
      {state.kind === 'failed' && (
        <p className="feedback-error" role="alert">
          {state.message}
        </p>
      )}
      {state.kind === 'done' && !state.complete && (
        <p className="hint" role="status" data-testid="history-search-indexing">
          {t('history.search.indexing')}
        </p>
      )}
      {state.kind === 'done' && state.results.length === 0 && state.complete && <p className="muted">{t('history.search.none', { query })}</p>}
      {state.kind === 'done' && state.results.length > 0 && (
        <>
          <p className="hint" role="status">
            {state.truncated ? t('snapshots.search.limited', { n: state.results.length }) : t('history.search.count', { n: state.results.length })}
          </p>
          <ul className="search-results" data-testid="history-search-results" aria-label={t('history.search.results')}>
            {state.results.map((r) => (
              <li key={r.path} data-testid="history-search-result">
                <span className="mono">
                  {r.path}
                  {r.type === 'dir' ? '/' : ''}
                </span>{' '}
                <span className="muted">
                  {t(`history.type.${r.type}` as MessageKey)} · {t('history.search.versions', { n: r.versions })} · {t('history.search.lastSeen')}{' '}
                  <RelativeTime iso={r.lastSeen.time} />
                </span>{' '}
                <button type="button" onClick={() => onOpenHistory(r.path)} aria-label={t('history.open', { path: r.path })}>
                  {t('history.action')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

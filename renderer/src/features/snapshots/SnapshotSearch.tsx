import { useEffect, useState } from 'react';
import type { SnapshotEntry } from '../../../../main/common/rpc.js';
import { toRpcError, useActions } from '../../store/index.js';
import { useT } from '../../components/useT.js';

/** Wait this long after the last keystroke: one search per pause in typing, not one per letter. */
export const SEARCH_DEBOUNCE_MS = 250;
export const SEARCH_LIMIT = 200;

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

type SearchState =
  | { kind: 'idle' }
  | { kind: 'searching'; query: string }
  | { kind: 'done'; query: string; entries: SnapshotEntry[] }
  | { kind: 'failed'; query: string; message: string };

/** Find files and folders by part of their name; a folder result opens it, a file result selects it for restore. */
export function SnapshotSearch({
  repoId,
  snapshotId,
  picked,
  onOpenFolder,
  onToggleFile,
}: {
  repoId: string;
  snapshotId: string;
  picked: ReadonlySet<string>;
  onOpenFolder: (path: string) => void;
  onToggleFile: (entry: SnapshotEntry) => void;
}) {
  const t = useT();
  const { snapshots } = useActions();
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const [state, setState] = useState<SearchState>({ kind: 'idle' });

  useEffect(() => {
    if (!query) {
      setState({ kind: 'idle' });
      return;
    }
    // An answer to an older query arriving late must not replace the newer one.
    let live = true;
    setState({ kind: 'searching', query });
    snapshots.search(repoId, snapshotId, query, SEARCH_LIMIT).then(
      (r) => live && setState({ kind: 'done', query, entries: r.entries }),
      (err: unknown) => live && setState({ kind: 'failed', query, message: toRpcError(err).message }),
    );
    return () => {
      live = false;
    };
  }, [snapshots, repoId, snapshotId, query]);

  return (
    <div className="snapshot-search">
      <label>
        {t('snapshots.search.label')}{' '}
        <input
          type="search"
          value={text}
          placeholder={t('snapshots.search.placeholder')}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {state.kind === 'searching' && <p className="muted">{t('snapshots.search.searching')}</p>}
      {state.kind === 'failed' && (
        <p className="feedback-error" role="alert">
          {state.message}
        </p>
      )}
      {state.kind === 'done' && state.entries.length === 0 && <p className="muted">{t('snapshots.search.none', { query: state.query })}</p>}
      {state.kind === 'done' && state.entries.length > 0 && (
        <>
          <p className="hint" role="status">
            {state.entries.length >= SEARCH_LIMIT ? t('snapshots.search.limited', { n: SEARCH_LIMIT }) : t('snapshots.search.count', { n: state.entries.length })}
          </p>
          <ul className="search-results" data-testid="snapshot-search-results" aria-label={t('snapshots.search.results')}>
            {state.entries.map((entry) => (
              <li key={entry.path}>
                {entry.type === 'dir' ? (
                  <button
                    type="button"
                    className="link mono"
                    onClick={() => {
                      setText('');
                      onOpenFolder(entry.path);
                    }}
                    title={t('snapshots.search.openFolder', { path: entry.path })}
                  >
                    {entry.path}/
                  </button>
                ) : (
                  <button
                    type="button"
                    className="link mono"
                    aria-pressed={picked.has(entry.path)}
                    onClick={() => onToggleFile(entry)}
                    title={t('snapshots.search.selectFile', { path: entry.path })}
                  >
                    {entry.path}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import { useT } from '../../components/useT.js';
import { HistorySearch } from './HistorySearch.js';
import { PathHistory } from './PathHistory.js';

/**
 * History across every snapshot of the repository: find a path by name (or type it), then see each version of it.
 * `path` is owned by the snapshots view, so the browser's "History" action and a search result open the same place.
 */
export function HistoryPanel({
  repoId,
  planId,
  path,
  onPath,
  onBrowse,
}: {
  repoId: string;
  planId: string;
  path: string | null;
  onPath: (path: string | null) => void;
  onBrowse: (snapshotId: string, folder: string) => void;
}) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = typed.trim();
    if (!p.startsWith('/')) return setProblem(true);
    setProblem(false);
    onPath(p.length > 1 ? p.replace(/\/+$/, '') : p);
  };
  return (
    <section className="panel history-panel" aria-labelledby="history-panel-title" data-testid="history-panel">
      <div className="view-head">
        <h3 id="history-panel-title">{t('history.panel')}</h3>
      </div>
      <HistorySearch repoId={repoId} planId={planId} onOpenHistory={onPath} />
      <form className="form inline-form" onSubmit={submit} noValidate>
        <label>
          {t('history.byPath')}{' '}
          <input
            type="text"
            className="mono"
            value={typed}
            placeholder="/home/me/notes.txt"
            onChange={(e) => setTyped(e.target.value)}
            aria-invalid={problem || undefined}
          />
        </label>{' '}
        <button type="submit">{t('history.action')}</button>
        {problem && (
          <p className="feedback-error" role="alert">
            {t('history.byPathRelative')}
          </p>
        )}
      </form>
      {path && <PathHistory key={`${repoId}:${path}`} repoId={repoId} path={path} planId={planId} onBrowse={onBrowse} />}
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import type { SnapshotEntry, SnapshotInfo } from '../../../../main/common/rpc.js';
import { formatBytes } from '../../format/format.js';
import { useClient } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction, useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

/** Walk a snapshot's tree, pick files and folders, and restore them (or everything) into a folder. */
export function SnapshotBrowser({ repoId, snapshot }: { repoId: string; snapshot: SnapshotInfo }) {
  const t = useT();
  const client = useClient();
  const [path, setPath] = useState('/');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const restore = useAction();
  const { data, error, loading } = useLoad(
    () => client.invoke('snapshots.browse', { repoId, snapshotId: snapshot.id, path }),
    [client, repoId, snapshot.id, path],
  );

  const toggle = (entry: SnapshotEntry) => {
    const next = new Set(picked);
    if (next.has(entry.path)) next.delete(entry.path);
    else next.add(entry.path);
    setPicked(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void restore.run(
      () =>
        client.invoke('restore.start', {
          repoId,
          snapshotId: snapshot.id,
          target: target.trim(),
          overwrite,
          ...(picked.size > 0 ? { paths: [...picked] } : {}),
        }),
      (r) => t('common.started', { id: r.opId }),
    );
  };

  return (
    <section className="panel" aria-labelledby="tree-title">
      <h3 id="tree-title">{t('snapshots.tree', { id: snapshot.shortId })}</h3>
      <div className="breadcrumb">
        <button type="button" disabled={path === '/'} onClick={() => setPath(parentPath(path))}>
          ↑ {t('snapshots.up')}
        </button>
        <span className="mono">{path}</span>
      </div>
      {error && <p className="feedback-error" role="alert">{error}</p>}
      {loading && !data && <p className="muted">{t('common.loading')}</p>}
      {data && data.entries.length === 0 && <p className="muted">{t('snapshots.emptyDir')}</p>}
      {data && data.entries.length > 0 && (
        <ul className="tree" data-testid="snapshot-tree">
          {data.entries.map((entry) => (
            <li key={entry.path} className={`entry entry-${entry.type}`}>
              <input
                type="checkbox"
                checked={picked.has(entry.path)}
                onChange={() => toggle(entry)}
                aria-label={t('snapshots.select', { name: entry.name })}
              />
              {entry.type === 'dir' ? (
                <button type="button" className="link" onClick={() => setPath(entry.path)} aria-label={t('snapshots.open', { name: entry.name })}>
                  {entry.name}/
                </button>
              ) : (
                <span>{entry.name}</span>
              )}
              <span className="muted">{entry.size != null && entry.type === 'file' ? formatBytes(entry.size) : ''}</span>
            </li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={submit}>
        <p className="hint">{picked.size > 0 ? t('snapshots.restore.selected', { n: picked.size }) : t('snapshots.restore.whole')}</p>
        <label>
          {t('snapshots.restore.target')}
          <input className="mono" value={target} onChange={(e) => setTarget(e.target.value)} required />
        </label>
        <label className="inline">
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
          {t('snapshots.restore.overwrite')}
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={restore.busy || !target.trim()}>
            {t('snapshots.restore.start')}
          </button>
        </div>
        <Feedback state={restore} />
      </form>
    </section>
  );
}

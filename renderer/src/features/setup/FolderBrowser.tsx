// The folder browser of the first run: folders only (fs.listDirs), starting at the home folder. It is how a
// browser page in `serve` picks folders (it cannot open the OS dialog); the desktop app offers both.
import { useState } from 'react';
import { useActions } from '../../store/index.js';
import { useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { PathText } from '../../components/ui/PathText.js';

export function FolderBrowser({ onChoose }: { onChoose: (path: string) => void }) {
  const t = useT();
  const { setup } = useActions();
  // undefined: the host's home folder.
  const [at, setAt] = useState<string | undefined>(undefined);
  const { data, error, errorDetail, loading } = useLoad(() => setup.listDirs(at), [at]);
  return (
    <div className="folder-browser" role="group" aria-label={t('setup.browser.label')} data-testid="folder-browser" aria-busy={loading}>
      <div className="folder-browser-head">
        <button type="button" disabled={!data?.parent || loading} onClick={() => data?.parent && setAt(data.parent)}>
          {t('setup.browser.up')}
        </button>
        <span className="mono folder-browser-path" data-testid="folder-browser-path">
          {data ? <PathText path={data.path} /> : t('setup.browser.loading')}
        </span>
        <button type="button" disabled={!data || loading} onClick={() => data && onChoose(data.path)}>
          {t('setup.browser.chooseThis')}
        </button>
      </div>
      {error && (
        <p className="feedback-error" role="alert">
          {error}
          {errorDetail && <span className="feedback-detail"> {errorDetail}</span>}
        </p>
      )}
      {data && data.dirs.length === 0 && <p className="muted">{t('setup.browser.empty')}</p>}
      {data && data.dirs.length > 0 && (
        <ul className="folder-list">
          {data.dirs.map((d) => (
            <li key={d.path}>
              <button type="button" className="folder-entry" onClick={() => setAt(d.path)} disabled={loading}>
                {d.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

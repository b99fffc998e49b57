// Step 1 of the first run: the folders to back up. A folder typed into the field counts as chosen when Next is
// pressed, so the shortest way is: type it, Next.
import { useId, useState, type FormEvent } from 'react';
import { useActions } from '../../store/index.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { Feedback } from '../../components/Feedback.js';
import { PathText } from '../../components/ui/PathText.js';
import { FolderBrowser } from './FolderBrowser.js';

/** An absolute path on this host (POSIX, or a Windows drive). */
const isAbsoluteFolder = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

export function FolderStep({ folders, onChange, onNext }: { folders: string[]; onChange: (folders: string[]) => void; onNext: (folders: string[]) => void }) {
  const t = useT();
  const uid = useId();
  const { setup } = useActions();
  const native = useAction();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState(false);
  const add = (list: string[], p: string) => (list.includes(p) ? list : [...list, p]);
  const withTyped = (): string[] | null => {
    const p = typed.trim();
    if (!p) return folders;
    if (!isAbsoluteFolder(p)) {
      setProblem(true);
      return null;
    }
    return add(folders, p);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const all = withTyped();
    if (!all || all.length === 0) return;
    setTyped('');
    onChange(all);
    onNext(all);
  };
  const chooseFolders = setup.chooseFolders;
  return (
    <form className="form setup-step" onSubmit={submit} aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`} tabIndex={-1} data-step-title>
        {t('setup.folders.title')}
      </h3>
      <h4>{t('setup.folders.chosen')}</h4>
      {folders.length === 0 ? (
        <p className="muted">{t('setup.folders.none')}</p>
      ) : (
        <ul className="chosen-folders" data-testid="chosen-folders">
          {folders.map((p) => (
            <li key={p}>
              <PathText path={p} />
              <button type="button" aria-label={t('setup.folders.remove', { path: p })} onClick={() => onChange(folders.filter((x) => x !== p))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {chooseFolders && (
        <p>
          <button
            type="button"
            onClick={() => void native.run(chooseFolders).then((paths) => paths && onChange(paths.reduce(add, folders)))}
            disabled={native.busy}
          >
            {t('setup.folders.choose')}
          </button>
        </p>
      )}
      <Feedback state={native} />
      <div className="setup-typed-folder">
        <label>
          {t('setup.folders.typed')}
          <input
            className="mono"
            value={typed}
            aria-describedby={`${uid}-hint`}
            aria-invalid={problem || undefined}
            onChange={(e) => {
              setProblem(false);
              setTyped(e.target.value);
            }}
          />
        </label>
        <button
          type="button"
          disabled={!typed.trim()}
          onClick={() => {
            const all = withTyped();
            if (all) {
              setTyped('');
              onChange(all);
            }
          }}
        >
          {t('setup.folders.add')}
        </button>
      </div>
      <p className={problem ? 'field-error' : 'hint'} id={`${uid}-hint`}>
        {problem ? t('setup.folders.notAbsolute') : t('setup.folders.typedHint')}
      </p>
      <FolderBrowser onChoose={(p) => onChange(add(folders, p))} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={folders.length === 0 && !typed.trim()}>
          {t('setup.next')}
        </button>
      </div>
    </form>
  );
}

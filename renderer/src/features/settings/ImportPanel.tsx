import { useId, useState, type FormEvent } from 'react';
import type { ImportPreviewResult } from '../../../../main/common/index.js';
import { useActions, useHostCapabilities } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

type Source = 'backrest' | 'resticprofile';
interface Chosen {
  from: Source;
  text: string;
  fileName: string;
}

/**
 * "I already use Backrest / resticprofile": pick the other tool's file, see what comes in and, item by item, what
 * does not and why (the host's words), then confirm. Nothing is saved before the Import button.
 */
export function ImportPanel() {
  const t = useT();
  const { settings } = useActions();
  const host = useHostCapabilities();
  const uid = useId();
  const [from, setFrom] = useState<Source>('backrest');
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [preview, setPreview] = useState<ImportPreviewResult | null>(null);
  const look = useAction();
  const apply = useAction();

  const pick = async (file: File | undefined) => {
    setPreview(null);
    apply.clear();
    setChosen(file ? { from, text: await file.text(), fileName: file.name } : null);
  };

  const showPreview = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    const params = { ...chosen, from };
    setPreview((await look.run(() => settings.importPreview(params))) ?? null);
  };

  const confirm = () => {
    if (!chosen) return;
    void apply.run(
      () => settings.importApply({ ...chosen, from }),
      (done) => t('import.done', { repos: done.repos.length, plans: done.plans.length }),
    );
  };

  return (
    <form className="panel form" onSubmit={(e) => void showPreview(e)} data-testid="import-panel" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>{t('import.title')}</h3>
      <p className="hint">{t('import.hint')}</p>
      <label>
        {t('import.from')}
        <select
          value={from}
          onChange={(e) => {
            setFrom(e.target.value as Source);
            setPreview(null);
          }}
        >
          <option value="backrest">{t('import.from.backrest')}</option>
          <option value="resticprofile">{t('import.from.resticprofile')}</option>
        </select>
      </label>
      <label>
        {t('import.file')}
        <input type="file" accept=".json,.yaml,.yml,.toml,.conf" onChange={(e) => void pick(e.target.files?.[0])} data-testid="import-file" />
      </label>
      <div className="form-actions">
        <button type="submit" disabled={!chosen || look.busy}>
          {t('import.preview')}
        </button>
      </div>
      <Feedback state={look} />
      {preview && <PreviewLists preview={preview} keychain={host.canUseKeychain} />}
      {preview && (
        <div className="form-actions">
          <button type="button" className="primary" onClick={confirm} disabled={apply.busy || apply.message !== null}>
            {t('import.apply')}
          </button>
        </div>
      )}
      <Feedback state={apply} />
    </form>
  );
}

function PreviewLists({ preview, keychain }: { preview: ImportPreviewResult; keychain: boolean }) {
  const t = useT();
  return (
    <div data-testid="import-preview">
      <h4>{t('import.repos', { count: preview.repos.length })}</h4>
      <ul>
        {preview.repos.map((r) => (
          <li key={r.id} className="mono">
            {r.id} — {r.uri}
          </li>
        ))}
      </ul>
      <h4>{t('import.plans', { count: preview.plans.length })}</h4>
      <ul>
        {preview.plans.map((p) => (
          <li key={p.id} className="mono">
            {p.id} → {p.repo}: {p.paths.join(', ')}
          </li>
        ))}
      </ul>
      {preview.renamed.length > 0 && (
        <>
          <h4>{t('import.renamed')}</h4>
          <ul>
            {preview.renamed.map((r) => (
              <li key={`${r.kind}:${r.from}:${r.to}`}>{t('import.renamedItem', { from: r.from, to: r.to, why: r.why })}</li>
            ))}
          </ul>
        </>
      )}
      {preview.secrets.length > 0 && (
        <>
          <h4>{t('import.secrets')}</h4>
          <ul>
            {preview.secrets.map((s) => (
              <li key={s.repo}>{t(keychain ? 'import.secretKeychain' : 'import.secretFile', { repo: s.repo, from: s.from })}</li>
            ))}
          </ul>
        </>
      )}
      <h4>{preview.skipped.length > 0 ? t('import.skipped', { count: preview.skipped.length }) : t('import.nothingSkipped')}</h4>
      <ul data-testid="import-skipped">
        {preview.skipped.map((s, i) => (
          <li key={i}>
            <strong>{s.what}</strong>: {s.why}
          </li>
        ))}
      </ul>
    </div>
  );
}

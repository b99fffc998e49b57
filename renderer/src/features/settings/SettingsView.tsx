import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../../../main/common/index.js';
import { LANGUAGE_NAMES, LANGUAGES, isLanguage } from '../../i18n/index.js';
import { selectLanguage, selectRestic, useApp, useClient } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction, useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

/** Settings keys beyond the contract's typed ones; Settings allows extra keys. */
export const NOTIFY_ON_SUCCESS = 'notifyOnSuccess';
export const START_AT_LOGIN = 'startAtLogin';

/** "restic 0.14.0 compiled with go1.19.8 on linux/amd64" -> "0.14.0" (the whole line stays in the tooltip). */
export function versionNumber(version: string): string {
  return /\d+\.\d+\.\d+(?:-[\w.]+)?/.exec(version)?.[0] ?? version;
}

interface Values {
  resticBinary: string;
  stallAfterSeconds: string;
  cancelGraceSeconds: string;
  notifyOnSuccess: boolean;
  startAtLogin: boolean;
}

function valuesOf(s: Settings): Values {
  return {
    resticBinary: s.resticBinary ?? '',
    stallAfterSeconds: String(s.stallAfterSeconds),
    cancelGraceSeconds: String(s.cancelGraceSeconds),
    notifyOnSuccess: s[NOTIFY_ON_SUCCESS] === true,
    startAtLogin: s[START_AT_LOGIN] === true,
  };
}

export function SettingsView() {
  const t = useT();
  const client = useClient();
  const restic = useApp(selectRestic);
  const language = useApp(selectLanguage);
  const setLanguage = useApp((s) => s.setLanguage);
  const { data, error } = useLoad(() => client.invoke('config.get', {}), [client]);
  const [v, setV] = useState<Values | null>(null);
  const save = useAction();
  useEffect(() => {
    if (data) setV(valuesOf(data.settings));
  }, [data]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!v) return;
    const settings: Partial<Settings> = {
      resticBinary: v.resticBinary.trim() || null,
      stallAfterSeconds: Number(v.stallAfterSeconds),
      cancelGraceSeconds: Number(v.cancelGraceSeconds),
      [NOTIFY_ON_SUCCESS]: v.notifyOnSuccess,
      ...(client.canStartAtLogin ? { [START_AT_LOGIN]: v.startAtLogin } : {}),
    };
    void save.run(() => client.invoke('config.saveSettings', { settings }), () => t('common.saved'));
  };

  return (
    <section className="view" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <div className="panel form">
        <label>
          {t('settings.language')}
          <select
            value={language}
            onChange={(e) => {
              if (isLanguage(e.target.value)) setLanguage(e.target.value);
            }}
            data-testid="language-select"
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <p className="hint">{t('settings.language.system')}</p>
      </div>
      {error && <p className="feedback-error" role="alert">{error}</p>}
      {!v && !error && <p className="muted">{t('common.loading')}</p>}
      {v && (
        <form className="panel form" onSubmit={submit}>
          <h3>{t('settings.restic')}</h3>
          {restic?.version ? (
            <p title={restic.version}>{t('settings.version', { version: versionNumber(restic.version), path: restic.path ?? 'restic' })}</p>
          ) : restic?.error ? (
            <p className="feedback-error">{t('settings.notFound', { error: restic.error })}</p>
          ) : null}
          <label>
            {t('settings.binary')}
            <input className="mono" value={v.resticBinary} onChange={(e) => setV({ ...v, resticBinary: e.target.value })} />
          </label>
          <label>
            {t('settings.stall')}
            <input type="number" min={10} value={v.stallAfterSeconds} onChange={(e) => setV({ ...v, stallAfterSeconds: e.target.value })} required />
          </label>
          <label>
            {t('settings.grace')}
            <input type="number" min={1} value={v.cancelGraceSeconds} onChange={(e) => setV({ ...v, cancelGraceSeconds: e.target.value })} required />
          </label>
          <label className="inline">
            <input type="checkbox" checked={v.notifyOnSuccess} onChange={(e) => setV({ ...v, notifyOnSuccess: e.target.checked })} />
            {t('settings.notifySuccess')}
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={v.startAtLogin}
              disabled={!client.canStartAtLogin}
              onChange={(e) => setV({ ...v, startAtLogin: e.target.checked })}
              aria-describedby={client.canStartAtLogin ? undefined : 'login-desktop-only'}
            />
            {t('settings.startAtLogin')}
          </label>
          {!client.canStartAtLogin && (
            <p className="hint" id="login-desktop-only">
              {t('settings.desktopOnly')}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={save.busy}>
              {t('common.save')}
            </button>
          </div>
          <Feedback state={save} />
        </form>
      )}
    </section>
  );
}

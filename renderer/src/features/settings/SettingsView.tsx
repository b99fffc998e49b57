import { useEffect, useId, useState, type FormEvent } from 'react';
import type { FieldIssue, ResticInfo, Settings } from '../../../../main/common/index.js';
import { LanguageChoice } from './LanguageChoice.js';
import { ThemeChoice } from './ThemeChoice.js';
import { ImportPanel } from './ImportPanel.js';
import { OperationSettings } from '../repos/care/OperationSettings.js';
import { selectLanguage, selectRestic, useActions, useApp, useHostCapabilities } from '../../store/index.js';
import { ErrorDetail, Feedback } from '../../components/Feedback.js';
import { useAction, useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { useLeaveGuard } from '../../router/index.js';
import { FieldError, UnplacedErrors, useFieldErrors, type FieldPlace } from '../../components/FieldErrors.js';
import { errorText, errorWord } from '../../i18n/error-messages.js';

/** Settings keys beyond the contract's typed ones; Settings allows extra keys. */
export const NOTIFY_ON_SUCCESS = 'notifyOnSuccess';
export const START_AT_LOGIN = 'startAtLogin';

/** "restic 0.14.0 compiled with go1.19.8 on linux/amd64" -> "0.14.0" (the whole line stays in the tooltip). */
export function versionNumber(version: string): string {
  return /\d+\.\d+\.\d+(?:-[\w.]+)?/.exec(version)?.[0] ?? version;
}

/** Where the settings form shows a problem the host found (["settings", "resticBinary"] under the program). */
export function locateSettingsIssue(path: FieldIssue['path']): FieldPlace | null {
  if (path[0] !== 'settings') return null;
  const key = path[1];
  if (key === 'resticBinary') return { field: 'resticBinary', label: 'resticBinary' };
  if (key === 'stallAfterSeconds' || key === 'cancelGraceSeconds') return { field: key, label: 'seconds' };
  return null;
}

/** What the host detects now: the restic it will run (path and version), or why there is none. */
function DetectedRestic({ restic }: { restic: ResticInfo | null }) {
  const t = useT();
  const language = useApp(selectLanguage);
  if (restic?.version) {
    return (
      <p className="detected" title={restic.version} data-testid="restic-detected">
        {t('settings.version', { version: versionNumber(restic.version), path: restic.path ?? 'restic' })}
      </p>
    );
  }
  if (restic?.error) {
    return (
      <div className="detected feedback-error" data-testid="restic-detected">
        <span>{errorText(language, restic.errorCode ?? 'RESTIC_NOT_FOUND')}</span>
        <ErrorDetail detail={restic.error} />
      </div>
    );
  }
  return (
    <p className="detected muted" data-testid="restic-detected">
      {errorWord(language, 'resticDetecting')}
    </p>
  );
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
  const actions = useActions();
  const host = useHostCapabilities();
  const restic = useApp(selectRestic);
  const { data, error, errorDetail } = useLoad(() => actions.settings.loadConfig(), [actions]);
  const [v, setV] = useState<Values | null>(null);
  const save = useAction();
  // Leaving with changes not saved asks first (issue 13).
  const guard = useLeaveGuard();
  const uid = useId();
  const errors = useFieldErrors(save.issues, locateSettingsIssue, uid);
  /** A change of one field takes away that field's error only. */
  const change = (patch: Partial<Values>) => {
    for (const field of Object.keys(patch)) errors.clear(field);
    setV((prev) => (prev ? { ...prev, ...patch } : prev));
  };
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
      ...(host.canStartAtLogin ? { [START_AT_LOGIN]: v.startAtLogin } : {}),
    };
    void save.run(() => actions.settings.save(settings), () => t('common.saved')).then((saved) => saved && guard.markClean());
  };

  return (
    <section className="view" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <div className="panel form">
        <LanguageChoice />
        <ThemeChoice />
      </div>
      {error && <Feedback state={{ error, errorDetail, message: null }} />}
      {!v && !error && <p className="muted">{t('common.loading')}</p>}
      {v && (
        <form className="panel form" onSubmit={submit} onChange={guard.markDirty}>
          <h3>{t('settings.restic')}</h3>
          <DetectedRestic restic={restic} />
          <label>
            {t('settings.binary')}
            <input className="mono" value={v.resticBinary} onChange={(e) => change({ resticBinary: e.target.value })} {...errors.inputProps('resticBinary')} />
          </label>
          <FieldError errors={errors} field="resticBinary" />
          <label>
            {t('settings.stall')}
            <input
              type="number"
              min={10}
              value={v.stallAfterSeconds}
              onChange={(e) => change({ stallAfterSeconds: e.target.value })}
              required
              {...errors.inputProps('stallAfterSeconds')}
            />
          </label>
          <FieldError errors={errors} field="stallAfterSeconds" />
          <label>
            {t('settings.grace')}
            <input
              type="number"
              min={1}
              value={v.cancelGraceSeconds}
              onChange={(e) => change({ cancelGraceSeconds: e.target.value })}
              required
              {...errors.inputProps('cancelGraceSeconds')}
            />
          </label>
          <FieldError errors={errors} field="cancelGraceSeconds" />
          <label className="inline">
            <input type="checkbox" checked={v.notifyOnSuccess} onChange={(e) => change({ notifyOnSuccess: e.target.checked })} />
            {t('settings.notifySuccess')}
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={v.startAtLogin}
              disabled={!host.canStartAtLogin}
              onChange={(e) => change({ startAtLogin: e.target.checked })}
              aria-describedby={host.canStartAtLogin ? undefined : 'login-desktop-only'}
            />
            {t('settings.startAtLogin')}
          </label>
          {!host.canStartAtLogin && (
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
          <UnplacedErrors errors={errors} />
        </form>
      )}
      <OperationSettings />
      <ImportPanel />
    </section>
  );
}

import { useEffect, useId, useState, type FormEvent } from 'react';
import type { FieldIssue, Settings } from '../../../../../main/common/index.js';
import type { MessageKey } from '../../../i18n/index.js';
import { useActions } from '../../../store/index.js';
import { Feedback } from '../../../components/Feedback.js';
import { useAction, useLoad } from '../../../components/useAction.js';
import { useT } from '../../../components/useT.js';
import { FieldError, UnplacedErrors, useFieldErrors, type FieldPlace } from '../../../components/FieldErrors.js';
import { HooksEditor, hooksOf, rowsOf, type HookRow } from './HooksEditor.js';

/** The numeric settings of this panel, each a whole number or seconds; noSuccessWarnDays may be empty (off). */
const NUMBERS = [
  'maxParallelOperations',
  'retryAttempts',
  'retryBackoffSeconds',
  'stalledCancelAfterSeconds',
  'noSuccessWarnDays',
  'hookTimeoutSeconds',
  'uiUpdateHz',
] as const;
type NumberKey = (typeof NUMBERS)[number];

interface Values {
  numbers: Record<NumberKey, string>;
  retryStalled: boolean;
  keepAwake: boolean;
  hooks: HookRow[];
}

const text = (v: unknown): string => (typeof v === 'number' ? String(v) : '');

function valuesOf(s: Settings): Values {
  const numbers = Object.fromEntries(NUMBERS.map((k) => [k, text(s[k])])) as Record<NumberKey, string>;
  return { numbers, retryStalled: s.retryStalled !== false, keepAwake: s.keepAwake !== false, hooks: rowsOf(Array.isArray(s.hooks) ? s.hooks : []) };
}

/** The settings a change of which the host checks by key (["settings", "retryAttempts"]). */
function locate(path: FieldIssue['path']): FieldPlace | null {
  const key = path[1];
  return path[0] === 'settings' && typeof key === 'string' && (NUMBERS as readonly string[]).includes(key) ? { field: key, label: 'value' } : null;
}

/**
 * How Backstay runs operations (settings in config.json): how many at once, retries of stalled or failed backups,
 * warnings, hooks for every plan, and how often the window is updated.
 */
export function OperationSettings() {
  const t = useT();
  const uid = useId();
  const { settings } = useActions();
  const { data } = useLoad(() => settings.loadConfig(), [settings]);
  const [v, setV] = useState<Values | null>(null);
  const save = useAction();
  const errors = useFieldErrors(save.issues, locate, uid);
  useEffect(() => {
    if (data) setV(valuesOf(data.settings));
  }, [data]);
  if (!v) return null;

  const setNumber = (k: NumberKey, value: string) => {
    errors.clear(k);
    setV({ ...v, numbers: { ...v.numbers, [k]: value } });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const patch: Partial<Settings> = { retryStalled: v.retryStalled, keepAwake: v.keepAwake, hooks: hooksOf(v.hooks) };
    for (const k of NUMBERS) {
      const raw = v.numbers[k].trim();
      // An empty "no backup for N days" turns that warning off; other empty fields keep what is saved.
      if (raw === '') {
        if (k === 'noSuccessWarnDays') patch[k] = null;
        continue;
      }
      patch[k] = Number(raw);
    }
    void save.run(() => settings.save(patch), () => t('common.saved'));
  };

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={`${uid}-title`} data-testid="operation-settings">
      <h3 id={`${uid}-title`}>{t('care.ops.title')}</h3>
      {NUMBERS.map((k) => (
        <div key={k}>
          <label>
            {t(`care.ops.${k}` as MessageKey)}
            <input
              type="number"
              min={k === 'retryAttempts' ? 0 : 1}
              step={k === 'uiUpdateHz' ? 'any' : 1}
              value={v.numbers[k]}
              onChange={(e) => setNumber(k, e.target.value)}
              {...errors.inputProps(k)}
            />
          </label>
          <FieldError errors={errors} field={k} />
        </div>
      ))}
      <label className="inline">
        <input type="checkbox" checked={v.retryStalled} onChange={(e) => setV({ ...v, retryStalled: e.target.checked })} />
        {t('care.ops.retryStalled')}
      </label>
      <label className="inline">
        <input type="checkbox" checked={v.keepAwake} onChange={(e) => setV({ ...v, keepAwake: e.target.checked })} />
        {t('care.ops.keepAwake')}
      </label>
      <h4>{t('care.hooks.allTitle')}</h4>
      <p className="hint">{t('care.hooks.allHint')}</p>
      <HooksEditor rows={v.hooks} onChange={(hooks) => setV({ ...v, hooks })} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.busy}>
          {t('care.ops.save')}
        </button>
      </div>
      <Feedback state={save} />
      <UnplacedErrors errors={errors} />
    </form>
  );
}

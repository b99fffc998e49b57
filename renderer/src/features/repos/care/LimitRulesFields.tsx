// Time-of-day bandwidth rules of a repository (repos[].limits.rules): on these days, from this time to that time,
// restic gets these limits instead of the repository's plain ones. The host checks the rules (schema.ts) and
// applies the first that matches when a run starts (main/core/conditions/limits.ts); the form only edits them.
import type { RepoLimits, Weekday } from '../../../../../main/common/rpc.js';
import type { MessageKey } from '../../../i18n/index.js';
import { useT } from '../../../components/useT.js';
import { FieldError, type FieldErrors } from '../../../components/FieldErrors.js';

export type LimitRule = NonNullable<RepoLimits['rules']>[number];

/** One rule as the form holds it: the limits as typed ("" is no limit during these hours). */
export interface LimitRuleRow {
  days: Weekday[];
  from: string;
  to: string;
  upload: string;
  download: string;
}

export const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * A 24-hour "HH:MM" field. Not <input type="time">: that one shows the browser's locale (09:00 AM in an English
 * Chromium) where the rest of the window, and the rules' own sentences, use a 24-hour clock. The pattern is the
 * host's (config-schema.ts), so the browser refuses what the host would.
 */
const CLOCK_FIELD = { type: 'text', inputMode: 'numeric', pattern: '([01][0-9]|2[0-3]):[0-5][0-9]', placeholder: '09:00', maxLength: 5, required: true, className: 'clock' } as const;

/** What "Add a time rule" starts from: working hours, the most common reason to hold an upload back. */
const NEW_RULE: LimitRuleRow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00', upload: '', download: '' };

export function ruleRowsOf(rules: RepoLimits['rules']): LimitRuleRow[] {
  return (rules ?? []).map((r) => ({
    days: [...r.days],
    from: r.from,
    to: r.to,
    upload: r.uploadKiBs !== undefined ? String(r.uploadKiBs) : '',
    download: r.downloadKiBs !== undefined ? String(r.downloadKiBs) : '',
  }));
}

/** A KiB/s field as typed: empty is no limit. */
export const kib = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** The rules to save. Days keep the week's order whatever order they were ticked in. */
export function rulesOf(rows: readonly LimitRuleRow[]): LimitRule[] {
  return rows.map((row) => {
    const up = kib(row.upload);
    const down = kib(row.download);
    return {
      days: WEEK.filter((d) => row.days.includes(d)),
      from: row.from,
      to: row.to,
      ...(up !== undefined ? { uploadKiBs: up } : {}),
      ...(down !== undefined ? { downloadKiBs: down } : {}),
    };
  });
}

/** The form's field key of a rule's part, shared with locateRepoIssue so a refusal lands on the part it is about. */
const RULE_PARTS = ['days', 'from', 'to', 'upload', 'download'] as const;
export const ruleField = (i: number, part?: (typeof RULE_PARTS)[number]) => (part ? `rule-${i}-${part}` : `rule-${i}`);

export function LimitRulesFields({
  rows,
  onChange,
  errors,
}: {
  rows: LimitRuleRow[];
  onChange: (rows: LimitRuleRow[]) => void;
  errors: FieldErrors;
}) {
  const t = useT();
  const patch = (i: number, part: Parameters<typeof ruleField>[1], p: Partial<LimitRuleRow>) => {
    errors.clear(ruleField(i, part));
    errors.clear(ruleField(i));
    onChange(rows.map((r, j) => (j === i ? { ...r, ...p } : r)));
  };
  const invalid = (field: string) => errors.inputProps(field);
  // The host's refusals are by a rule's place in the list: once a rule is gone, those of the rules after it would
  // land on the wrong ones, so they go too (the next save says again what is still wrong).
  const remove = (i: number) => {
    for (let j = i; j < rows.length; j++) for (const part of [undefined, ...RULE_PARTS]) errors.clear(ruleField(j, part));
    onChange(rows.filter((_, j) => j !== i));
  };
  return (
    <div className="limit-rules" data-testid="limit-rules">
      <h4>{t('care.rules.title')}</h4>
      <p className="hint">{t('care.rules.hint')}</p>
      {rows.map((row, i) => (
        <fieldset key={i} className="limit-rule" data-testid={`limit-rule-${i}`}>
          <legend>{t('care.rules.item', { n: i + 1 })}</legend>
          <div role="group" aria-label={t('care.rules.days', { n: i + 1 })} className="limit-rule-days" {...invalid(ruleField(i, 'days'))}>
            {WEEK.map((day) => (
              <label key={day} className="inline">
                <input
                  type="checkbox"
                  checked={row.days.includes(day)}
                  onChange={(e) => patch(i, 'days', { days: e.target.checked ? [...row.days, day] : row.days.filter((d) => d !== day) })}
                />
                {t(`care.rules.day.${day}` as MessageKey)}
              </label>
            ))}
          </div>
          <FieldError errors={errors} field={ruleField(i, 'days')} />
          <div className="limit-rule-times">
            <label>
              {t('care.rules.from')}
              <input {...CLOCK_FIELD} title={t('care.rules.clockHint')} value={row.from} onChange={(e) => patch(i, 'from', { from: e.target.value.trim() })} {...invalid(ruleField(i, 'from'))} />
            </label>
            <label>
              {t('care.rules.to')}
              <input {...CLOCK_FIELD} title={t('care.rules.clockHint')} value={row.to} onChange={(e) => patch(i, 'to', { to: e.target.value.trim() })} {...invalid(ruleField(i, 'to'))} />
            </label>
            <label>
              {t('care.rules.upload')}
              <input type="number" min={1} value={row.upload} onChange={(e) => patch(i, 'upload', { upload: e.target.value })} {...invalid(ruleField(i, 'upload'))} />
            </label>
            <label>
              {t('care.rules.download')}
              <input type="number" min={1} value={row.download} onChange={(e) => patch(i, 'download', { download: e.target.value })} {...invalid(ruleField(i, 'download'))} />
            </label>
          </div>
          {(['from', 'to', 'upload', 'download'] as const).map((part) => (
            <FieldError key={part} errors={errors} field={ruleField(i, part)} />
          ))}
          <FieldError errors={errors} field={ruleField(i)} />
          {row.to !== '' && row.from !== '' && row.to < row.from && <p className="hint">{t('care.rules.overnight', { from: row.from, to: row.to })}</p>}
          <button type="button" onClick={() => remove(i)} aria-label={t('care.rules.remove', { n: i + 1 })}>
            {t('care.rules.removeShort')}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange([...rows, { ...NEW_RULE, days: [...NEW_RULE.days] }])}>
        {t('care.rules.add')}
      </button>
    </div>
  );
}


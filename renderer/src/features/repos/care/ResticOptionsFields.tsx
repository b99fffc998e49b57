import { useId } from 'react';
import type { RepoLimits } from '../../../../../main/common/rpc.js';
import { useT } from '../../../components/useT.js';
import { FieldError, type FieldErrors } from '../../../components/FieldErrors.js';
import { kib, LimitRulesFields, rulesOf, type LimitRuleRow } from './LimitRulesFields.js';

/** One restic option per line ("-o", "sftp.command=ssh -p 2222" or "--pack-size=64"); blank lines are dropped. */
export function flagsOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * The limits as the form holds them. Nothing typed and no rules: `{}` when the repository had limits (which removes
 * them), otherwise nothing is sent.
 */
export function limitsOf(upload: string, download: string, rules: readonly LimitRuleRow[], hadLimits: boolean): RepoLimits | undefined {
  const up = kib(upload);
  const down = kib(download);
  const limits: RepoLimits = {
    ...(up !== undefined ? { uploadKiBs: up } : {}),
    ...(down !== undefined ? { downloadKiBs: down } : {}),
    ...(rules.length > 0 ? { rules: rulesOf(rules) } : {}),
  };
  if (Object.keys(limits).length === 0) return hadLimits ? {} : undefined;
  return limits;
}

/** restic's own options for this repository (repos[].flags) and its bandwidth (repos[].limits). */
export function ResticOptionsFields({
  flags,
  onFlags,
  upload,
  onUpload,
  download,
  onDownload,
  rules,
  onRules,
  errors,
}: {
  flags: string;
  onFlags: (text: string) => void;
  upload: string;
  onUpload: (text: string) => void;
  download: string;
  onDownload: (text: string) => void;
  rules: LimitRuleRow[];
  onRules: (rows: LimitRuleRow[]) => void;
  errors: FieldErrors;
}) {
  const t = useT();
  const uid = useId();
  return (
    <fieldset data-testid="restic-options">
      <legend>{t('care.options.title')}</legend>
      <label>
        {t('care.options.flags')}
        <textarea className="mono" rows={2} value={flags} onChange={(e) => onFlags(e.target.value)} aria-describedby={`${uid}-flags`} />
      </label>
      <p className="hint" id={`${uid}-flags`}>
        {t('care.options.flagsHint')}
      </p>
      <KibField label={t('care.options.upload')} field="upload" value={upload} onChange={onUpload} errors={errors} />
      <KibField label={t('care.options.download')} field="download" value={download} onChange={onDownload} errors={errors} />
      <LimitRulesFields rows={rules} onChange={onRules} errors={errors} />
    </fieldset>
  );
}

/** One plain limit in KiB/s, with the host's refusal under it (gone once the field is edited). */
function KibField({ label, field, value, onChange, errors }: { label: string; field: string; value: string; onChange: (text: string) => void; errors: FieldErrors }) {
  return (
    <>
      <label>
        {label}
        <input
          type="number"
          min={1}
          value={value}
          onChange={(e) => {
            errors.clear(field);
            onChange(e.target.value);
          }}
          {...errors.inputProps(field)}
        />
      </label>
      <FieldError errors={errors} field={field} />
    </>
  );
}

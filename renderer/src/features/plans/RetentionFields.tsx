import type { MessageKey } from '../../i18n/index.js';
import { useT } from '../../components/useT.js';
import { FieldError, type FieldErrors } from '../../components/FieldErrors.js';
import { RETENTION_NUMBER_KEYS, type RetentionValues } from './plan-input.js';

/**
 * What to keep (restic forget's --keep-* options) as typed, shared by the plan form and each mirror of a plan.
 * `fieldOf` names the error fields ("keepLast" in the plan form, "mirror-0-keepLast" for the first mirror).
 */
export function RetentionFields({
  values,
  onChange,
  errors,
  fieldOf = (k) => k,
}: {
  values: RetentionValues;
  onChange: (k: keyof RetentionValues, value: string) => void;
  errors: FieldErrors;
  fieldOf?: (k: keyof RetentionValues | 'retention') => string;
}) {
  const t = useT();
  return (
    <>
      <FieldError errors={errors} field={fieldOf('retention')} />
      <div className="keep-grid">
        {RETENTION_NUMBER_KEYS.map((k) => (
          <div key={k}>
            <label>
              {t(`plans.form.${k}` as MessageKey)}
              <input type="number" min={0} value={values[k]} onChange={(e) => onChange(k, e.target.value)} {...errors.inputProps(fieldOf(k))} />
            </label>
            <FieldError errors={errors} field={fieldOf(k)} />
          </div>
        ))}
        <div>
          <label>
            {t('plans.form.keepWithin')}
            <input value={values.keepWithin} onChange={(e) => onChange('keepWithin', e.target.value)} {...errors.inputProps(fieldOf('keepWithin'))} />
          </label>
          <FieldError errors={errors} field={fieldOf('keepWithin')} />
        </div>
      </div>
    </>
  );
}

import { useId } from 'react';
import type { RepoMaintenance } from '../../../../../main/common/rpc.js';
import { useT } from '../../../components/useT.js';
import { ScheduleField } from './ScheduleField.js';

/** The repository's own maintenance (repos[].maintenance): when Backstay prunes and checks it, and how much a check reads. */
export function MaintenanceFields({ value, onChange }: { value: RepoMaintenance; onChange: (m: RepoMaintenance) => void }) {
  const t = useT();
  const uid = useId();
  return (
    <fieldset className="maintenance-fields" data-testid="maintenance-fields">
      <legend>{t('care.maintenance.title')}</legend>
      <p className="hint">{t('care.maintenance.hint')}</p>
      <ScheduleField legend={t('care.maintenance.prune')} name={`${uid}-prune`} value={value.prune ?? null} onChange={(prune) => onChange({ ...value, prune })} />
      <ScheduleField legend={t('care.maintenance.check')} name={`${uid}-check`} value={value.check ?? null} onChange={(check) => onChange({ ...value, check })} />
      <label>
        {t('care.maintenance.subset')}
        <input
          className="mono"
          value={value.checkReadDataSubset ?? ''}
          placeholder="5%"
          aria-describedby={`${uid}-subset-hint`}
          onChange={(e) => {
            const { checkReadDataSubset: _old, ...rest } = value;
            const subset = e.target.value.trim();
            onChange(subset ? { ...rest, checkReadDataSubset: subset } : rest);
          }}
        />
      </label>
      <p className="hint" id={`${uid}-subset-hint`}>
        {t('care.maintenance.subsetHint')}
      </p>
    </fieldset>
  );
}

/** What the form sends: nothing for a repository that never had maintenance and still has none (it stays absent). */
export function maintenanceToSave(value: RepoMaintenance, hadBefore: boolean): RepoMaintenance | undefined {
  const any = (value.prune ?? null) !== null || (value.check ?? null) !== null || !!value.checkReadDataSubset;
  if (!any && !hadBefore) return undefined;
  return { prune: value.prune ?? null, check: value.check ?? null, ...(value.checkReadDataSubset ? { checkReadDataSubset: value.checkReadDataSubset } : {}) };
}

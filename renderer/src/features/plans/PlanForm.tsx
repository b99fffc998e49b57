import { useId, useState, type FormEvent } from 'react';
import type { PlanState } from '../../../../main/common/index.js';
import type { MessageKey } from '../../i18n/index.js';
import { selectRepoIds, useActions, useAppShallow } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { FieldError, UnplacedErrors, useFieldErrors } from '../../components/FieldErrors.js';
import { ID_PATTERN, IdField } from '../../components/IdField.js';
import {
  formValuesFromPlan,
  locatePlanIssue,
  planInputFromValues,
  scheduleFromValues,
  type PlanFormValues,
  type RetentionValues,
  type ScheduleMode,
} from './plan-input.js';
import { SchedulePreview } from './SchedulePreview.js';
import { RetentionFields } from './RetentionFields.js';
import { useLeaveGuard } from '../../router/index.js';
import { IdOptions } from '../../components/IdOptions.js';

/** Create or edit a plan: what to back up, where, when, and what to keep. */
export function PlanForm({ plan, onSaved, onDiscard }: { plan: PlanState | null; onSaved: (id: string) => void; onDiscard: () => void }) {
  const t = useT();
  const { plans, repos } = useActions();
  const repoIds = useAppShallow(selectRepoIds);
  const uid = useId();
  const action = useAction();
  // Leaving with changes not saved asks first; a save or a discard is a choice already made.
  const guard = useLeaveGuard();
  const errors = useFieldErrors(action.issues, locatePlanIssue, uid);
  const [v, setV] = useState<PlanFormValues>(() => formValuesFromPlan(plan, repoIds[0] ?? ''));
  // Editing a field takes its error away; the other fields keep theirs until they are edited too.
  const set = (patch: Partial<PlanFormValues>) => {
    for (const field of Object.keys(patch)) errors.clear(field === 'scheduleMode' ? 'schedule' : field);
    setV((prev) => ({ ...prev, ...patch }));
  };
  const setKeep = (k: keyof RetentionValues, value: string) => {
    errors.clear(k);
    errors.clear('retention');
    setV((prev) => ({ ...prev, retention: { ...prev.retention, [k]: value } }));
  };
  const input = planInputFromValues(v);
  const valid = ID_PATTERN.test(input.id) && !!input.repo && input.paths.length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Editing: the form's fields onto the plan as saved now, so what it has no fields for (mirrors, restore tests,
    // hooks, conditions) stays as another panel or window saved it.
    const { id, ...fields } = input;
    const ok = await action.run(() => (plan === null ? plans.save(input, true) : repos.updatePlan(id, fields)), () => t('common.saved'));
    if (ok) {
      guard.markClean();
      onSaved(input.id);
    }
  };

  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} onChange={guard.markDirty} aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>{plan ? t('plans.form.titleEdit', { id: plan.id }) : t('plans.form.titleNew')}</h3>
      <div className="form-grid">
        <div>
          <IdField
            label={t('plans.form.id')}
            value={v.id}
            readOnly={!!plan}
            onChange={(id) => set({ id })}
            hintId={`${uid}-id-hint`}
            inputProps={errors.inputProps('id')}
          >
            <FieldError errors={errors} field="id" />
          </IdField>
        </div>
        <div>
          <label>
            {t('plans.form.repo')}
            <select value={v.repo} onChange={(e) => set({ repo: e.target.value })} required {...errors.inputProps('repo')}>
              <IdOptions ids={repoIds} />
            </select>
          </label>
          <FieldError errors={errors} field="repo" />
        </div>
      </div>
      <label>
        {t('plans.form.paths')}
        <textarea className="mono" rows={4} value={v.paths} required onChange={(e) => set({ paths: e.target.value })} {...errors.inputProps('paths')} />
      </label>
      <FieldError errors={errors} field="paths" />
      <label>
        {t('plans.form.excludes')}
        <textarea className="mono" rows={3} value={v.excludes} onChange={(e) => set({ excludes: e.target.value })} {...errors.inputProps('excludes')} />
      </label>
      <FieldError errors={errors} field="excludes" />
      <fieldset>
        <legend>{t('plans.form.schedule')}</legend>
        {(['none', 'cron', 'every'] as ScheduleMode[]).map((m) => (
          <label key={m} className="inline">
            <input type="radio" name={`${uid}-schedule`} value={m} checked={v.scheduleMode === m} onChange={() => set({ scheduleMode: m })} />
            {t(`plans.form.schedule.${m}` as MessageKey)}
          </label>
        ))}
        <FieldError errors={errors} field="schedule" />
        {v.scheduleMode === 'cron' && (
          <>
            <label>
              {t('plans.form.cron')}
              <input className="mono" value={v.cron} onChange={(e) => set({ cron: e.target.value })} required {...errors.inputProps('cron')} />
            </label>
            <FieldError errors={errors} field="cron" />
          </>
        )}
        {v.scheduleMode === 'every' && (
          <>
            <label>
              {t('plans.form.minutes')}
              <input
                type="number"
                min={1}
                value={v.everyMinutes}
                onChange={(e) => set({ everyMinutes: e.target.value })}
                required
                {...errors.inputProps('everyMinutes')}
              />
            </label>
            <FieldError errors={errors} field="everyMinutes" />
          </>
        )}
        <SchedulePreview schedule={scheduleFromValues(v)} />
      </fieldset>
      <fieldset>
        <legend>{t('plans.form.retention')}</legend>
        <p className="hint">{t('plans.form.retentionHint')}</p>
        <RetentionFields values={v.retention} onChange={setKeep} errors={errors} />
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy || !valid}>
          {t('common.save')}
        </button>
        <button
          type="button"
          onClick={() => {
            guard.markClean();
            onDiscard();
          }}
        >
          {t('common.discard')}
        </button>
      </div>
      <Feedback state={action} />
      <UnplacedErrors errors={errors} />
    </form>
  );
}

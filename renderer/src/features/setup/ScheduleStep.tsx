// Step 3 of the first run: when (every hour, every day at a time, or only when asked), which old versions to
// keep, and the plan's name; then the first backup starts.
import { useId, useState, type FormEvent } from 'react';
import type { MessageKey } from '../../i18n/index.js';
import { useActions } from '../../store/index.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { Feedback } from '../../components/Feedback.js';
import { FieldError, UnplacedErrors, useFieldErrors, type FieldPlace } from '../../components/FieldErrors.js';
import { ID_PATTERN, IdField } from '../../components/IdField.js';
import { firstPlan, isTimeOfDay, RETENTION_PRESETS, SCHEDULE_PRESETS, type RetentionPreset, type SchedulePreset } from './presets.js';

const locatePlanIssue = (path: (string | number)[]): FieldPlace | null => (path[0] === 'plan' && path[1] === 'id' ? { field: 'id', label: 'id' } : null);

export function ScheduleStep({
  repoId,
  folders,
  suggestedId,
  onStarted,
  onBack,
  onEdit,
}: {
  repoId: string;
  folders: string[];
  suggestedId: string;
  onStarted: (planId: string, opId: number) => void;
  onBack: () => void;
  onEdit: () => void;
}) {
  const t = useT();
  const uid = useId();
  const { setup } = useActions();
  const action = useAction();
  const [schedule, setSchedule] = useState<SchedulePreset>('daily');
  const [dailyAt, setDailyAt] = useState('21:00');
  const [retention, setRetention] = useState<RetentionPreset>('recommended');
  const [name, setName] = useState<string | null>(null);
  const id = name ?? suggestedId;
  const errors = useFieldErrors(action.issues, locatePlanIssue, uid);
  const ready = ID_PATTERN.test(id) && (schedule !== 'daily' || isTimeOfDay(dailyAt));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const plan = firstPlan({ id, repo: repoId, folders, schedule, dailyAt, retention });
    const opId = await action.run(() => setup.startFirstBackup(plan));
    if (opId !== undefined) onStarted(id, opId);
  };

  return (
    <form className="form setup-step" onSubmit={(e) => void submit(e)} aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`} tabIndex={-1} data-step-title>
        {t('setup.schedule.title')}
      </h3>
      <fieldset>
        <legend>{t('setup.schedule.title')}</legend>
        {SCHEDULE_PRESETS.map((p) => (
          <label key={p} className="inline">
            <input
              type="radio"
              name={`${uid}-schedule`}
              checked={schedule === p}
              onChange={() => {
                onEdit();
                setSchedule(p);
              }}
            />
            {t(`setup.schedule.${p}` as MessageKey)}
          </label>
        ))}
        {schedule === 'daily' && (
          <label>
            {t('setup.schedule.dailyAt')}
            <input
              type="time"
              value={dailyAt}
              required
              onChange={(e) => {
                onEdit();
                setDailyAt(e.target.value);
              }}
            />
          </label>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('setup.retention.title')}</legend>
        {RETENTION_PRESETS.map((p) => (
          <label key={p} className="inline setup-retention">
            <input
              type="radio"
              name={`${uid}-retention`}
              checked={retention === p}
              onChange={() => {
                onEdit();
                setRetention(p);
              }}
            />
            {t(`setup.retention.${p}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <IdField
        label={t('setup.plan.name')}
        value={id}
        readOnly={false}
        hintId={`${uid}-name`}
        inputProps={errors.inputProps('id')}
        onChange={(next) => {
          onEdit();
          errors.clear('id');
          setName(next);
        }}
      >
        <FieldError errors={errors} field="id" />
      </IdField>
      <div className="form-actions">
        <button type="button" onClick={onBack}>
          {t('setup.back')}
        </button>
        <button type="submit" className="primary" disabled={!ready || action.busy}>
          {t('setup.start')}
        </button>
      </div>
      <Feedback state={action} />
      <UnplacedErrors errors={errors} />
    </form>
  );
}

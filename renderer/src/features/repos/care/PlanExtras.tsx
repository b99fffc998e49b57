import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ScheduleSpec } from '../../../../../main/common/index.js';
import type { MirrorInput, PlanConditions, PlanInput, VerifyInput } from '../../../../../main/common/rpc.js';
import { selectRepoIds, useActions, useAppShallow } from '../../../store/index.js';
import { Feedback } from '../../../components/Feedback.js';
import { useAction, useLoad } from '../../../components/useAction.js';
import { useT } from '../../../components/useT.js';
import { UnplacedErrors, useFieldErrors, type LocateIssue } from '../../../components/FieldErrors.js';
import { IdOptions } from '../../../components/IdOptions.js';
import { ScheduleField } from './ScheduleField.js';
import { RetentionFields } from '../../plans/RetentionFields.js';
import { RETENTION_NUMBER_KEYS, retentionFromValues, retentionValuesOf, type RetentionValues } from '../../plans/plan-input.js';

/** A week, the restore tests' schedule when the plan names none. */
const WEEKLY: ScheduleSpec = { everyMinutes: 7 * 24 * 60 };

interface Values {
  conditions: PlanConditions;
  verifyOn: boolean;
  verify: VerifyInput;
  /** The restore tests' schedule was changed here (otherwise an absent one stays absent: weekly). */
  verifyScheduleTouched: boolean;
  mirrors: MirrorInput[];
  /** Each mirror's retention as typed (same order as mirrors); all empty = keep every copied snapshot (null). */
  mirrorKeeps: RetentionValues[];
}

/** The field of a mirror's retention key, e.g. "mirror-0-keepLast" ("retention" for the retention as a whole). */
const mirrorKeepField = (i: number, k: keyof RetentionValues | 'retention') => `mirror-${i}-${k}`;

/** ["plan", "mirrors", 0, "retention", "keepLast"] is shown on the first mirror's Last field; the rest under the form. */
const locateExtrasIssue: LocateIssue = (path) => {
  const [root, key, index, sub, keepKey] = path;
  if (root !== 'plan' || key !== 'mirrors' || typeof index !== 'number' || sub !== 'retention') return null;
  if (keepKey === 'keepWithin') return { field: mirrorKeepField(index, 'keepWithin'), label: 'keepWithin' };
  if (typeof keepKey === 'string' && (RETENTION_NUMBER_KEYS as readonly string[]).includes(keepKey)) {
    return { field: mirrorKeepField(index, keepKey as keyof RetentionValues), label: 'keep' };
  }
  return { field: mirrorKeepField(index, 'retention'), label: 'keep' };
};

function valuesOf(plan: PlanInput): Values {
  return {
    conditions: plan.conditions ?? {},
    verifyOn: plan.verify !== undefined,
    verify: plan.verify ?? { files: 50, maxMiB: 200 },
    verifyScheduleTouched: false,
    mirrors: plan.mirrors ?? [],
    mirrorKeeps: (plan.mirrors ?? []).map((m) => retentionValuesOf(m.retention)),
  };
}

const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/**
 * What else a plan may have in config.json, on the plan's page: when scheduled runs may start (conditions), restore
 * tests (verify) and mirrors. Saved onto the plan as it is saved then; the plan form keeps what it does not edit.
 */
export function PlanExtras({ planId }: { planId: string }) {
  const t = useT();
  const uid = useId();
  const { repos } = useActions();
  const repoIds = useAppShallow(selectRepoIds);
  const { data } = useLoad(() => repos.loadConfig(), [repos, planId]);
  const saved = data?.plans.find((p) => p.id === planId);
  const [v, setV] = useState<Values | null>(null);
  const action = useAction();
  const errors = useFieldErrors(action.issues, locateExtrasIssue, uid);
  useEffect(() => {
    if (saved) setV(valuesOf(saved));
  }, [saved]);
  if (!saved || !v) return null;
  const cond = (patch: Partial<PlanConditions>) => {
    const next: PlanConditions = { ...v.conditions, ...patch };
    for (const key of Object.keys(next) as (keyof PlanConditions)[]) if (next[key] === undefined || next[key] === '') delete next[key];
    setV({ ...v, conditions: next });
  };
  const mirror = (i: number, patch: Partial<MirrorInput>) => setV({ ...v, mirrors: v.mirrors.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const setMirrorKeep = (i: number, k: keyof RetentionValues, value: string) => {
    errors.clear(mirrorKeepField(i, k));
    errors.clear(mirrorKeepField(i, 'retention'));
    setV({ ...v, mirrorKeeps: v.mirrorKeeps.map((keep, j) => (j === i ? { ...keep, [k]: value } : keep)) });
  };
  const otherRepos = repoIds.filter((id) => id !== saved.repo);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { schedule, ...rest } = v.verify;
    const verify: VerifyInput | undefined = v.verifyOn ? (v.verifyScheduleTouched || schedule !== undefined ? { ...rest, schedule } : rest) : undefined;
    const mirrors = v.mirrors.map((m, i) => ({ ...m, retention: retentionFromValues(v.mirrorKeeps[i]!) }));
    void action.run(
      () => repos.updatePlan(planId, { conditions: v.conditions, mirrors, ...(verify ? { verify } : { verify: undefined }) }),
      () => t('common.saved'),
    );
  };

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={`${uid}-title`} data-testid="plan-extras">
      <h3 id={`${uid}-title`}>{t('care.extras.title')}</h3>
      <fieldset>
        <legend>{t('care.cond.title')}</legend>
        <p className="hint">{t('care.cond.hint')}</p>
        <label className="inline">
          <input type="checkbox" checked={v.conditions.onBattery === 'skip'} onChange={(e) => cond({ onBattery: e.target.checked ? 'skip' : undefined })} />
          {t('care.cond.onBattery')}
        </label>
        <label>
          {t('care.cond.minBattery')}
          <input
            type="number"
            min={1}
            max={100}
            value={v.conditions.minBatteryPercent ?? ''}
            onChange={(e) => cond({ minBatteryPercent: numberOrUndefined(e.target.value) })}
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={v.conditions.onMetered === 'skip'} onChange={(e) => cond({ onMetered: e.target.checked ? 'skip' : undefined })} />
          {t('care.cond.onMetered')}
        </label>
        <label className="inline">
          <input type="checkbox" checked={v.conditions.requireReachable === true} onChange={(e) => cond({ requireReachable: e.target.checked || undefined })} />
          {t('care.cond.reachable')}
        </label>
        <label>
          {t('care.cond.mount')}
          <input className="mono" value={v.conditions.requireMount ?? ''} placeholder="/media/usb" onChange={(e) => cond({ requireMount: e.target.value.trim() || undefined })} />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t('care.verify.title')}</legend>
        <label className="inline">
          <input type="checkbox" checked={v.verifyOn} onChange={(e) => setV({ ...v, verifyOn: e.target.checked })} />
          {t('care.verify.on')}
        </label>
        {v.verifyOn && (
          <>
            <label>
              {t('care.verify.files')}
              <input type="number" min={1} max={10000} value={v.verify.files ?? ''} onChange={(e) => setV({ ...v, verify: { ...v.verify, files: numberOrUndefined(e.target.value) } })} />
            </label>
            <label>
              {t('care.verify.maxMiB')}
              <input type="number" min={1} value={v.verify.maxMiB ?? ''} onChange={(e) => setV({ ...v, verify: { ...v.verify, maxMiB: numberOrUndefined(e.target.value) } })} />
            </label>
            <ScheduleField
              legend={t('care.verify.schedule')}
              name={`${uid}-verify`}
              noneLabel={t('care.verify.onlyAsked')}
              value={v.verify.schedule === undefined ? WEEKLY : v.verify.schedule}
              onChange={(schedule) => setV({ ...v, verify: { ...v.verify, schedule }, verifyScheduleTouched: true })}
            />
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('care.mirrors.title')}</legend>
        {v.mirrors.length === 0 && <p className="muted">{t('care.mirrors.none')}</p>}
        {v.mirrors.map((m, i) => (
          <fieldset key={i} data-testid={`mirror-${i}`}>
            <legend>{t('care.mirrors.item', { n: i + 1 })}</legend>
            <label>
              {t('care.mirrors.repo')}
              <select value={m.repo} onChange={(e) => mirror(i, { repo: e.target.value })}>
                <IdOptions ids={otherRepos.includes(m.repo) ? otherRepos : [m.repo, ...otherRepos]} />
              </select>
            </label>
            <label>
              {t('care.mirrors.warnAfterDays')}
              <input type="number" min={1} value={m.warnAfterDays ?? ''} onChange={(e) => mirror(i, { warnAfterDays: numberOrUndefined(e.target.value) })} />
            </label>
            <ScheduleField
              legend={t('care.mirrors.schedule')}
              name={`${uid}-mirror-${i}`}
              noneLabel={t('care.mirrors.afterBackup')}
              value={m.schedule ?? null}
              onChange={(schedule) => mirror(i, { schedule })}
            />
            <fieldset>
              <legend>{t('care.mirrors.retention')}</legend>
              <p className="hint">{t('care.mirrors.retentionHint')}</p>
              <RetentionFields values={v.mirrorKeeps[i]!} onChange={(k, value) => setMirrorKeep(i, k, value)} errors={errors} fieldOf={(k) => mirrorKeepField(i, k)} />
            </fieldset>
            <button type="button" onClick={() => setV({ ...v, mirrors: v.mirrors.filter((_, j) => j !== i), mirrorKeeps: v.mirrorKeeps.filter((_, j) => j !== i) })} aria-label={t('care.mirrors.remove', { n: i + 1 })}>
              {t('care.hooks.removeShort')}
            </button>
          </fieldset>
        ))}
        {otherRepos.length > 0 && (
          <button type="button" onClick={() => setV({ ...v, mirrors: [...v.mirrors, { repo: otherRepos[0]!, retention: null, schedule: null, warnAfterDays: 3 }], mirrorKeeps: [...v.mirrorKeeps, retentionValuesOf(null)] })}>
            {t('care.mirrors.add')}
          </button>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {t('care.extras.save')}
        </button>
      </div>
      <Feedback state={action} />
      <UnplacedErrors errors={errors} />
    </form>
  );
}

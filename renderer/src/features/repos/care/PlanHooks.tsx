import { useEffect, useId, useState, type FormEvent } from 'react';
import { useActions } from '../../../store/index.js';
import { Feedback } from '../../../components/Feedback.js';
import { useAction, useLoad } from '../../../components/useAction.js';
import { useT } from '../../../components/useT.js';
import { UnplacedErrors, useFieldErrors } from '../../../components/FieldErrors.js';
import { HooksEditor, hooksOf, rowsOf, type HookRow } from './HooksEditor.js';

/**
 * A plan's hooks (plans[].hooks), edited on the plan's page. The state does not carry hooks, so they come from the
 * saved config, and the new list is saved onto the plan as it is saved then.
 */
export function PlanHooks({ planId }: { planId: string }) {
  const t = useT();
  const uid = useId();
  const { repos } = useActions();
  const { data } = useLoad(() => repos.loadConfig(), [repos, planId]);
  const saved = data?.plans.find((p) => p.id === planId);
  const [rows, setRows] = useState<HookRow[] | null>(null);
  const action = useAction();
  const errors = useFieldErrors(action.issues, () => null, uid);
  useEffect(() => {
    if (saved) setRows(rowsOf(saved.hooks ?? []));
  }, [saved]);
  if (!saved || !rows) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(() => repos.updatePlan(planId, { hooks: hooksOf(rows) }), () => t('common.saved'));
  };
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={`${uid}-title`} data-testid="plan-hooks">
      <h3 id={`${uid}-title`}>{t('care.hooks.planTitle')}</h3>
      <p className="hint">{t('care.hooks.planHint')}</p>
      <HooksEditor rows={rows} onChange={setRows} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy}>
          {t('care.hooks.save')}
        </button>
      </div>
      <Feedback state={action} />
      <UnplacedErrors errors={errors} />
    </form>
  );
}

import { planDisplayStatus, selectLanguage, selectPlan, selectPlans, selectRepoIds, selectRunningBackup, useApp, useAppShallow, useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { BackupNowButton } from '../dashboard/OpActions.js';
import { PlanChart } from './PlanChart.js';
import { ProvenRestorable, VerifyNowButton } from './ProvenRestorable.js';
import { CopyNowButton, MirrorLag } from './MirrorLag.js';
import { PostponedNote } from './Postponed.js';
import { PlanHooks } from '../repos/care/PlanHooks.js';
import { PlanExtras } from '../repos/care/PlanExtras.js';
import { PathText } from '../../components/ui/PathText.js';
import { cronWords, scheduleWords } from '../../format/schedule-words.js';
import { PlanForm } from './PlanForm.js';
import { ConfirmDelete } from '../../components/ConfirmDelete.js';
import { useNavigate, useRoute, type Route } from '../../router/index.js';

type Mode = { kind: 'view'; id: string } | { kind: 'edit'; id: string } | { kind: 'new' } | null;

function modeOfRoute(route: Route): Mode {
  if (route.view !== 'plans') return null;
  if ('create' in route) return { kind: 'new' };
  if (route.planId === undefined) return null;
  return { kind: route.edit ? 'edit' : 'view', id: route.planId };
}

function routeOfMode(mode: Mode): Route {
  if (mode === null) return { view: 'plans' };
  if (mode.kind === 'new') return { view: 'plans', create: true };
  return mode.kind === 'edit' ? { view: 'plans', planId: mode.id, edit: true } : { view: 'plans', planId: mode.id };
}

export function PlansView() {
  const t = useT();
  const plans = useApp(selectPlans);
  const repoIds = useAppShallow(selectRepoIds);
  // The plan shown (or edited) is the address's: #/plans/home, #/plans/home/edit, #/plans/new.
  const route = useRoute();
  const navigate = useNavigate();
  const mode: Mode = modeOfRoute(route) ?? (plans[0] ? { kind: 'view', id: plans[0].id } : null);
  const setMode = (next: Mode) => navigate(routeOfMode(next));
  const selectedId = mode && mode.kind !== 'new' ? mode.id : null;
  return (
    <section className="view view-split" aria-labelledby="plans-title">
      <div className="split-list">
        <div className="view-head">
          <h2 id="plans-title">{t('plans.title')}</h2>
          <button type="button" className="primary" disabled={repoIds.length === 0} onClick={() => setMode({ kind: 'new' })}>
            {t('plans.new')}
          </button>
        </div>
        {repoIds.length === 0 && <p className="hint">{t('plans.needRepo')}</p>}
        {plans.length === 0 ? (
          <p className="empty muted">{t('plans.empty')}</p>
        ) : (
          <ul className="nav-list">
            {plans.map((p) => (
              <li key={p.id}>
                <button type="button" aria-current={p.id === selectedId ? 'true' : undefined} onClick={() => setMode({ kind: 'view', id: p.id })}>
                  <span>{p.id}</span> <span className="muted">{p.repoId}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="split-detail">
        {mode?.kind === 'new' && <PlanForm plan={null} onSaved={(id) => setMode({ kind: 'view', id })} onDiscard={() => setMode(null)} />}
        {mode?.kind === 'edit' && <EditPlan id={mode.id} onDone={() => setMode({ kind: 'view', id: mode.id })} />}
        {mode?.kind === 'view' && <PlanDetail id={mode.id} onEdit={() => setMode({ kind: 'edit', id: mode.id })} onDeleted={() => setMode(null)} />}
      </div>
    </section>
  );
}

function EditPlan({ id, onDone }: { id: string; onDone: () => void }) {
  const plan = useApp(selectPlan(id));
  if (!plan) return null;
  return <PlanForm key={id} plan={plan} onSaved={onDone} onDiscard={onDone} />;
}

function PlanDetail({ id, onEdit, onDeleted }: { id: string; onEdit: () => void; onDeleted: () => void }) {
  const t = useT();
  const { plans } = useActions();
  const plan = useApp(selectPlan(id));
  const running = useApp(selectRunningBackup(id));
  const language = useApp(selectLanguage);
  const del = useAction();
  if (!plan) return null;
  const cron = plan.schedule && 'cron' in plan.schedule ? plan.schedule.cron : null;
  return (
    <article className="panel" aria-labelledby={`plan-detail-${id}`}>
      <div className="view-head">
        <h3 id={`plan-detail-${id}`}>{plan.id}</h3>
        <StatusBadge status={planDisplayStatus(plan, running)} />
        <div className="spacer" />
        {!running && <BackupNowButton planId={plan.id} describedBy={`plan-detail-${id}`} />}
        <button type="button" onClick={onEdit}>
          {t('common.edit')}
        </button>
        <ConfirmDelete
          question={t('plans.confirmDelete', { id: plan.id })}
          onConfirm={() => void del.run(() => plans.remove(plan.id)).then((r) => r && onDeleted())}
        />
      </div>
      <Feedback state={del} />
      {!running && plan.postponed && <PostponedNote planId={plan.id} postponed={plan.postponed} />}
      <dl className="facts">
        <dt>{t('plans.form.repo')}</dt>
        <dd>{plan.repoId}</dd>
        <dt>{t('plans.detail.paths')}</dt>
        <dd className="mono path-list">
          {plan.paths.map((p) => (
            <PathText key={p} path={p} copyable />
          ))}
        </dd>
        {plan.excludes.length > 0 && (
          <>
            <dt>{t('plans.detail.excludes')}</dt>
            <dd className="mono">{plan.excludes.join(', ')}</dd>
          </>
        )}
        <dt>{t('plans.form.schedule')}</dt>
        <dd data-testid={`plan-schedule-${id}`}>
          {scheduleWords(plan.schedule, language, t)}
          {cron && cronWords(cron, language) !== null && <span className="muted mono schedule-cron"> · {cron}</span>}
        </dd>
        <dt>{t('proof.title')}</dt>
        <dd>
          <ProvenRestorable planId={plan.id} proof={plan.lastVerified} />
          <VerifyNowButton planId={plan.id} />
        </dd>
        {plan.mirrors?.length ? (
          <>
            <dt>{t('mirrors.title')}</dt>
            <dd>
              <MirrorLag planId={plan.id} mirrors={plan.mirrors} />
              <CopyNowButton planId={plan.id} />
            </dd>
          </>
        ) : null}
      </dl>
      <PlanChart planId={plan.id} lastOpId={plan.lastOp?.opId ?? null} />
      <PlanHooks key={plan.id} planId={plan.id} />
      <PlanExtras key={`extras-${plan.id}`} planId={plan.id} />
    </article>
  );
}

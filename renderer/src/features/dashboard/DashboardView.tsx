import type { MessageKey } from '../../i18n/index.js';
import {
  selectConfigError,
  selectLanguage,
  selectPlanIds,
  selectPlans,
  selectRepoIds,
  selectRunning,
  selectWarnings,
  useApp,
  useAppShallow,
} from '../../store/index.js';
import { useT } from '../../components/useT.js';
import { EmptyState } from '../../components/ui/EmptyState.js';
import { warningWords } from '../shell/overall-text.js';
import { LiveProgress } from './LiveProgress.js';
import { LiveOpActions } from './OpActions.js';
import { PlanRow } from './PlanRow.js';

export function DashboardView() {
  const t = useT();
  const planIds = useAppShallow(selectPlanIds);
  const repoIds = useAppShallow(selectRepoIds);
  const setView = useApp((s) => s.setView);
  return (
    <section className="view" aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">{t('dashboard.title')}</h2>
      <ConfigError />
      <Warnings />
      {repoIds.length === 0 ? (
        <EmptyState title={t('dashboard.noRepo.title')} action={{ label: t('dashboard.setup'), onClick: () => setView('setup') }} testId="empty-no-repo">
          <p>{t('dashboard.noRepo.text')}</p>
        </EmptyState>
      ) : planIds.length === 0 ? (
        <EmptyState title={t('dashboard.noPlan.title')} action={{ label: t('dashboard.newPlan'), onClick: () => setView('plans') }} testId="empty-no-plan">
          <p>{t('dashboard.noPlan.text')}</p>
        </EmptyState>
      ) : (
        <ul className="plan-list">
          {planIds.map((id) => (
            <PlanRow key={id} planId={id} />
          ))}
        </ul>
      )}
      <OtherOperations />
    </section>
  );
}

function ConfigError() {
  const t = useT();
  const configError = useApp(selectConfigError);
  if (!configError) return null;
  return (
    <p className="notice notice-error" role="alert">
      {t('error.configFile', { message: configError })}
    </p>
  );
}

function Warnings() {
  const t = useT();
  const warnings = useApp(selectWarnings);
  // Only the plans: reading the whole state would re-render the notices on every progress update.
  const plans = useApp(selectPlans);
  const language = useApp(selectLanguage);
  if (warnings.length === 0) return null;
  return (
    <div className="notices" role="region" aria-label={t('dashboard.warnings')}>
      {warnings.map((w) => (
        <p key={w.id} className={`notice notice-${w.level}`}>
          {warningWords(w, { plans }, t, language)}
        </p>
      ))}
    </div>
  );
}

/** Live operations that are not a plan's backup: checks, prunes, restores, ... */
function OtherOperations() {
  const t = useT();
  const running = useApp(selectRunning);
  const others = running.filter((r) => r.kind !== 'backup' || !r.planId);
  if (others.length === 0) return null;
  return (
    <section aria-labelledby="other-ops-title">
      <h3 id="other-ops-title">{t('dashboard.otherOps')}</h3>
      <ul className="plan-list">
        {others.map((op) => {
          const label = `${t(`kind.${op.kind}` as MessageKey)} · ${op.repoId}`;
          return (
            <li key={op.opId} className={`plan-row plan-row-${op.status}`}>
              <div className="plan-head">
                <div className="plan-title">
                  <h4 id={`op-name-${op.opId}`}>{label}</h4>
                </div>
                <LiveOpActions op={op} describedBy={`op-name-${op.opId}`} />
              </div>
              <LiveProgress op={op} label={label} evidenceId={`op-evidence-${op.opId}`} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

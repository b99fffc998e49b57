import { formatBytes } from '../../format/format.js';
import { planDisplayStatus, selectPlan, selectRunningBackup, useApp } from '../../store/index.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { ClockTime, RelativeTime } from '../../components/Time.js';
import { useT } from '../../components/useT.js';
import { HostError } from '../../components/HostError.js';
import { LiveProgress } from './LiveProgress.js';
import { BackupNowButton, LiveOpActions } from './OpActions.js';
import { ProvenRestorable } from '../plans/ProvenRestorable.js';
import { MirrorLag } from '../plans/MirrorLag.js';
import { PostponedNote } from '../plans/Postponed.js';

/** One plan on the dashboard: what it is, how it is doing, and the one thing to do about it. */
export function PlanRow({ planId }: { planId: string }) {
  const t = useT();
  const plan = useApp(selectPlan(planId));
  const running = useApp(selectRunningBackup(planId));
  if (!plan) return null;
  const status = planDisplayStatus(plan, running);
  const nameId = `plan-name-${plan.id}`;
  const evidenceId = `plan-evidence-${plan.id}`;
  const last = plan.lastOp;
  return (
    <li className={`plan-row plan-row-${status}`} data-testid={`plan-row-${plan.id}`} aria-labelledby={nameId}>
      <div className="plan-head">
        <div className="plan-title">
          <h3 id={nameId}>{plan.id}</h3>
          <span className="muted">{plan.repoId}</span>
        </div>
        <StatusBadge status={status} testId={`plan-status-${plan.id}`} />
        {!running && (
          <div className="plan-last">
            {last?.endedAt && <RelativeTime iso={last.endedAt} />}
            {last?.dataAdded != null && (
              <span className="added">{t('dashboard.added', { bytes: formatBytes(last.dataAdded) })}</span>
            )}
          </div>
        )}
        <div className="plan-next muted">
          {plan.nextRunAt ? (
            <>
              {t('dashboard.nextLabel')} <ClockTime iso={plan.nextRunAt} />
            </>
          ) : (
            t('dashboard.manualOnly')
          )}
        </div>
        {running ? (
          <LiveOpActions op={running} describedBy={running.status === 'stalled' ? `${nameId} ${evidenceId}` : nameId} />
        ) : (
          <BackupNowButton planId={plan.id} describedBy={nameId} />
        )}
      </div>
      {!running && plan.postponed && <PostponedNote planId={plan.id} postponed={plan.postponed} />}
      {running && <LiveProgress op={running} label={plan.id} evidenceId={evidenceId} />}
      {plan.lastVerified && <ProvenRestorable planId={plan.id} proof={plan.lastVerified} />}
      <MirrorLag planId={plan.id} mirrors={plan.mirrors} />
      {!running && last?.errorMessage && (status === 'error' || status === 'warning' || status === 'interrupted') && (
        <HostError className="last-error" code={last.errorCode} message={last.errorMessage} />
      )}
    </li>
  );
}

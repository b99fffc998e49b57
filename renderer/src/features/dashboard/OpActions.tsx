import { useClient } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import type { RunningOp } from '../../../../main/common/index.js';

/** What can be done about a live operation: Cancel, and for a stalled one also Keep waiting. */
export function LiveOpActions({ op, describedBy }: { op: RunningOp; describedBy?: string }) {
  const t = useT();
  const client = useClient();
  const action = useAction();
  return (
    <div className="row-actions">
      {op.status === 'stalled' && (
        <button
          type="button"
          disabled={action.busy}
          aria-describedby={describedBy}
          onClick={() => void action.run(() => client.invoke('ops.keepWaiting', { opId: op.opId }))}
        >
          {t('action.keepWaiting')}
        </button>
      )}
      <button
        type="button"
        className="danger"
        disabled={action.busy}
        aria-describedby={describedBy}
        onClick={() => void action.run(() => client.invoke('ops.cancel', { opId: op.opId }))}
      >
        {t('action.cancel')}
      </button>
      <Feedback state={action} />
    </div>
  );
}

/** The per-plan button. Its accessible name is exactly "Back up now" (立即备份); the plan is its description. */
export function BackupNowButton({ planId, describedBy }: { planId: string; describedBy?: string }) {
  const t = useT();
  const client = useClient();
  const action = useAction();
  return (
    <div className="row-actions">
      <button
        type="button"
        className="primary"
        disabled={action.busy}
        aria-describedby={describedBy}
        onClick={() => void action.run(() => client.invoke('plans.backup', { planId, trigger: 'manual' }))}
      >
        {t('action.backupNow')}
      </button>
      <Feedback state={action} />
    </div>
  );
}

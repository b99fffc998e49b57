import { selectCancelRequested, useActions, useApp } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import type { RunningOp } from '../../../../main/common/index.js';
import { liveDisplay } from './describe.js';

/**
 * What can be done about a live operation: Cancel, and for a stalled one also Keep waiting. After a click on
 * Cancel the button goes disabled ("Cancelling…") at once and stays so until the state confirms the cancel;
 * from then on (status `cancelling`) nothing is offered, because there is nothing left to ask.
 */
export function LiveOpActions({ op, describedBy }: { op: RunningOp; describedBy?: string }) {
  const t = useT();
  const { ops } = useActions();
  const action = useAction();
  const requested = useApp(selectCancelRequested(op.opId));
  const { actions } = liveDisplay(op, requested);
  const cancel = () => void action.run(() => ops.cancel(op.opId));
  if (actions === 'none') return <Feedback state={action} />;
  return (
    <div className="row-actions" data-testid={`op-actions-${op.opId}`}>
      {actions === 'cancel-or-wait' && (
        <button
          type="button"
          disabled={action.busy}
          aria-describedby={describedBy}
          onClick={() => void action.run(() => ops.keepWaiting(op.opId))}
        >
          {t('action.keepWaiting')}
        </button>
      )}
      {actions === 'cancel-pending' ? (
        <button type="button" className="danger" disabled aria-describedby={describedBy} data-pending="true">
          {t('action.cancelling')}
        </button>
      ) : (
        <button type="button" className="danger" disabled={action.busy} aria-describedby={describedBy} onClick={cancel}>
          {t('action.cancel')}
        </button>
      )}
      <Feedback state={action} />
    </div>
  );
}

/** The per-plan button. Its accessible name is exactly "Back up now" (立即备份); the plan is its description. */
export function BackupNowButton({ planId, describedBy }: { planId: string; describedBy?: string }) {
  const t = useT();
  const { plans } = useActions();
  const action = useAction();
  return (
    <div className="row-actions">
      <button
        type="button"
        className="primary"
        disabled={action.busy}
        aria-describedby={describedBy}
        onClick={() => void action.run(() => plans.backupNow(planId))}
      >
        {t('action.backupNow')}
      </button>
      <Feedback state={action} />
    </div>
  );
}

// "Proven restorable 3 days ago: 50 files, 120 MiB, snapshot 4f1c…" (issue 15): the plan's last restore test, on
// the dashboard row and the plan page. A failed test says so with what failed; it never reads as proven.
import type { LastVerified } from '../../../../main/common/index.js';
import { formatBytes } from '../../format/format.js';
import { selectLanguage, toRpcError, useActions, useApp } from '../../store/index.js';
import { errorText } from '../../i18n/error-messages.js';
import { Feedback } from '../../components/Feedback.js';
import { HostError } from '../../components/HostError.js';
import { RelativeTime } from '../../components/Time.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

export function ProvenRestorable({ planId, proof }: { planId: string; proof: LastVerified | null | undefined }) {
  const t = useT();
  if (!proof) {
    return (
      <div className="proof proof-none muted" data-testid={`proof-${planId}`}>
        {t('proof.never')}
      </div>
    );
  }
  if (!proof.ok) {
    return (
      <div className="proof proof-failed" data-testid={`proof-${planId}`} role="status">
        <span className="proof-head">
          {t('proof.failed')} <RelativeTime iso={proof.at} />
        </span>
        <HostError className="last-error" code={proof.errorCode} message={proof.errorMessage} />
      </div>
    );
  }
  return (
    <div className="proof proof-ok" data-testid={`proof-${planId}`}>
      {t('proof.proven')} <RelativeTime iso={proof.at} />
      {': '}
      {t('proof.detail', {
        files: proof.files,
        bytes: formatBytes(proof.bytes),
        snapshot: proof.snapshotId ? `${proof.snapshotId.slice(0, 4)}…` : '–',
      })}
    </div>
  );
}

/** Starts a restore test of the plan now; the operation shows like any other. */
export function VerifyNowButton({ planId }: { planId: string }) {
  const t = useT();
  const language = useApp(selectLanguage);
  const { plans } = useActions();
  const action = useAction();
  // A plan with no snapshot yet has nothing to test: the host says so (NOTHING_TO_VERIFY), and nothing is wrong, so
  // it is said as a note beside the button, not as a failure.
  const verifyNow = () =>
    plans.verifyNow(planId).catch((err: unknown) => {
      if (toRpcError(err).code === 'NOTHING_TO_VERIFY') return null;
      throw err;
    });
  return (
    <div className="row-actions">
      <button type="button" disabled={action.busy} onClick={() => void action.run(verifyNow, (r) => (r === null ? errorText(language, 'NOTHING_TO_VERIFY') : t('common.started', { id: r.opId })))}>
        {t('action.verifyNow')}
      </button>
      <Feedback state={action} />
    </div>
  );
}

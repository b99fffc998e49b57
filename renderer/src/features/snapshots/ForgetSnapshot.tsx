import { useState } from 'react';
import type { SnapshotInfo } from '../../../../main/common/rpc.js';
import { useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

/**
 * "Forget" one snapshot, asked once more in place: it is an operation like any other (queued, in Operations), and
 * the list refreshes when it ends. The data stays in the repository until a prune removes what nothing uses.
 */
export function ForgetSnapshot({ repoId, snapshot }: { repoId: string; snapshot: SnapshotInfo }) {
  const t = useT();
  const { snapshots } = useActions();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <>
        <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={t('care.forget.label', { id: snapshot.shortId })}>
          {t('care.forget.button')}
        </button>
        <Feedback state={action} />
      </>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={t('care.forget.label', { id: snapshot.shortId })}>
      <span>{t('care.forget.question', { id: snapshot.shortId })}</span>
      <button
        type="button"
        className="danger"
        disabled={action.busy}
        onClick={() => {
          setConfirming(false);
          void action.run(
            () => snapshots.forget(repoId, snapshot.id),
            (r) => t('common.started', { id: r.opId }),
          );
        }}
      >
        {t('care.forget.confirm')}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {t('care.forget.keep')}
      </button>
    </span>
  );
}

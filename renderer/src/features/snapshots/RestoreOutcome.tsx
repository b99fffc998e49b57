import { useEffect, useState } from 'react';
import type { Operation } from '../../../../main/common/index.js';
import { formatBytes, formatCount } from '../../format/format.js';
import type { Language, Translate } from '../../i18n/index.js';
import { isLive, opParamsOf, opSummaryOf } from '../../model.js';
import { selectLanguage, selectRunningOp, toRpcError, useActions, useApp, useAppStore } from '../../store/index.js';
import { useT } from '../../components/useT.js';
import { LiveProgress } from '../dashboard/LiveProgress.js';
import { LiveOpActions } from '../dashboard/OpActions.js';

/** How often to re-read a restore the state does not list (yet, or any more) until it is terminal. */
export const RESTORE_POLL_MS = 1000;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The sentence for a finished restore: "Restored 12 files (4 MiB) to /home/me/restored", or what went wrong. */
export function describeRestoreOutcome(op: Operation, t: Translate, language: Language): string {
  const target = opParamsOf(op, 'restore')?.target;
  const path = typeof target === 'string' ? target : '–';
  const summary = opSummaryOf(op, 'restore') ?? {};
  // restic's summary (0.16+); 0.14 prints no numbers for a restore, and then the sentence says only where.
  const files = num(summary.filesRestored) ?? num(summary.totalFiles);
  const bytes = num(summary.bytesRestored) ?? num(summary.totalBytes);
  switch (op.status) {
    case 'success':
      return files !== null
        ? t('snapshots.restore.done', { files: formatCount(files, language), bytes: formatBytes(bytes ?? 0), path })
        : t('snapshots.restore.doneNoCount', { path });
    case 'warning':
      return t('snapshots.restore.doneWarning', { path, n: op.itemErrors.length || 1 });
    case 'cancelled':
      return t('snapshots.restore.cancelled', { path });
    case 'interrupted':
      return t('snapshots.restore.interrupted', { path });
    default:
      return t('snapshots.restore.failed', { message: op.error?.message ?? t('snapshots.restore.error.other') });
  }
}

/**
 * Follows one restore from the form that started it: waiting, progress (with Cancel), then how it ended. The live
 * part comes from the state; the end from ops.get, read when the state stops listing the operation (and re-read
 * while the host still calls it live, for a restore that starts and ends between two states).
 */
export function RestoreOutcome({ opId }: { opId: number }) {
  const t = useT();
  const { restore } = useActions();
  const store = useAppStore();
  const language = useApp(selectLanguage);
  const live = useApp(selectRunningOp(opId));
  const inState = live !== undefined;
  const [final, setFinal] = useState<Operation | null>(null);
  const [readError, setReadError] = useState<string | null>(null);

  // Whether the state has listed it: until then the next state will most likely bring it, so ask the host only
  // after a pause; once it has left the state, it ended, so ask at once.
  const [seenInState, setSeenInState] = useState(false);
  if (inState && !seenInState) setSeenInState(true);

  useEffect(() => {
    if (inState || final) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      try {
        const op = await restore.outcome(opId);
        if (stopped) return;
        setReadError(null);
        if (isLive(op.status)) timer = setTimeout(() => void check(), RESTORE_POLL_MS);
        else setFinal(op);
      } catch (err) {
        if (stopped) return;
        setReadError(toRpcError(err).message);
        timer = setTimeout(() => void check(), RESTORE_POLL_MS * 2);
      }
    };
    if (seenInState) void check();
    else timer = setTimeout(() => void check(), RESTORE_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [restore, opId, inState, final, seenInState]);

  const status = final?.status ?? live?.status ?? 'queued';
  const open = () => store.getState().openOperation(opId);
  const failed = final !== null && (final.status === 'error' || final.status === 'interrupted');
  return (
    <div className={`restore-outcome restore-${status}`} data-testid="restore-outcome" data-op={opId} data-status={status}>
      {final ? (
        <p className={failed ? 'feedback-error' : 'feedback'} role={failed ? 'alert' : 'status'}>
          {describeRestoreOutcome(final, t, language)}
          {final.error?.detail && <span className="muted"> {final.error.detail}</span>}{' '}
          <button type="button" className="link" onClick={open}>
            {t('snapshots.restore.openOps')}
          </button>
        </p>
      ) : (
        <>
          <p className="feedback" role="status">
            {t('common.started', { id: opId })}{' '}
            <span>{live?.status === 'queued' ? t('snapshots.restore.waiting') : t('snapshots.restore.running')}</span>{' '}
            <button type="button" className="link" onClick={open}>
              {t('snapshots.restore.openOps')}
            </button>
          </p>
          {live && live.status !== 'queued' && <LiveProgress op={live} label={t('kind.restore')} evidenceId={`restore-evidence-${opId}`} />}
          {live && <LiveOpActions op={live} />}
          {readError && <p className="feedback-error">{readError}</p>}
        </>
      )}
    </div>
  );
}

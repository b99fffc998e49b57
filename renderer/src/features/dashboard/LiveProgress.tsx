import type { RunningOp } from '../../../../main/common/index.js';
import { selectLanguage, useApp } from '../../store/index.js';
import { useSecondTick } from '../../components/useNow.js';
import { useT } from '../../components/useT.js';
import { PathText } from '../../components/ui/PathText.js';
import { describeCancel, describeProgress, describeStall, liveDisplay } from './describe.js';

/**
 * Progress of one live operation: bar, numbers, current file; or, in words, why it does not move (waiting for the
 * backend, stalled with its evidence) or how far a cancel has gone. Everything here comes from the engine's state:
 * a rate or ETA shows only while the state carries one and says the operation moves.
 */
export function LiveProgress({ op, label, evidenceId }: { op: RunningOp; label: string; evidenceId?: string }) {
  const t = useT();
  const language = useApp(selectLanguage);
  // The "(12 s)" counters move every second between snapshots.
  const ticking = op.status === 'cancelling' || (op.status === 'running' && !!op.waitingSince);
  const now = useSecondTick(ticking);
  const display = liveDisplay(op, false, now);
  const parts = describeProgress(op.progress, t, language);
  const moving = display.showRateAndEta;
  const numbers = [parts.bytes, parts.files, moving && parts.rate, moving && parts.eta].filter(Boolean).join(' · ');
  return (
    <div
      className={`live live-${op.status} live-phase-${display.phase}`}
      data-testid={`op-progress-${op.opId}`}
      data-status={op.status}
      data-phase={display.phase}
    >
      {op.status === 'queued' ? (
        <p className="muted">{t('dashboard.queued')}</p>
      ) : (
        <>
          <progress
            max={1}
            value={op.progress?.percent ?? undefined}
            aria-label={t('dashboard.progressLabel', { plan: label })}
          />
          <p className="numbers">
            {parts.percent && <strong>{parts.percent}</strong>} {numbers || (!parts.percent && display.phase === 'running' && t('dashboard.starting'))}
            {display.waitingSeconds !== null && (
              <>
                {numbers || parts.percent ? ' · ' : ''}
                <span className="waiting" data-testid={`op-waiting-${op.opId}`}>
                  {t('dashboard.waiting', { seconds: display.waitingSeconds })}
                </span>
              </>
            )}
          </p>
          {display.cancel ? (
            <p className="cancel-stage" role="status" data-testid={`op-cancel-${op.opId}`} data-stage={display.cancel.stage}>
              {describeCancel(display.cancel, t)}
            </p>
          ) : op.status === 'stalled' ? (
            <p className="stall-evidence" id={evidenceId} data-testid={`op-stall-${op.opId}`}>
              {describeStall(op, t, language)}
            </p>
          ) : (
            parts.currentFile && <CurrentFile path={parts.currentFile} />
          )}
        </>
      )}
    </div>
  );
}

/** "now: /home/me/Vi…/2025/trip.mov": the sentence around a path that is shortened in the middle to fit. */
function CurrentFile({ path }: { path: string }) {
  const t = useT();
  const [before, after] = t('dashboard.now', { file: '\u0000' }).split('\u0000');
  return (
    <p className="current-file">
      {before}
      <PathText path={path} />
      {after}
    </p>
  );
}

import type { RunningOp } from '../../../../main/common/index.js';
import { selectLanguage, useApp } from '../../store/index.js';
import { useT } from '../../components/useT.js';
import { describeProgress, describeStall } from './describe.js';

/** Progress of one live operation: bar, numbers, current file, or the stall evidence in words. */
export function LiveProgress({ op, label, evidenceId }: { op: RunningOp; label: string; evidenceId?: string }) {
  const t = useT();
  const language = useApp(selectLanguage);
  const parts = describeProgress(op.progress, t, language);
  // A stalled operation's last rate and ETA are stale promises; show only how far it got.
  const moving = op.status !== 'stalled';
  const numbers = [parts.bytes, parts.files, moving && parts.rate, moving && parts.eta].filter(Boolean).join(' · ');
  return (
    <div className={`live live-${op.status}`} data-testid={`op-progress-${op.opId}`} data-status={op.status}>
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
            {parts.percent && <strong>{parts.percent}</strong>} {numbers || (!parts.percent && t('dashboard.starting'))}
          </p>
          {op.status === 'stalled' ? (
            <p className="stall-evidence" id={evidenceId} data-testid={`op-stall-${op.opId}`}>
              {describeStall(op, t, language)}
            </p>
          ) : (
            parts.currentFile && (
              <p className="current-file" title={parts.currentFile}>
                {t('dashboard.now', { file: parts.currentFile })}
              </p>
            )
          )}
        </>
      )}
    </div>
  );
}

import { useId, useState } from 'react';
import type { Operation } from '../../../../../main/common/index.js';
import { opSummaryOf } from '../../../model.js';
import { useActions } from '../../../store/index.js';
import { Feedback } from '../../../components/Feedback.js';
import { useAction } from '../../../components/useAction.js';
import { useT } from '../../../components/useT.js';
import { HostError } from '../../../components/HostError.js';
import { useFinishedOp } from './useFinishedOp.js';

/**
 * Prune in two steps: a preview first (`restic prune --dry-run`, nothing removed) with restic's own figures, then
 * the prune itself, asked once more. Both are operations like any other (queued behind backups of the repository).
 */
export function PrunePanel({ repoId, onClose }: { repoId: string; onClose: () => void }) {
  const t = useT();
  const ids = useId();
  const { repos } = useActions();
  const start = useAction();
  const [previewId, setPreviewId] = useState<number | null>(null);
  const [pruneId, setPruneId] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const preview = useFinishedOp(previewId);
  const pruned = useFinishedOp(pruneId);

  const runPreview = () =>
    void start.run(async () => {
      setPruneId(null);
      setPreviewId((await repos.prune(repoId, true)).opId);
    });
  const runPrune = () =>
    void start.run(async () => {
      setConfirming(false);
      setPruneId((await repos.prune(repoId, false)).opId);
    });
  const previewing = previewId !== null && !preview.op;
  const pruning = pruneId !== null && !pruned.op;

  return (
    <section className="panel prune-panel" aria-labelledby={`${ids}-title`} data-testid={`prune-panel-${repoId}`}>
      <div className="view-head">
        <h4 id={`${ids}-title`}>{t('care.prune.title', { id: repoId })}</h4>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <p className="hint">{t('care.prune.hint')}</p>
      <div className="row-actions">
        <button type="button" onClick={runPreview} disabled={start.busy || previewing || pruning}>
          {previewing ? t('care.prune.previewing') : t('care.prune.preview')}
        </button>
      </div>
      <Feedback state={start} />
      <div aria-live="polite">
        {preview.op && <PruneResult op={preview.op} testId="prune-preview" />}
        {pruned.op && <PruneResult op={pruned.op} testId="prune-result" />}
        {pruning && (
          <p className="muted" role="status">
            {t('care.prune.running', { id: pruneId ?? 0 })}
          </p>
        )}
      </div>
      {preview.op?.status === 'success' && !pruneId && (
        <div className="row-actions">
          {confirming ? (
            <span className="confirm" role="group">
              <span>{t('care.prune.question', { id: repoId })}</span>
              <button type="button" className="danger" onClick={runPrune}>
                {t('care.prune.confirm')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('common.discard')}
              </button>
            </span>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              {t('care.prune.now')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** restic's figures as it printed them (its words: they are the same in every language of the window). */
function PruneResult({ op, testId }: { op: Operation; testId: string }) {
  const t = useT();
  const summary = opSummaryOf(op, 'prune');
  if (op.status !== 'success') {
    return (
      <div data-testid={testId} data-status={op.status}>
        <HostError className="feedback-error" code={op.error?.code ?? 'RESTIC_FAILED'} message={op.error?.message ?? ''} />
      </div>
    );
  }
  const figures = summary?.figures ?? [];
  return (
    <div data-testid={testId} data-status={op.status}>
      <p className="feedback" role="status">
        {summary?.dryRun ? t('care.prune.previewDone') : t('care.prune.done')}
      </p>
      {figures.length > 0 ? (
        <dl className="prune-figures" lang="en">
          {figures.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd className="mono">{f.value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">{t('care.prune.noFigures')}</p>
      )}
    </div>
  );
}

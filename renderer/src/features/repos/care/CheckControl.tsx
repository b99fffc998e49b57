import { useId, useState } from 'react';
import { useActions } from '../../../store/index.js';
import { Feedback } from '../../../components/Feedback.js';
import { useAction } from '../../../components/useAction.js';
import { useT } from '../../../components/useT.js';

/** A subset restic accepts: "n/t", "p%" or a size such as "500M" (the host checks it again). */
const SUBSET = /^(\d+\/\d+|\d+(\.\d+)?%|\d+[KMGT]?)$/i;

/**
 * Check the repository now: the structure only (fast), or also read part of the data back (restic check
 * --read-data-subset), which finds damaged packs at the cost of downloading that share.
 */
export function CheckControl({ repoId, busy }: { repoId: string; busy: boolean }) {
  const t = useT();
  const uid = useId();
  const { repos } = useActions();
  const action = useAction();
  const [readData, setReadData] = useState(false);
  const [subset, setSubset] = useState('5%');
  const valid = !readData || SUBSET.test(subset.trim());
  return (
    <div className="check-control" role="group" aria-label={t('care.check.group', { id: repoId })}>
      <button
        type="button"
        disabled={busy || action.busy || !valid}
        onClick={() =>
          void action.run(
            () => repos.check(repoId, readData ? subset.trim() : null),
            (r) => t('common.started', { id: r.opId }),
          )
        }
      >
        {t('repos.action.check')}
      </button>
      <label className="inline">
        <input type="checkbox" checked={readData} onChange={(e) => setReadData(e.target.checked)} />
        {t('care.check.readData')}
      </label>
      {readData && (
        <label className="inline">
          {t('care.check.subset')}
          <input
            className="mono short"
            value={subset}
            onChange={(e) => setSubset(e.target.value)}
            aria-invalid={valid ? undefined : true}
            aria-describedby={`${uid}-hint`}
          />
        </label>
      )}
      {readData && (
        <span className="hint" id={`${uid}-hint`}>
          {t('care.check.subsetHint')}
        </span>
      )}
      <Feedback state={action} />
    </div>
  );
}

// Each mirror of a plan and how far behind it is (issue 15): "usb: up to date, copied 2 h ago", "cloud: 3 snapshots
// behind since 2 Mar", "nas2: last copy failed (why)". On the dashboard row and the plan page, with "Copy now".
import type { MirrorState } from '../../../../main/common/index.js';
import { useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { HostError } from '../../components/HostError.js';
import { RelativeTime } from '../../components/Time.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

const DAY_MS = 86_400_000;

/** Past its threshold: it has lacked a snapshot for more than warnAfterDays (the overall status warns then). */
function isOverdue(m: MirrorState, now: number): boolean {
  return m.behindSince !== null && now - Date.parse(m.behindSince) > m.warnAfterDays * DAY_MS;
}

export function MirrorLag({ planId, mirrors }: { planId: string; mirrors: readonly MirrorState[] | undefined }) {
  const t = useT();
  if (!mirrors?.length) return null;
  const now = Date.now();
  return (
    <ul className="mirrors" data-testid={`mirrors-${planId}`} aria-label={t('mirrors.title')}>
      {mirrors.map((m) => (
        <li key={m.repo} className={`mirror mirror-${m.status}${isOverdue(m, now) ? ' mirror-overdue' : ''}`} data-testid={`mirror-${planId}-${m.repo}`}>
          <span className="mirror-repo">{m.repo}</span>{' '}
          {m.behindSnapshots === 0 ? (
            <span>{t('mirrors.upToDate')}</span>
          ) : (
            <span>
              {t('mirrors.behind', { count: m.behindSnapshots })} <RelativeTime iso={m.behindSince!} />
            </span>
          )}
          {m.lastCopyAt && (
            <span className="muted">
              {' · '}
              {t('mirrors.lastCopy')} <RelativeTime iso={m.lastCopyAt} />
            </span>
          )}
          {m.status === 'failed' && <HostError className="last-error" code={m.lastErrorCode ?? null} message={m.lastError ?? t('mirrors.failed')} />}
        </li>
      ))}
    </ul>
  );
}

/** Copies the plan's snapshots to all its mirrors now; each copy shows like any other operation. */
export function CopyNowButton({ planId }: { planId: string }) {
  const t = useT();
  const { plans } = useActions();
  const action = useAction();
  return (
    <div className="row-actions">
      <button type="button" disabled={action.busy} onClick={() => void action.run(() => plans.copyNow(planId))}>
        {t('action.copyNow')}
      </button>
      <Feedback state={action} />
    </div>
  );
}

// A plan whose scheduled run waits for its conditions (issue 16), on the dashboard row and the plan page: a grey
// badge with a clock (the tray's clock badge), then in plain words why and since when, what it waits for, and that
// "Back up now" does not wait. The overall status says the same in the header (level `postponed`).
import type { PlanState } from '../../../../main/common/index.js';
import { Clock } from '../../components/ui/icons.js';
import { useNow } from '../../components/useNow.js';
import { useT } from '../../components/useT.js';
import { formatClock, formatExact } from '../../format/format.js';
import { selectLanguage, useApp } from '../../store/index.js';

export function PostponedNote({ planId, postponed }: { planId: string; postponed: NonNullable<PlanState['postponed']> }) {
  const t = useT();
  const language = useApp(selectLanguage);
  const now = useNow(); // "since 14:03" gains its day after midnight
  const { reason, since } = postponed;
  return (
    <p className="plan-postponed" data-testid={`plan-postponed-${planId}`} data-reason={reason}>
      <span className="badge badge-postponed" data-status="postponed">
        <Clock className="icon" size={13} aria-hidden="true" />
        {t('postponed.badge')}
      </span>{' '}
      <span title={formatExact(since, language)}>{t('postponed.since', { reason: t(`postponed.${reason}`), time: formatClock(since, language, new Date(Math.max(now, Date.now()))) })}</span>{' '}
      <span className="muted">
        {t(`postponed.hint.${reason}`)} {t('postponed.backUpNow')}
      </span>
    </p>
  );
}

import type { MessageKey } from '../i18n/index.js';
import type { PlanDisplayStatus } from '../store/selectors.js';
import { useT } from './useT.js';

export type BadgeStatus = PlanDisplayStatus;


/** A status word with its colour; `data-status` carries the language-independent value. */
export function StatusBadge({ status, testId }: { status: BadgeStatus; testId?: string }) {
  const t = useT();
  return (
    <span className={`badge badge-${status}`} data-status={status} data-testid={testId}>
      {t(`status.${status}` as MessageKey)}
    </span>
  );
}

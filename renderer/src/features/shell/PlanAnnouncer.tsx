import { useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n/index.js';
import { planDisplayStatus, selectPlans, selectRunningBackup, useApp, type AppStoreState } from '../../store/index.js';
import { useT } from '../../components/useT.js';

/** Progress is announced in quarter steps: often enough to follow, rarely enough not to drown a screen reader. */
const PROGRESS_STEP = 0.25;

interface PlanSignal {
  status: string;
  quarter: number | null;
}

function signals(s: AppStoreState): string {
  const out: Record<string, PlanSignal> = {};
  for (const plan of selectPlans(s)) {
    const running = selectRunningBackup(plan.id)(s);
    const percent = running?.progress?.percent;
    out[plan.id] = { status: planDisplayStatus(plan, running), quarter: typeof percent === 'number' ? Math.floor(percent / PROGRESS_STEP) : null };
  }
  // A string, so the selector's result compares by value and the component renders only when something changed.
  return JSON.stringify(out);
}

/**
 * One polite live region for the whole window: "home: Running", "home: 50 %", "photos: Stalled". Changes only,
 * never the first state (a person opening the window does not need every plan read out).
 */
export function PlanAnnouncer() {
  const t = useT();
  const current = useApp(signals);
  const previous = useRef<Record<string, PlanSignal> | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    const now = JSON.parse(current) as Record<string, PlanSignal>;
    const before = previous.current;
    previous.current = now;
    if (!before) return;
    const lines: string[] = [];
    for (const [planId, sig] of Object.entries(now)) {
      const was = before[planId];
      if (!was) continue;
      if (was.status !== sig.status) lines.push(t('announce.status', { plan: planId, status: t(`status.${sig.status}` as MessageKey) }));
      else if (sig.quarter !== null && was.quarter !== null && sig.quarter > was.quarter) {
        lines.push(t('announce.progress', { plan: planId, percent: Math.round(sig.quarter * PROGRESS_STEP * 100) }));
      }
    }
    if (lines.length > 0) setMessage(lines.join('. '));
  }, [current, t]);
  return (
    <div className="sr-only" aria-live="polite" data-testid="plan-announcer">
      {message}
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { ScheduleSpec } from '../../../../main/common/index.js';
import { toRpcError } from '../../client/index.js';
import { useClient } from '../../store/index.js';
import { ClockTime } from '../../components/Time.js';
import { useT } from '../../components/useT.js';

const DEBOUNCE_MS = 300;

/** The next few runs of a schedule, as the host's scheduler computes them, so a cron typo shows at once. */
export function SchedulePreview({ schedule }: { schedule: ScheduleSpec }) {
  const t = useT();
  const client = useClient();
  const [runs, setRuns] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(schedule);
  useEffect(() => {
    if (!schedule) return;
    let live = true;
    const timer = setTimeout(() => {
      client.invoke('schedule.preview', { schedule, count: 5 }).then(
        (r) => {
          if (!live) return;
          setRuns(r.runs);
          setError(null);
        },
        (err: unknown) => {
          if (!live) return;
          setRuns(null);
          setError(toRpcError(err).message);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);
  if (!schedule) return null;
  return (
    <div className="schedule-preview" aria-live="polite">
      {error ? (
        <p className="feedback-error">{t('plans.form.previewError', { message: error })}</p>
      ) : (
        runs && (
          <>
            <span className="muted">{t('plans.form.preview')}:</span>{' '}
            {runs.map((r, i) => (
              <span key={r}>
                {i > 0 && ', '}
                <ClockTime iso={r} />
              </span>
            ))}
          </>
        )
      )}
    </div>
  );
}

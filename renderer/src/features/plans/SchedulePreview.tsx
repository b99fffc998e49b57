import { useEffect, useState } from 'react';
import type { ScheduleSpec } from '../../../../main/common/index.js';
import { selectLanguage, toRpcError, useActions, useApp, type RpcError } from '../../store/index.js';
import { describeFailure } from '../../components/useAction.js';
import { fieldLabel, issueText } from '../../i18n/error-messages.js';
import { ClockTime } from '../../components/Time.js';
import { useT } from '../../components/useT.js';
import { cronWords } from '../../format/schedule-words.js';

const DEBOUNCE_MS = 300;

/** The next few runs of a schedule, as the host's scheduler computes them, so a cron typo shows at once. */
export function SchedulePreview({ schedule }: { schedule: ScheduleSpec }) {
  const t = useT();
  const language = useApp(selectLanguage);
  const { schedule: scheduleActions } = useActions();
  const [runs, setRuns] = useState<string[] | null>(null);
  const [error, setError] = useState<RpcError | null>(null);
  const key = JSON.stringify(schedule);
  useEffect(() => {
    if (!schedule) return;
    let live = true;
    const timer = setTimeout(() => {
      scheduleActions.preview(schedule, 5).then(
        (r) => {
          if (!live) return;
          setRuns(r.runs);
          setError(null);
        },
        (err: unknown) => {
          if (!live) return;
          setRuns(null);
          setError(toRpcError(err));
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scheduleActions, key]);
  if (!schedule) return null;
  // The schedule's problem in the window's words ("The cron expression is not a valid schedule: ..."); in English
  // also croner's precise reason ("Invalid value for minute: 61").
  const issue = error?.issues[0];
  const words = schedule && 'cron' in schedule ? cronWords(schedule.cron, language) : null;
  const problem = issue
    ? issueText(language, issue, fieldLabel(language, issue.path.includes('cron') ? 'cron' : issue.path.includes('everyMinutes') ? 'everyMinutes' : 'schedule'))
    : error
      ? describeFailure(language, error).error
      : null;
  return (
    <div className="schedule-preview" aria-live="polite">
      {error ? (
        <p className="feedback-error" data-testid="schedule-preview-error">
          {problem}
          {language === 'en' && issue && <span className="feedback-detail"> ({issue.message})</span>}
        </p>
      ) : (
        runs && (
          <>
            {words && (
              <span className="schedule-words" data-testid="schedule-words">
                {words} ·{' '}
              </span>
            )}
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

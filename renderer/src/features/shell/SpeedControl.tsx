import { selectSlowDown, useApp, useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { ClockTime } from '../../components/Time.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

/** "Slow down backups for 1 hour" / "Full speed"; says when a running backup was restarted for it (issue 16). */
export function SpeedControl() {
  const t = useT();
  const { schedule } = useActions();
  const slowDown = useApp(selectSlowDown);
  const action = useAction();
  const restartedWords = (restarted: number[]) => (restarted.length ? t('speed.restarted', { n: String(restarted.length) }) : null);
  if (slowDown) {
    return (
      <div className="speed-control" data-testid="speed-control">
        <span className="badge badge-paused">
          {t('speed.slowUntil')} <ClockTime iso={slowDown.until} />
        </span>
        <button type="button" disabled={action.busy} onClick={() => void action.run(() => schedule.fullSpeed(), (r) => restartedWords(r.restarted))}>
          {t('speed.fullSpeed')}
        </button>
        <Feedback state={action} />
      </div>
    );
  }
  return (
    <div className="speed-control" data-testid="speed-control">
      <button type="button" disabled={action.busy} onClick={() => void action.run(() => schedule.slowDown(60), (r) => restartedWords(r.restarted))}>
        {t('speed.slowDownHour')}
      </button>
      <Feedback state={action} />
    </div>
  );
}

import { selectPausedUntil, useApp, useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { ClockTime } from '../../components/Time.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { ActionMenu } from '../../components/ui/ActionMenu.js';

function untilTomorrowMorning(now: Date): string {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.toISOString();
}

/** Pause schedules for a while or until resumed; when paused, says until when and offers Resume. */
export function PauseControl() {
  const t = useT();
  const { schedule } = useActions();
  const pausedUntil = useApp(selectPausedUntil);
  const action = useAction();

  const pause = (until: string | null) => void action.run(() => schedule.pause(until));

  if (pausedUntil) {
    return (
      <div className="pause-control">
        <span className="badge badge-paused">
          {pausedUntil === 'forever' ? (
            t('pause.forever.short')
          ) : (
            <>
              {t('pause.untilLabel')} <ClockTime iso={pausedUntil} />
            </>
          )}
        </span>
        <button type="button" disabled={action.busy} onClick={() => void action.run(() => schedule.resume())}>
          {t('pause.resume')}
        </button>
        <Feedback state={action} />
      </div>
    );
  }
  return (
    <div className="pause-control">
      <ActionMenu
        label={t('pause.button')}
        align="end"
        actions={[
          { key: 'hour', label: t('pause.hour'), onSelect: () => pause(new Date(Date.now() + 3600_000).toISOString()) },
          { key: 'tomorrow', label: t('pause.tomorrow'), onSelect: () => pause(untilTomorrowMorning(new Date())) },
          { key: 'forever', label: t('pause.forever'), onSelect: () => pause(null) },
        ]}
      />
      <Feedback state={action} />
    </div>
  );
}

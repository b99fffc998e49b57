import { useId, useState } from 'react';
import { selectPausedUntil, useApp, useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { ClockTime } from '../../components/Time.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

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
  const [open, setOpen] = useState(false);
  const menuId = useId();

  const pause = (until: string | null) => {
    setOpen(false);
    void action.run(() => schedule.pause(until));
  };

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
    <div
      className="pause-control"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button type="button" aria-haspopup="true" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen(!open)}>
        {t('pause.button')} ▾
      </button>
      {open && (
        <ul className="menu" id={menuId} aria-label={t('pause.button')}>
          <li>
            <button type="button" onClick={() => pause(new Date(Date.now() + 3600_000).toISOString())}>
              {t('pause.hour')}
            </button>
          </li>
          <li>
            <button type="button" onClick={() => pause(untilTomorrowMorning(new Date()))}>
              {t('pause.tomorrow')}
            </button>
          </li>
          <li>
            <button type="button" onClick={() => pause(null)}>
              {t('pause.forever')}
            </button>
          </li>
        </ul>
      )}
      <Feedback state={action} />
    </div>
  );
}

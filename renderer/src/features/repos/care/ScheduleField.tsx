import { useState } from 'react';
import type { ScheduleSpec } from '../../../../../main/common/index.js';
import type { MessageKey } from '../../../i18n/index.js';
import { useT } from '../../../components/useT.js';
import { SchedulePreview } from '../../plans/SchedulePreview.js';

type Mode = 'none' | 'cron' | 'every';
const MODES: Mode[] = ['none', 'cron', 'every'];

const modeOf = (s: ScheduleSpec): Mode => (s === null ? 'none' : 'cron' in s ? 'cron' : 'every');

/** Never / a cron line / every N minutes, with the host's preview of the next runs. */
export function ScheduleField({
  legend,
  value,
  onChange,
  name,
  noneLabel,
}: {
  legend: string;
  value: ScheduleSpec;
  onChange: (s: ScheduleSpec) => void;
  name: string;
  /** What "no schedule" means here (default "Never"). */
  noneLabel?: string;
}) {
  const t = useT();
  const mode = modeOf(value);
  // What was typed stays when switching modes back and forth.
  const [cron, setCron] = useState(value && 'cron' in value ? value.cron : '0 3 * * 0');
  const [minutes, setMinutes] = useState(value && 'everyMinutes' in value ? String(value.everyMinutes) : '1440');
  const pick = (m: Mode) => onChange(m === 'none' ? null : m === 'cron' ? { cron } : { everyMinutes: Number(minutes) });
  return (
    <fieldset>
      <legend>{legend}</legend>
      {MODES.map((m) => (
        <label key={m} className="inline">
          <input type="radio" name={name} checked={mode === m} onChange={() => pick(m)} />
          {m === 'none' && noneLabel ? noneLabel : t(`care.schedule.${m}` as MessageKey)}
        </label>
      ))}
      {mode === 'cron' && (
        <label>
          {t('plans.form.cron')}
          <input
            className="mono"
            value={cron}
            onChange={(e) => {
              setCron(e.target.value);
              onChange({ cron: e.target.value.trim() });
            }}
          />
        </label>
      )}
      {mode === 'every' && (
        <label>
          {t('care.schedule.minutes')}
          <input
            type="number"
            min={1}
            value={minutes}
            onChange={(e) => {
              setMinutes(e.target.value);
              onChange({ everyMinutes: Number(e.target.value) });
            }}
          />
        </label>
      )}
      {mode !== 'none' && <SchedulePreview schedule={value} />}
    </fieldset>
  );
}

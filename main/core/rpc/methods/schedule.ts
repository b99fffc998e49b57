// `schedule.*`: pause and resume the schedules of this host, and preview when a schedule would run.
import { BackstayError } from '../../../common/errors.js';
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { previewRuns } from '../../schedule/next-run.js';

export function scheduleMethods(engine: EngineInternals): AreaMethods<'schedule'> {
  const scheduler = () => {
    if (!engine.scheduler) throw new BackstayError('NOT_SUPPORTED', 'Schedules do not run in this process.');
    return engine.scheduler;
  };
  return {
    'schedule.pause': method({
      params: s.pause,
      handler: ({ until }) => {
        scheduler().pause(until === null ? null : new Date(until));
        return { ok: true as const };
      },
    }),
    'schedule.resume': method({
      params: s.empty,
      handler: () => {
        scheduler().resume();
        return { ok: true as const };
      },
    }),
    'schedule.preview': method({
      params: s.preview,
      handler: ({ schedule, count }) => ({
        runs: previewRuns(schedule, new Date(), count ?? 5).map((d: Date) => d.toISOString()),
      }),
    }),
  };
}

import { describe, expect, it } from 'vitest';
import { firstSlotAtOrAfter, nextRunAfter, previewRuns } from './next-run.js';

// Local-time dates, so the expectations hold in any time zone (cron runs in local time).
const at = (h: number, m = 0, s = 0, day = 1) => new Date(2026, 0, day, h, m, s);

describe('nextRunAfter', () => {
  it('cron: the next slot strictly after the given time, in local time', () => {
    expect(nextRunAfter({ cron: '0 * * * *' }, at(10, 30))).toEqual(at(11));
    expect(nextRunAfter({ cron: '0 * * * *' }, at(11))).toEqual(at(12));
    expect(nextRunAfter({ cron: '30 3 * * *' }, at(10))).toEqual(at(3, 30, 0, 2));
  });

  it('cron with a last run: a slot missed since then is due now (returned in the past), once', () => {
    expect(nextRunAfter({ cron: '0 3 * * *' }, at(9), { lastRunAt: at(3, 0, 0, 0) })).toEqual(at(3));
    expect(nextRunAfter({ cron: '0 3 * * *' }, at(9), { lastRunAt: at(3) })).toEqual(at(3, 0, 0, 2));
    // Never ran: a cron waits for its slot.
    expect(nextRunAfter({ cron: '0 3 * * *' }, at(9), { lastRunAt: null })).toEqual(at(3, 0, 0, 2));
  });

  it('everyMinutes: from the last run; at once if it never ran; from `after` if unknown', () => {
    expect(nextRunAfter({ everyMinutes: 60 }, at(10, 30), { lastRunAt: at(10) })).toEqual(at(11));
    expect(nextRunAfter({ everyMinutes: 60 }, at(10, 30), { lastRunAt: at(8) })).toEqual(at(9)); // overdue
    expect(nextRunAfter({ everyMinutes: 60 }, at(10, 30), { lastRunAt: null })).toEqual(at(10, 30));
    expect(nextRunAfter({ everyMinutes: 60 }, at(10, 30))).toEqual(at(11, 30));
  });

  it('a last run in the future (clock set back) counts from now instead of stalling', () => {
    expect(nextRunAfter({ everyMinutes: 60 }, at(10), { lastRunAt: at(10, 0, 0, 30) })).toEqual(at(11));
    expect(nextRunAfter({ cron: '0 * * * *' }, at(10, 10), { lastRunAt: at(10, 0, 0, 30) })).toEqual(at(11));
  });

  it('null schedule: never', () => {
    expect(nextRunAfter(null, at(10))).toBeNull();
    expect(previewRuns(null, at(10), 3)).toEqual([]);
  });
});

describe('previewRuns and firstSlotAtOrAfter', () => {
  it('lists the next runs', () => {
    expect(previewRuns({ cron: '0 9 * * 1-5' }, new Date(2026, 0, 2, 12), 3)).toEqual([
      new Date(2026, 0, 5, 9), // Fri 2 Jan 2026 -> Mon 5, Tue 6, Wed 7
      new Date(2026, 0, 6, 9),
      new Date(2026, 0, 7, 9),
    ]);
    expect(previewRuns({ everyMinutes: 30 }, at(10), 2)).toEqual([at(10, 30), at(11)]);
  });

  it('a time on a slot is that slot', () => {
    expect(firstSlotAtOrAfter({ cron: '0 * * * *' }, at(11))).toEqual(at(11));
    expect(firstSlotAtOrAfter({ cron: '0 * * * *' }, at(11, 0, 1))).toEqual(at(12));
  });
});

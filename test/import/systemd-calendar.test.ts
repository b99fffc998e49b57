// systemd calendar expressions (resticprofile schedules) to cron: the class of expressions cron says exactly, and
// the class it cannot (seconds, years, time zones, last-day-of-month) with a reason.
import { describe, expect, it } from 'vitest';
import { calendarToCron } from '../../main/core/import/systemd-calendar.js';
import { parseCron } from '../../main/core/config/schema.js';

describe('calendarToCron', () => {
  it.each([
    ['hourly', '0 * * * *'],
    ['daily', '0 0 * * *'],
    ['Weekly', '0 0 * * 1'],
    ['monthly', '0 0 1 * *'],
    ['yearly', '0 0 1 1 *'],
    ['*-*-* 02:30', '30 2 * * *'],
    ['*-*-* 02:30:00', '30 2 * * *'],
    ['02:30', '30 2 * * *'],
    ['Mon..Fri 08:30', '30 8 * * 1-5'],
    ['Mon,Wed,Fri *-*-* 20:00', '0 20 * * 1,3,5'],
    ['Sat..Mon 09:00', '0 9 * * 6,0,1'],
    ['Sun', '0 0 * * 0'],
    ['*:0/15', '0-59/15 * * * *'],
    ['*:00', '0 * * * *'],
    ['*-*-01 03:00', '0 3 1 * *'],
    ['*-01,07-01 00:00', '0 0 1 1,7 *'],
    ['8,20:00', '0 8,20 * * *'],
  ])('%s -> %s', (expression, cron) => {
    expect(calendarToCron(expression)).toEqual({ cron });
    expect(() => parseCron(cron)).not.toThrow();
  });

  it.each([
    ['*-*-* 10:00:30', /seconds/],
    ['2027-*-* 10:00', /year/],
    ['*-*-* 02:00 UTC', /time zone/],
    ['*-*~01 00:00', /end of the month/],
    ['*-*-* 25:00', /hour 25/],
    ['Someday 10:00', /not a day of the week/],
    ['', /empty/],
    ['Mon *-*-1..7 04:00', /both a day of the month and a day of the week/],
  ])('%s cannot be cron', (expression, why) => {
    const result = calendarToCron(expression);
    expect(result).toHaveProperty('why');
    expect((result as { why: string }).why).toMatch(why);
  });
});

import { describe, expect, it } from 'vitest';
import { firstPlan, isTimeOfDay, retentionFor, scheduleFor, suggestPlanId } from './presets.js';

describe('first-run presets', () => {
  it.each([
    ['hourly', '', { cron: '0 * * * *' }],
    ['daily', '21:00', { cron: '0 21 * * *' }],
    ['daily', '7:05', { cron: '5 7 * * *' }],
    ['daily', '00:30', { cron: '30 0 * * *' }],
    ['manual', '', null],
  ] as const)('%s %s is %j', (preset, at, schedule) => {
    expect(scheduleFor(preset, at)).toEqual(schedule);
  });

  it.each(['24:00', '9', '12:60', 'noon', ''])('%j is not a time of day', (at) => {
    expect(isTimeOfDay(at)).toBe(false);
    expect(() => scheduleFor('daily', at)).toThrow();
  });

  it('retention presets', () => {
    expect(retentionFor('recommended')).toEqual({ keepHourly: 24, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 });
    expect(retentionFor('recent')).toEqual({ keepLast: 10 });
    expect(retentionFor('everything')).toBeNull();
  });

  it.each([
    [['/home/me/Photos'], [], 'photos'],
    [['/home/me/My Documents', '/etc'], [], 'my-documents'],
    [['/home/me/Photos'], ['photos'], 'photos-2'],
    [['/'], [], 'home'],
    [['/home/me/照片'], [], 'home'],
    [['C:\\Users\\me\\Desktop'], [], 'desktop'],
  ])('plan name for %j (taken %j) is %s', (folders, taken, id) => {
    expect(suggestPlanId(folders, taken)).toBe(id);
  });

  it('the first plan: the folders, the repository, the schedule and retention chosen', () => {
    expect(firstPlan({ id: 'photos', repo: 'local', folders: ['/p'], schedule: 'manual', dailyAt: '21:00', retention: 'recent' })).toEqual({
      id: 'photos',
      repo: 'local',
      paths: ['/p'],
      retention: { keepLast: 10 },
    });
    expect(firstPlan({ id: 'p', repo: 'r', folders: ['/p'], schedule: 'daily', dailyAt: '03:15', retention: 'everything' })).toMatchObject({
      schedule: { cron: '15 3 * * *' },
      retention: null,
    });
  });
});

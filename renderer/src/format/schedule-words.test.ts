// Schedules in words, in both of the window's languages: every kind of schedule (none, an interval in each unit, the
// cron shapes people write), and a cron line the describer cannot read is shown as typed rather than guessed at.
import { describe, expect, it } from 'vitest';
import { translate, type Language } from '../i18n/index.js';
import { cronWords, scheduleWords } from './schedule-words.js';

const words = (schedule: Parameters<typeof scheduleWords>[0], language: Language) => scheduleWords(schedule, language, (k, v) => translate(language, k, v));

describe('scheduleWords', () => {
  it.each<[Parameters<typeof scheduleWords>[0], string, string]>([
    [null, 'Manual only', '仅手动'],
    [{ everyMinutes: 1 }, 'Every minute', '每分钟'],
    [{ everyMinutes: 90 }, 'Every 90 minutes', '每隔 90 分钟'],
    [{ everyMinutes: 60 }, 'Every hour', '每小时'],
    [{ everyMinutes: 360 }, 'Every 6 hours', '每隔 6 小时'],
    [{ everyMinutes: 1440 }, 'Every day', '每天'],
    [{ everyMinutes: 10_080 }, 'Every 7 days', '每隔 7 天'],
    [{ cron: '0 3 * * *' }, 'At 03:00', '在03:00'],
    [{ cron: '0 */2 * * *' }, 'On the hour, every 2 hours', '整点, 每隔 2 小时'],
    [{ cron: '30 2 * * 1-5' }, 'At 02:30, Monday through Friday', '在02:30, 星期一至星期五'],
    [{ cron: '0 4 * * 0' }, 'At 04:00, only on Sunday', '在04:00, 仅星期日'],
    [{ cron: '*/15 * * * *' }, 'Every 15 minutes', '每隔 15 分钟'],
  ])('%j', (schedule, en, zh) => {
    expect(words(schedule, 'en')).toBe(en);
    expect(words(schedule, 'zh-CN')).toBe(zh);
  });

  it('a cron line it cannot read is shown as typed, and cronWords says it has no words for it', () => {
    expect(words({ cron: '61 * * * *' }, 'en')).toBe('61 * * * *');
    expect(cronWords('61 * * * *', 'en')).toBeNull();
    expect(cronWords('not a cron', 'zh-CN')).toBeNull();
  });
});

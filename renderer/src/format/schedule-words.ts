// A schedule in words ("At 03:00, Monday through Friday"), so a person need not read cron. cronstrue turns cron into
// sentences in both of the window's languages (a well-kept library, 24 kB minified plus 3 kB for Chinese) where a
// hand-written describer would cover only the common shapes. The host's scheduler (croner) stays the judge of what
// a cron line means: the words are a reading aid, and the expression itself is shown beside them.
import cronstrue from 'cronstrue';
import 'cronstrue/locales/zh_CN.js';
import type { ScheduleSpec } from '../../../main/common/index.js';
import type { Language, Translate } from '../i18n/index.js';

const CRONSTRUE_LOCALE: Record<Language, string> = { en: 'en', 'zh-CN': 'zh_CN' };

/** The words of a cron line, or null when cronstrue cannot read it (the host says what is wrong with it). */
export function cronWords(cron: string, language: Language): string | null {
  try {
    return cronstrue.toString(cron.trim(), { locale: CRONSTRUE_LOCALE[language], use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}

/** "Every 90 minutes", "Every 2 hours", "Every day": an interval in the largest whole unit. */
export function intervalWords(minutes: number, t: Translate): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? t('schedule.everyDay') : t('schedule.everyDays', { n: minutes / 1440 });
  if (minutes % 60 === 0) return minutes === 60 ? t('schedule.everyHour') : t('schedule.everyHours', { n: minutes / 60 });
  return minutes === 1 ? t('schedule.everyMinute') : t('schedule.everyMinutes', { n: minutes });
}

/** A plan's or a maintenance task's schedule as a person says it; a cron line cronstrue cannot read stays as typed. */
export function scheduleWords(schedule: ScheduleSpec, language: Language, t: Translate): string {
  if (schedule === null) return t('plans.form.schedule.none');
  if ('everyMinutes' in schedule) return intervalWords(schedule.everyMinutes, t);
  return cronWords(schedule.cron, language) ?? schedule.cron;
}

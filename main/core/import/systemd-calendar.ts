// resticprofile schedules are systemd calendar expressions ("daily", "Mon..Fri *-*-* 08:30", "*:0/15"). Backstay
// schedules are 5-field cron in local time, so only what cron expresses exactly is converted; anything else (seconds,
// years, time zones, "last day of month") comes back with the reason, for the import preview.

export type CalendarConversion = { cron: string } | { why: string };

const SHORTHANDS: Record<string, string> = {
  minutely: '* * * * *',
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  midnight: '0 0 * * *',
  weekly: '0 0 * * 1', // systemd's week starts on Monday
  monthly: '0 0 1 * *',
  quarterly: '0 0 1 1,4,7,10 *',
  semiannually: '0 0 1 1,7 *',
  yearly: '0 0 1 1 *',
  annually: '0 0 1 1 *',
};

const WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

class Unmappable extends Error {}

/** One field of a date or time ("*", "5", "1,15", "1..5", "0/15") as the cron field with the same meaning. */
function field(text: string, min: number, max: number, name: string): string {
  if (text === '*') return '*';
  return text
    .split(',')
    .map((part) => {
      const step = /^(\d+)\/(\d+)$/.exec(part);
      if (step) return `${number(step[1]!, min, max, name)}-${max}/${number(step[2]!, 1, max, name)}`;
      const range = /^(\d+)\.\.(\d+)$/.exec(part);
      if (range) return `${number(range[1]!, min, max, name)}-${number(range[2]!, min, max, name)}`;
      return String(number(part, min, max, name));
    })
    .join(',');
}

function number(text: string, min: number, max: number, name: string): number {
  if (!/^\d+$/.test(text)) throw new Unmappable(`cron cannot express the ${name} "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new Unmappable(`the ${name} ${n} is outside ${min}-${max}`);
  return n;
}

function weekday(name: string): number {
  const n = WEEKDAYS[name.slice(0, 3).toLowerCase()];
  if (n === undefined || !/^[a-z]+$/i.test(name)) throw new Unmappable(`"${name}" is not a day of the week`);
  return n;
}

function weekdays(text: string): string {
  return text
    .split(',')
    .map((part) => {
      const range = /^([a-z]+)\.\.([a-z]+)$/i.exec(part);
      if (!range) return String(weekday(part));
      const from = weekday(range[1]!);
      const to = weekday(range[2]!);
      if (from <= to) return `${from}-${to}`;
      // "Sat..Mon" wraps past Sunday; cron ranges do not, so list the days.
      const days: number[] = [];
      for (let d = from; d !== (to + 1) % 7; d = (d + 1) % 7) days.push(d);
      return days.join(',');
    })
    .join(',');
}

function date(text: string): { day: string; month: string } {
  if (text.includes('~')) throw new Unmappable('cron cannot count days from the end of the month ("~")');
  const parts = text.split('-');
  if (parts.length === 3) {
    if (parts[0] !== '*') throw new Unmappable('cron cannot name a year');
    parts.shift();
  }
  if (parts.length !== 2) throw new Unmappable(`"${text}" is not a date`);
  return { month: field(parts[0]!, 1, 12, 'month'), day: field(parts[1]!, 1, 31, 'day') };
}

function time(text: string): { hour: string; minute: string } {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) throw new Unmappable(`"${text}" is not a time`);
  if (parts.length === 3 && !/^0+(\.0+)?$/.test(parts[2]!)) {
    throw new Unmappable('cron runs on whole minutes, so seconds other than 0 cannot be kept');
  }
  return { hour: field(parts[0]!, 0, 23, 'hour'), minute: field(parts[1]!, 0, 59, 'minute') };
}

/** Converts one systemd calendar expression to a 5-field cron expression, or says why it cannot be. */
export function calendarToCron(expression: string): CalendarConversion {
  const text = expression.trim();
  const shorthand = SHORTHANDS[text.toLowerCase()];
  if (shorthand) return { cron: shorthand };
  try {
    const tokens = text.split(/\s+/).filter(Boolean);
    if (tokens.length === 0) throw new Unmappable('the schedule is empty');
    let dow = '*';
    if (/^[a-z]/i.test(tokens[0]!)) dow = weekdays(tokens.shift()!);
    let day = '*';
    let month = '*';
    let hour = '0';
    let minute = '0';
    for (const token of tokens) {
      if (token.includes(':')) ({ hour, minute } = time(token));
      else if (token.includes('-')) ({ day, month } = date(token));
      else throw new Unmappable(`"${token}" is a time zone or something else cron cannot express`);
    }
    // cron runs when EITHER a restricted day of the month OR a restricted weekday matches; systemd needs both.
    if (day !== '*' && dow !== '*') throw new Unmappable('cron cannot require both a day of the month and a day of the week');
    return { cron: `${minute} ${hour} ${day} ${month} ${dow}` };
  } catch (err) {
    if (err instanceof Unmappable) return { why: `systemd calendar "${text}": ${err.message}` };
    throw err;
  }
}

// Every setting that becomes a wait has a documented range (README, "config.json"): accepted at both ends, refused
// just outside either with a message naming the JSON path and the range. The table is written out by hand (it is
// the documentation); the last test makes sure no duration setting of the schema is missing from it.
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { DURATION_RANGES, UI_UPDATE_HZ_RANGE, settingsSchema } from './schema.js';
import { validateConfig } from './validate.js';

const FILE = '/data/config.json';
const repo = { id: 'nas', uri: '/srv/restic', password: { file: '/p' } };
const plan = { id: 'home', repo: 'nas', paths: ['/home/me'] };
const DAY = 86_400;

interface DurationCase {
  /** The JSON path as the error names it. */
  path: string;
  min: number;
  max: number;
  /** Whole numbers only: "just outside" is one unit off; otherwise a thousandth. */
  integer: boolean;
  /** The range words the error must contain. */
  words: string;
  config(value: number): unknown;
  read(config: ReturnType<typeof validateConfig>): unknown;
}

const setting = (key: string, min: number, max: number, integer: boolean, words: string): DurationCase => ({
  path: `settings.${key}`,
  min,
  max,
  integer,
  words,
  config: (value) => ({ version: 1, settings: { [key]: value } }),
  read: (config) => (config.settings as Record<string, unknown>)[key],
});

const CASES: DurationCase[] = [
  setting('stallAfterSeconds', 1, 30 * DAY, false, 'from 1 to 2592000 seconds (1 second to 30 days)'),
  setting('cancelGraceSeconds', 1, 3600, false, 'from 1 to 3600 seconds (1 second to 1 hour)'),
  setting('stalledCancelAfterSeconds', 1, 30 * DAY, false, 'from 1 to 2592000 seconds (1 second to 30 days)'),
  setting('retryBackoffSeconds', 0, 30 * DAY, false, 'from 0 to 2592000 seconds (0 to 30 days)'),
  setting('hookTimeoutSeconds', 1, 3600, false, 'from 1 to 3600 seconds (1 second to 1 hour)'),
  setting('noSuccessWarnDays', 1, 3650, true, 'a whole number from 1 to 3650 days (1 day to 3650 days)'),
  setting('uiUpdateHz', 0.1, 60, false, 'uiUpdateHz must be'),
  {
    path: 'settings.hooks[0].timeoutMs',
    min: 100,
    max: 3_600_000,
    integer: true,
    words: 'a whole number from 100 to 3600000 milliseconds (100 ms to 1 hour)',
    config: (value) => ({ version: 1, settings: { hooks: [{ on: ['error'], command: 'true', timeoutMs: value }] } }),
    read: (config) => config.settings.hooks[0]!.timeoutMs,
  },
  {
    path: 'plans[0].hooks[0].timeoutMs',
    min: 100,
    max: 3_600_000,
    integer: true,
    words: 'a whole number from 100 to 3600000 milliseconds (100 ms to 1 hour)',
    config: (value) => ({ version: 1, repos: [repo], plans: [{ ...plan, hooks: [{ on: ['error'], url: 'https://x.test/', timeoutMs: value }] }] }),
    read: (config) => config.plans[0]!.hooks![0]!.timeoutMs,
  },
  {
    path: 'plans[0].schedule.everyMinutes',
    min: 1,
    max: 527_040,
    integer: true,
    words: 'a whole number from 1 to 527040 minutes (1 minute to 366 days)',
    config: (value) => ({ version: 1, repos: [repo], plans: [{ ...plan, schedule: { everyMinutes: value } }] }),
    read: (config) => (config.plans[0]!.schedule as { everyMinutes: number }).everyMinutes,
  },
  ...(['prune', 'check'] as const).map(
    (kind): DurationCase => ({
      path: `repos[0].maintenance.${kind}.everyMinutes`,
      min: 1,
      max: 527_040,
      integer: true,
      words: 'a whole number from 1 to 527040 minutes (1 minute to 366 days)',
      config: (value) => ({ version: 1, repos: [{ ...repo, maintenance: { [kind]: { everyMinutes: value } } }] }),
      read: (config) => (config.repos[0]!.maintenance![kind] as { everyMinutes: number }).everyMinutes,
    }),
  ),
];

function rejection(input: unknown): string {
  try {
    validateConfig(input, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(BackstayError);
    expect((err as BackstayError).code).toBe('CONFIG_INVALID');
    return (err as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('every duration setting has a range', () => {
  describe.each(CASES)('$path', (c) => {
    const step = c.integer ? 1 : 0.001;
    it(`accepts the minimum ${c.min} and the maximum ${c.max}`, () => {
      for (const value of [c.min, c.max]) expect(c.read(validateConfig(c.config(value), FILE))).toBe(value);
    });
    it.each([
      ['just below the minimum', c.min - step],
      ['just above the maximum', c.max + step],
    ])('refuses a value %s (%d), naming the path and the range', (_what, value) => {
      const message = rejection(c.config(value));
      expect(message).toContain(`${FILE}: ${c.path}: `);
      expect(message).toContain(c.words);
    });
    if (c.integer) {
      it('refuses a fraction', () => expect(rejection(c.config(c.min + 0.5))).toContain(`${FILE}: ${c.path}: `));
    }
  });

  it('the table covers every duration in the schema, with the ranges the schema enforces', () => {
    const durationKey = /(Seconds|Ms|Minutes|Hours|Days|Hz)$/;
    const settingKeys = Object.keys(settingsSchema.shape).filter((k) => durationKey.test(k));
    const covered = new Set(CASES.map((c) => c.path.split('.').pop()));
    for (const key of settingKeys) expect(covered, `settings.${key} has no row in the table`).toContain(key);
    for (const [key, range] of Object.entries(DURATION_RANGES)) {
      const row = CASES.find((c) => c.path.endsWith(`.${key}`));
      expect(row, `${key} has no row in the table`).toBeDefined();
      expect({ min: row!.min, max: row!.max, integer: row!.integer }).toEqual({ min: range.min, max: range.max, integer: range.integer });
    }
    expect(CASES.find((c) => c.path === 'settings.uiUpdateHz')).toMatchObject(UI_UPDATE_HZ_RANGE);
  });
});

// The bandwidth a restic run gets, as a pure function of the local time: rules by weekday, across midnight, the
// repository's plain limits outside them, and a slow-down that caps but never raises.
import { describe, expect, it } from 'vitest';
import { limitsSchema } from '../../main/core/conditions/config-schema.js';
import { bandwidthAt, ruleMatches, type SlowDown } from '../../main/core/conditions/limits.js';
import { limitArgs } from '../../main/core/restic/args.js';

// Local times (the rules are local): 2026-11-30 is a Monday.
const at = (day: number, hh: number, mm = 0) => new Date(2026, 10, 30 + day, hh, mm);
const MON = 0, TUE = 1, FRI = 4, SAT = 5, SUN = 6;

const workdays = limitsSchema.parse({
  rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00', uploadKiBs: 2048 }],
});
const nights = limitsSchema.parse({
  uploadKiBs: 512,
  downloadKiBs: 4096,
  rules: [{ days: ['fri', 'sat'], from: '22:00', to: '06:00' }],
});

describe('bandwidthAt', () => {
  it.each([
    ['weekday inside the rule', workdays, at(MON, 10), 2048, null],
    ['weekday at the start minute', workdays, at(TUE, 9, 0), 2048, null],
    ['weekday at the end minute (exclusive)', workdays, at(TUE, 18, 0), null, null],
    ['weekday before the rule', workdays, at(FRI, 8, 59), null, null],
    ['weekend at the same hour', workdays, at(SAT, 10), null, null],
    ['no rule: the plain limits', nights, at(MON, 12), 512, 4096],
    ['across midnight, evening of a listed day', nights, at(FRI, 23, 30), null, null],
    ['across midnight, morning after a listed day', nights, at(SAT, 5, 59), null, null],
    ['across midnight, morning after the last listed day', nights, at(SUN, 3), null, null],
    ['across midnight, the end minute', nights, at(SAT, 6, 0), 512, 4096],
    ['across midnight, morning of a listed day whose eve is not', nights, at(FRI, 3), 512, 4096],
    ['across midnight, evening of an unlisted day', nights, at(SUN, 23), 512, 4096],
  ])('%s', (_name, limits, now, upload, download) => {
    expect(bandwidthAt(limits, now)).toEqual({ uploadKiBs: upload, downloadKiBs: download });
  });

  it('without limits is unlimited', () => {
    expect(bandwidthAt(undefined, at(MON, 10))).toEqual({ uploadKiBs: null, downloadKiBs: null });
  });

  const slow = (minutesFromMon10: number, uploadKiBs = 1024): SlowDown => ({ until: new Date(at(MON, 10).getTime() + minutesFromMon10 * 60_000), uploadKiBs });
  it.each([
    ['caps an unlimited upload', undefined, slow(60), 1024],
    ['keeps a lower limit', limitsSchema.parse({ uploadKiBs: 256 }), slow(60), 256],
    ['lowers a higher limit', limitsSchema.parse({ uploadKiBs: 8192 }), slow(60), 1024],
    ['is over once its time ended', limitsSchema.parse({ uploadKiBs: 8192 }), slow(0), 8192],
  ])('a slow-down %s', (_name, limits, slowDown, upload) => {
    expect(bandwidthAt(limits, at(MON, 10), slowDown).uploadKiBs).toBe(upload);
  });

  it('ruleMatches a one-day rule only on its day', () => {
    const rule = { days: ['sun' as const], from: '00:00', to: '23:59' };
    expect(ruleMatches(rule, at(SUN, 12))).toBe(true);
    expect(ruleMatches(rule, at(MON, 12))).toBe(false);
  });
});

describe('limitArgs', () => {
  it.each([
    [{ uploadKiBs: null, downloadKiBs: null }, []],
    [{ uploadKiBs: 1024, downloadKiBs: null }, ['--limit-upload', '1024']],
    [{ uploadKiBs: null, downloadKiBs: 77 }, ['--limit-download', '77']],
    [{ uploadKiBs: 5, downloadKiBs: 6 }, ['--limit-upload', '5', '--limit-download', '6']],
  ])('%j -> %j', (bandwidth, args) => {
    expect(limitArgs(bandwidth)).toEqual(args);
  });
  it('refuses a value restic would misread', () => {
    expect(() => limitArgs({ uploadKiBs: 0.5, downloadKiBs: null })).toThrow(/whole number/);
  });
});

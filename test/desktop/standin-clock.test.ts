// The clock stand-in (standin/clock.ts) itself, in a plain Node child loaded the way the desktop app is: a jump moves
// the wall clock only (a suspend: no timer fires), advancing lets time pass (wall clock and timers together, each
// timer firing when its time comes, an interval once per period), and Date keeps behaving as Date.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';

const CLOCK = path.join(ROOT, 'test/desktop/standin/clock.ts');

const SCRIPT = `
const clock = globalThis[Symbol.for('backstay.standin.clock')];
const t0 = Date.now();
const at = () => Math.round((Date.now() - t0) / 1000);
const log = [];
setTimeout(() => log.push('60s timeout at ' + at()), 60_000);
setTimeout(() => log.push('10s timeout at ' + at()), 10_000);
const cleared = setTimeout(() => log.push('cleared timeout ran'), 5_000);
clearTimeout(cleared);
const interval = setInterval(() => log.push('15s interval at ' + at()), 15_000);
interval.unref();
clock.jump(3600_000);
await new Promise((resolve) => setTimeout(resolve, 30));
log.push('jumped: now at ' + at());
await clock.advance(61_000, 5_000);
clearInterval(interval);
await clock.advance(30_000, 5_000);
const d = new Date();
log.push('end at ' + at());
console.log(JSON.stringify({
  log,
  dateIsShifted: Math.abs(d.getTime() - Date.now()) < 1000 && d.getTime() - t0 > 3600_000,
  instanceOfDate: d instanceof Date,
  parsesArgs: new Date(0).getTime() === 0 && Date.UTC(1970, 0, 1) === 0,
  callString: typeof Date() === 'string' && Date().slice(0, 15) === d.toString().slice(0, 15),
}));
`;

describe('the clock stand-in', () => {
  it('a jump moves only the wall clock; advancing fires each timer at its time; Date stays Date', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', CLOCK, '--input-type=module', '-e', SCRIPT], {
      cwd: ROOT,
      timeout: 30_000,
    });
    const result = JSON.parse(stdout) as { log: string[] } & Record<string, boolean>;
    const end = result.log.pop()!;
    expect(result.log.slice(0, 5)).toEqual([
      // Over the "suspend" nothing fired, though the wall clock is an hour on.
      'jumped: now at 3600',
      '10s timeout at 3610',
      '15s interval at 3615',
      '15s interval at 3630',
      '15s interval at 3645',
    ]);
    // Due in the same second (the interval's period counts from when it last ran, a few real ms later).
    expect(result.log.slice(5).sort()).toEqual(['15s interval at 3660', '60s timeout at 3660']);
    // 91 s passed, plus the real time the script took.
    expect(Number(end.replace('end at ', ''))).toBeGreaterThanOrEqual(3691);
    expect(Number(end.replace('end at ', ''))).toBeLessThanOrEqual(3695);
    expect(result).toMatchObject({ dateIsShifted: true, instanceOfDate: true, parsesArgs: true, callString: true });
  });
});

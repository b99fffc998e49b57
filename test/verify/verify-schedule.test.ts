// Scheduled restore tests: a plan's verify.schedule becomes a job of its own, counted from the last restore test.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../main/core/config/schema.js';
import { Scheduler, type ScheduledJob, type SchedulerClock } from '../../main/core/schedule/scheduler.js';

const MIN = 60_000;

/** A wall clock whose interval timer runs when the test says so. */
function manualClock(start: number) {
  let wall = start;
  let tick: (() => void) | null = null;
  const clock: SchedulerClock = {
    now: () => wall,
    setInterval: (callback) => {
      tick = callback;
      return 1;
    },
    clearInterval: () => {
      tick = null;
    },
  };
  return {
    clock,
    advance(ms: number) {
      const end = wall + ms;
      while (wall < end) {
        wall = Math.min(end, wall + 15_000);
        tick?.();
      }
    },
  };
}

function plansOf(plans: unknown[]) {
  return configSchema.parse({ version: 1, repos: [{ id: 'nas', uri: '/r', password: { env: 'P' } }], plans }).plans;
}

describe('scheduled restore tests', () => {
  const start = Date.parse('2026-03-02T10:00:00Z');

  const cases: { name: string; verify: unknown; lastVerifyAgoMin: number | null; firesAfterMin: number | null }[] = [
    { name: 'hourly, last test 30 min ago: due in 30 min', verify: { schedule: { everyMinutes: 60 } }, lastVerifyAgoMin: 30, firesAfterMin: 30 },
    { name: 'default (weekly), last test 6 days ago: due in a day', verify: {}, lastVerifyAgoMin: 6 * 24 * 60, firesAfterMin: 24 * 60 },
    { name: 'schedule null: only by hand', verify: { schedule: null }, lastVerifyAgoMin: 30, firesAfterMin: null },
    { name: 'no verify: never', verify: undefined, lastVerifyAgoMin: null, firesAfterMin: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { clock, advance } = manualClock(start);
      const fired: ScheduledJob[] = [];
      const busyAsked: ScheduledJob[] = [];
      const scheduler = new Scheduler({
        clock,
        wakeDelayMs: 0,
        fire: (job) => fired.push(job),
        isBusy: (job) => {
          busyAsked.push(job);
          return false;
        },
        lastRunAt: (job) => (job.kind === 'verify' && c.lastVerifyAgoMin !== null ? new Date(start - c.lastVerifyAgoMin * MIN) : undefined),
      });
      scheduler.setJobs(plansOf([{ id: 'home', repo: 'nas', paths: ['/data'], ...(c.verify === undefined ? {} : { verify: c.verify }) }]), []);
      scheduler.start();
      const horizon = (c.firesAfterMin ?? 8 * 24 * 60) + 1;
      if (c.firesAfterMin !== null) {
        advance((c.firesAfterMin - 1) * MIN);
        expect(fired).toEqual([]);
      }
      advance(horizon * MIN - (c.firesAfterMin !== null ? (c.firesAfterMin - 1) * MIN : 0));
      scheduler.stop();
      if (c.firesAfterMin === null) expect(fired).toEqual([]);
      else {
        expect(fired[0]).toEqual({ kind: 'verify', planId: 'home', repoId: 'nas' });
        expect(busyAsked[0]).toEqual({ kind: 'verify', planId: 'home', repoId: 'nas' });
      }
    });
  }
});

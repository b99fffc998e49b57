import { describe, expect, it } from 'vitest';
import {
  memoryPausePersistence,
  Scheduler,
  type ScheduledJob,
  type SchedulerClock,
  type SchedulerOptions,
  type SchedulablePlan,
} from './scheduler.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const TICK = 15_000;

/**
 * A wall clock and a separate monotonic timeline for interval timers, like an OS: `advance` moves both,
 * `sleep` moves only the wall clock (timers do not run while suspended), `setWallClock` steps the wall clock.
 */
class FakeClock implements SchedulerClock {
  private mono = 0;
  private timers = new Map<number, { callback: () => void; ms: number; next: number }>();
  private nextId = 1;
  constructor(public wall: number) {}
  now(): number {
    return this.wall;
  }
  setInterval(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { callback, ms, next: this.mono + ms });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get intervals(): number[] {
    return [...this.timers.values()].map((t) => t.ms);
  }
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const due = [...this.timers.values()].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.wall += due.next - this.mono;
      this.mono = due.next;
      due.next += due.ms;
      due.callback();
    }
    this.wall += end - this.mono;
    this.mono = end;
  }
  sleep(ms: number): void {
    this.wall += ms;
  }
  setWallClock(wall: number): void {
    this.wall = wall;
  }
}

const local = (h: number, m = 0, day = 1) => new Date(2026, 0, day, h, m).getTime();

function setup(
  opts: Partial<SchedulerOptions> & { start?: number; plans?: SchedulablePlan[] } = {},
): { clock: FakeClock; scheduler: Scheduler; fired: { job: ScheduledJob; at: number }[] } {
  const clock = new FakeClock(opts.start ?? local(10, 30));
  const fired: { job: ScheduledJob; at: number }[] = [];
  const scheduler = new Scheduler({
    clock,
    tickMs: TICK,
    wakeDelayMs: 0,
    fire: (job) => fired.push({ job, at: clock.now() }),
    ...opts,
  });
  scheduler.setJobs(opts.plans ?? [{ id: 'home', repo: 'nas', schedule: { cron: '0 * * * *' } }], []);
  scheduler.start();
  return { clock, scheduler, fired };
}

const firedAt = (fired: { at: number }[]) => fired.map((f) => new Date(f.at).toTimeString().slice(0, 8));

describe('Scheduler', () => {
  it('fires each slot once, within a tick of its time, from a short interval timer', () => {
    const { clock, fired } = setup();
    expect(clock.intervals).toEqual([TICK]);
    clock.advance(3 * HOUR);
    expect(fired.map((f) => f.at)).toEqual([local(11), local(12), local(13)]);
    expect(fired[0]!.job).toEqual({ kind: 'backup', planId: 'home', repoId: 'nas' });
  });

  it('never waits longer than 30 s between looks at the clock', () => {
    const { clock } = setup({ tickMs: 10 * MIN });
    expect(clock.intervals).toEqual([30_000]);
  });

  it('sleep across due times: exactly one catch-up run, after the wake delay, then back on schedule', () => {
    const { clock, fired } = setup({ wakeDelayMs: 45_000 });
    clock.advance(15 * MIN); // 10:45
    clock.sleep(3 * HOUR); // wakes at 13:45: 11:00, 12:00, 13:00 were missed
    clock.advance(30_000); // first ticks after wake: still inside the wake delay
    expect(fired).toHaveLength(0);
    clock.advance(30_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.at).toBeGreaterThanOrEqual(local(13, 45) + 45_000);
    expect(fired[0]!.at).toBeLessThanOrEqual(local(13, 45) + 45_000 + TICK);
    clock.advance(HOUR);
    expect(fired).toHaveLength(2);
    expect(fired[1]!.at).toBe(local(14));
  });

  it('noteWake() from the host holds due jobs for the wake delay even without a visible gap', () => {
    const { clock, scheduler, fired } = setup({ wakeDelayMs: MIN, start: local(10, 59, 50) });
    scheduler.noteWake();
    clock.advance(30_000); // 11:00:20, due, but held
    expect(fired).toHaveLength(0);
    clock.advance(45_000);
    expect(fired).toHaveLength(1);
  });

  it('a clock jump forward fires at most once', () => {
    const { clock, fired } = setup();
    clock.setWallClock(local(16, 30)); // +6 h
    clock.advance(10 * MIN);
    expect(fired).toHaveLength(1);
    clock.advance(HOUR);
    expect(firedAt(fired)).toEqual([firedAt(fired)[0], '17:00:00']);
  });

  it('a clock set back does not run again a slot already served', () => {
    const { clock, fired } = setup({ plans: [{ id: 'daily', repo: 'nas', schedule: { cron: '0 3 * * *' } }], start: local(2, 55) });
    clock.advance(10 * MIN); // 03:05, the 03:00 run happened
    expect(fired).toHaveLength(1);
    clock.setWallClock(local(2, 5)); // set back one hour: 03:00 comes round again on the wall clock
    clock.advance(3 * HOUR);
    expect(fired).toHaveLength(1);
    clock.advance(24 * HOUR);
    expect(fired).toHaveLength(2);
    expect(fired[1]!.at).toBe(local(3, 0, 2));
  });

  it('after a clock set back, an hourly plan keeps its real-time rhythm (no double, no stall)', () => {
    const { clock, fired } = setup();
    clock.advance(35 * MIN); // 11:05, ran at 11:00
    expect(fired).toHaveLength(1);
    clock.setWallClock(local(10, 5));
    clock.advance(50 * MIN); // 10:55 wall: less than an hour after the last run
    expect(fired).toHaveLength(1);
    clock.advance(10 * MIN); // 11:05 wall
    expect(fired).toHaveLength(2);
    expect(fired[1]!.at).toBe(local(11));
  });

  it('a clock set back while a catch-up waits out the wake delay still runs it, once', () => {
    const { clock, fired } = setup({ wakeDelayMs: 2 * MIN });
    clock.sleep(2 * HOUR); // wakes 12:30, 11:00 and 12:00 missed
    clock.advance(30_000); // gap seen, catch-up held
    expect(fired).toHaveLength(0);
    clock.setWallClock(clock.now() - 30 * MIN); // NTP corrects the clock back after wake
    clock.advance(3 * MIN);
    expect(fired).toHaveLength(1);
    clock.advance(20 * MIN);
    expect(fired).toHaveLength(1);
  });

  it('a big correction back (a year) does not stall the schedule', () => {
    const { clock, fired } = setup({ start: local(10, 30, 1) + 365 * 24 * HOUR });
    clock.advance(40 * MIN);
    expect(fired).toHaveLength(1);
    clock.setWallClock(local(11, 10));
    clock.advance(2 * HOUR);
    expect(firedAt(fired.slice(1))).toEqual(['12:00:00', '13:00:00']);
  });

  it('two plans due at once both fire (serialising per repository is the orchestrator’s job)', () => {
    const { clock, fired } = setup({
      plans: [
        { id: 'a', repo: 'nas', schedule: { cron: '0 * * * *' } },
        { id: 'b', repo: 'nas', schedule: { cron: '0 */2 * * *' } },
        { id: 'c', repo: 'usb', schedule: { everyMinutes: 30 } },
        { id: 'manual', repo: 'usb', schedule: null },
      ],
    });
    clock.advance(31 * MIN); // 11:01
    expect(fired.map((f) => f.job.planId).sort()).toEqual(['a', 'c']);
    clock.advance(HOUR); // 12:01
    expect(fired.filter((f) => f.at === local(12)).map((f) => f.job.planId).sort()).toEqual(['a', 'b', 'c']);
    expect(fired.filter((f) => f.job.planId === 'manual')).toEqual([]);
  });

  it('a plan still running when due is not started twice; the next slot fires normally', () => {
    let busy = true;
    const { clock, fired } = setup({ isBusy: () => busy });
    clock.advance(45 * MIN); // 11:15: 11:00 came while busy
    expect(fired).toHaveLength(0);
    busy = false;
    clock.advance(30 * MIN); // 11:45: the skipped run is not replayed
    expect(fired).toHaveLength(0);
    clock.advance(30 * MIN);
    expect(firedAt(fired)).toEqual(['12:00:00']);
  });

  it('pause for a time: nothing fires, nothing is caught up, then the schedule continues', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.pause(new Date(local(12, 30)));
    expect(scheduler.pausedUntil()).toEqual(new Date(local(12, 30)));
    expect(scheduler.nextRuns().get('home')).toEqual(new Date(local(13)));
    clock.advance(2 * HOUR + 10 * MIN); // 12:40: 11:00 and 12:00 fell in the pause
    expect(fired).toHaveLength(0);
    expect(scheduler.pausedUntil()).toBeNull();
    clock.advance(HOUR);
    expect(firedAt(fired)).toEqual(['13:00:00']);
  });

  it('pause until resumed, persisted across a restart; resume does not burst', () => {
    const persistence = memoryPausePersistence();
    const first = setup({ persistence });
    first.scheduler.pause(null);
    expect(persistence.load()).toBe('forever');
    first.clock.advance(HOUR);
    first.scheduler.stop();
    expect(first.fired).toHaveLength(0);

    // A new process on the same data: still paused.
    const second = setup({ persistence, start: local(11, 30) });
    expect(second.scheduler.pausedUntil()).toBe('forever');
    expect(second.scheduler.nextRuns().get('home')).toBeNull();
    second.clock.advance(2 * HOUR); // 13:30
    expect(second.fired).toHaveLength(0);
    second.scheduler.resume();
    expect(persistence.load()).toBeNull();
    second.clock.advance(20 * MIN);
    expect(second.fired).toHaveLength(0); // nothing from the pause is replayed
    second.clock.advance(20 * MIN);
    expect(firedAt(second.fired)).toEqual(['14:00:00']);
  });

  it('a timed pause that ran out while Backstay was not running is cleared at start', () => {
    const persistence = memoryPausePersistence(new Date(local(9)).toISOString());
    const { scheduler, fired, clock } = setup({ persistence });
    expect(scheduler.pausedUntil()).toBeNull();
    expect(persistence.load()).toBeNull();
    clock.advance(HOUR);
    expect(fired).toHaveLength(1);
  });

  it('setJobs keeps dueAt for unchanged schedules and recomputes changed ones', () => {
    const { clock, scheduler, fired } = setup({
      plans: [
        { id: 'a', repo: 'nas', schedule: { everyMinutes: 60 } },
        { id: 'b', repo: 'nas', schedule: { everyMinutes: 60 } },
      ],
    });
    clock.advance(20 * MIN); // 10:50; both due at 11:30
    scheduler.setJobs(
      [
        { id: 'a', repo: 'usb', schedule: { everyMinutes: 60 } }, // moved repo, same schedule: keeps 11:30
        { id: 'b', repo: 'nas', schedule: { everyMinutes: 30 } }, // changed: 10:50 + 30
        { id: 'c', repo: 'nas', schedule: null },
      ],
      [],
    );
    expect(scheduler.nextRuns()).toEqual(
      new Map([
        ['a', new Date(local(11, 30))],
        ['b', new Date(local(11, 20))],
        ['c', null],
      ]),
    );
    clock.advance(45 * MIN);
    expect(fired.map((f) => [f.job.planId, f.job.repoId])).toEqual([
      ['b', 'nas'],
      ['a', 'usb'],
    ]);
  });

  it('catch-up at start from the last run in the oplog: one run for a slot missed while not running', () => {
    const lastRuns: Record<string, Date | null> = { daily: new Date(local(3, 0)), fresh: null, hourly: new Date(local(10)) };
    const { clock, fired } = setup({
      wakeDelayMs: MIN,
      start: local(3, 0, 3), // two days later
      lastRunAt: (job) => lastRuns[job.planId!],
      plans: [
        { id: 'daily', repo: 'nas', schedule: { cron: '0 3 * * *' } },
        { id: 'fresh', repo: 'nas', schedule: { everyMinutes: 120 } },
        { id: 'unknown', repo: 'nas', schedule: { everyMinutes: 120 } },
      ],
    });
    clock.advance(30_000);
    expect(fired).toHaveLength(0); // start counts as a wake
    clock.advance(MIN);
    expect(fired.map((f) => f.job.planId).sort()).toEqual(['daily', 'fresh']);
    clock.advance(2 * HOUR);
    expect(fired.map((f) => f.job.planId).sort()).toEqual(['daily', 'fresh', 'fresh', 'unknown']);
  });

  it('maintenance jobs per repository', () => {
    const { clock, scheduler, fired } = setup({ plans: [] });
    scheduler.setJobs([], [
      { id: 'nas', maintenance: { prune: { cron: '0 11 * * *' }, check: null } },
      { id: 'usb' },
    ]);
    expect(scheduler.nextMaintenanceRuns()).toEqual(
      new Map([
        ['nas', { prune: new Date(local(11)), check: null }],
        ['usb', { prune: null, check: null }],
      ]),
    );
    clock.advance(HOUR);
    expect(fired.map((f) => f.job)).toEqual([{ kind: 'prune', repoId: 'nas' }]);
  });

  it('recordRun: a manual run pushes an interval schedule back', () => {
    const { clock, scheduler, fired } = setup({ plans: [{ id: 'a', repo: 'nas', schedule: { everyMinutes: 60 } }] });
    clock.advance(10 * MIN); // 10:40
    scheduler.recordRun({ kind: 'backup', planId: 'a', repoId: 'nas' }, new Date(clock.now()));
    expect(scheduler.nextRuns().get('a')).toEqual(new Date(local(11, 40)));
    clock.advance(55 * MIN);
    expect(fired).toHaveLength(0);
  });

  it('a fire that throws does not stop the others or repeat', () => {
    const fired: string[] = [];
    const { clock } = setup({
      plans: [
        { id: 'a', repo: 'nas', schedule: { cron: '0 * * * *' } },
        { id: 'b', repo: 'nas', schedule: { cron: '0 * * * *' } },
      ],
      fire: (job) => {
        fired.push(job.planId!);
        if (job.planId === 'a') throw new Error('boom');
      },
    });
    clock.advance(HOUR);
    expect(fired.sort()).toEqual(['a', 'b']);
  });

  it('stop() ends the timer', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.stop();
    expect(clock.intervals).toEqual([]);
    clock.advance(2 * HOUR);
    expect(fired).toHaveLength(0);
  });
});

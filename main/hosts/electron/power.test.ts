import { describe, expect, it, vi } from 'vitest';
import { AwakeKeeper, powerHooksOf, SleepTracker, wantsAwake } from './power.js';
import { appState, local, running } from '../../core/state/testing/app-state.js';

describe('AwakeKeeper', () => {
  it('blocks sleep while something runs, once, and releases when it ends', () => {
    let next = 1;
    const blocker = { start: vi.fn(() => next++), stop: vi.fn() };
    const keeper = new AwakeKeeper(blocker);
    keeper.update(appState());
    expect(blocker.start).not.toHaveBeenCalled();
    keeper.update(appState({ running: [running(1, 'h')] }));
    keeper.update(appState({ running: [running(1, 'h', { status: 'stalled' })] }));
    expect(blocker.start).toHaveBeenCalledTimes(1);
    expect(keeper.active).toBe(true);
    keeper.update(appState());
    expect(blocker.stop).toHaveBeenCalledWith(1);
    expect(keeper.active).toBe(false);
  });

  it('queued work does not keep the machine awake; keepAwake:false opts out', () => {
    expect(wantsAwake(appState({ running: [running(1, 'h', { status: 'queued' })] }))).toBe(false);
    const s = appState({ running: [running(1, 'h')] });
    expect(wantsAwake(s)).toBe(true);
    expect(wantsAwake({ ...s, settings: { ...s.settings, keepAwake: false } })).toBe(false);
  });
});

describe('SleepTracker', () => {
  it('tells the engine about sleep and how long it lasted', () => {
    const hooks = { systemSuspended: vi.fn(), systemResumed: vi.fn() };
    const t = new SleepTracker(hooks);
    t.suspend(local(10, 0));
    expect(t.resume(local(11, 30))).toBe(90 * 60_000);
    expect(hooks.systemSuspended).toHaveBeenCalledWith(local(10, 0));
    expect(hooks.systemResumed).toHaveBeenCalledWith(local(11, 30), 90 * 60_000);
    expect(t.resume(local(12, 0))).toBe(null); // a resume without a suspend (missed event)
  });

  it('maps to the engine: resume restarts stall clocks and wakes the scheduler', () => {
    const engine = { noteSuspend: vi.fn(), noteResume: vi.fn() };
    const t = new SleepTracker(powerHooksOf(engine));
    t.suspend(local(10));
    t.resume(local(10, 5));
    expect(engine.noteSuspend).toHaveBeenCalledTimes(1);
    expect(engine.noteResume).toHaveBeenCalledTimes(1);
  });
});

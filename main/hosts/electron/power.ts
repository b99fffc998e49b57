// Power events: keep the machine awake while work runs (setting keepAwake, default on), and tell the engine
// about sleep so that a suspended restic is not reported as stalled.
import type { AppState } from '../../common/index.js';
import type { Engine, Logger } from '../../core/engine-api.js';

export interface PowerSaveBlockerPort {
  /** Returns a blocker id ('prevent-app-suspension': the screen may still sleep). */
  start(): number;
  stop(id: number): void;
}

/** Whether the state wants the machine kept awake: something is actually running and the user did not opt out. */
export function wantsAwake(state: Pick<AppState, 'running' | 'settings'>): boolean {
  if (state.settings.keepAwake === false) return false;
  return state.running.some((op) => op.status === 'running' || op.status === 'stalled');
}

export class AwakeKeeper {
  private blockerId: number | null = null;

  constructor(private readonly blocker: PowerSaveBlockerPort, private readonly logger?: Logger) {}

  get active(): boolean {
    return this.blockerId !== null;
  }

  update(state: Pick<AppState, 'running' | 'settings'>): void {
    const want = wantsAwake(state);
    if (want && this.blockerId === null) {
      this.blockerId = this.blocker.start();
      this.logger?.info('keeping the system awake while operations run');
    } else if (!want) {
      this.release();
    }
  }

  release(): void {
    if (this.blockerId === null) return;
    this.blocker.stop(this.blockerId);
    this.blockerId = null;
  }
}

/** What the host tells the engine about sleep: on resume the stall clocks restart and the scheduler holds briefly. */
export interface EnginePowerHooks {
  systemSuspended(at: Date): void;
  systemResumed(at: Date, asleepMs: number | null): void;
}

export function powerHooksOf(engine: Pick<Engine, 'noteSuspend' | 'noteResume'>): EnginePowerHooks {
  return {
    systemSuspended: () => engine.noteSuspend(),
    systemResumed: () => engine.noteResume(),
  };
}

export class SleepTracker {
  private suspendedAt: Date | null = null;

  constructor(private readonly hooks: EnginePowerHooks | null, private readonly logger?: Logger) {}

  suspend(now: Date): void {
    this.suspendedAt = now;
    this.logger?.info('system is going to sleep');
    this.hooks?.systemSuspended(now);
  }

  resume(now: Date): number | null {
    const asleepMs = this.suspendedAt ? Math.max(0, now.getTime() - this.suspendedAt.getTime()) : null;
    this.suspendedAt = null;
    this.logger?.info('system woke up', { asleepSeconds: asleepMs === null ? null : Math.round(asleepMs / 1000) });
    this.hooks?.systemResumed(now, asleepMs);
    return asleepMs;
  }
}

/** The on-battery probe the engine's conditions use where sysfs cannot tell (macOS, Windows): Electron's
 * powerMonitor.isOnBatteryPower(). A throw or a non-boolean answer is "unknown", never "on AC". */
export function onBatteryProbe(port: { isOnBatteryPower(): boolean }): () => boolean | null {
  return () => {
    try {
      const answer: unknown = port.isOnBatteryPower();
      return typeof answer === 'boolean' ? answer : null;
    } catch {
      return null;
    }
  };
}

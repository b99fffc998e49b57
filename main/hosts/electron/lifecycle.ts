// App lifecycle decisions: what closing the window does, and Quit with a clean, ordered shutdown.
import type { AppState } from '../../common/index.js';
import type { Logger } from '../../core/engine-api.js';

/**
 * Electron cannot tell whether the desktop shows tray icons. Stock GNOME does not (it needs the AppIndicator
 * extension; Ubuntu's GNOME ships it, and says so in XDG_CURRENT_DESKTOP="ubuntu:GNOME").
 */
export function trayLikelyAvailable(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform !== 'linux') return true;
  const override = env.BACKSTAY_TRAY;
  if (override === '1' || override === 'on') return true;
  if (override === '0' || override === 'off') return false;
  const desktops = (env.XDG_CURRENT_DESKTOP ?? '').toLowerCase().split(':');
  if (!desktops.includes('gnome')) return true;
  return desktops.some((d) => d === 'ubuntu' || d === 'pop' || d === 'unity' || d === 'zorin');
}

export type CloseDecision = 'close' | 'hide' | 'ask';

export function decideOnClose(opts: {
  quitting: boolean;
  trayAvailable: boolean;
  closeWithoutTray: 'ask' | 'background' | 'quit';
}): CloseDecision {
  if (opts.quitting) return 'close';
  if (opts.trayAvailable) return 'hide';
  if (opts.closeWithoutTray === 'background') return 'hide';
  if (opts.closeWithoutTray === 'quit') return 'close';
  return 'ask';
}

/**
 * The exit code when the engine cannot start. Another host on the data directory (HOST_RUNNING: a `backstay serve`,
 * or a desktop app started with another profile on the same --data-dir) exits 2, as `serve` does in that case.
 */
export function startFailureExitCode(error: unknown): number {
  return (error as { code?: unknown } | null)?.code === 'HOST_RUNNING' ? 2 : 1;
}

export function liveOperationCount(state: Pick<AppState, 'running'>): number {
  return state.running.length;
}

export interface QuitPorts {
  /** Operations that a quit would cancel (running, stalled, queued). */
  liveOperations(): number;
  /** Asks "Cancel N running operations and quit?"; true to go ahead. */
  confirmCancel(count: number): Promise<boolean>;
  /** Stops everything that reacts to state: tray, notifier, window transport, timers. */
  stopUi(): void;
  /** Cancels running operations (they end `cancelled`), stops schedules, closes the oplog. */
  shutdownEngine(): Promise<void>;
  /** Releases the power-save blocker; after the engine, so the machine stays up while operations wind down. */
  releasePower(): void;
  flushLog(): Promise<void> | void;
  exit(code: number): void;
  logger?: Logger;
  /** Bound on engine shutdown (its cancel escalation is bounded too; this guards against a bug). */
  engineTimeoutMs?: number;
}

export type QuitOutcome = 'quit' | 'stayed';

/** One quit at a time; a second request while asking or shutting down joins the first. */
export class QuitController {
  private inProgress: Promise<QuitOutcome> | null = null;
  private shuttingDown = false;

  constructor(private readonly ports: QuitPorts) {}

  get quitting(): boolean {
    return this.shuttingDown;
  }

  /** `ask: false` for the OS ending the session: nobody is there to answer. */
  requestQuit(opts: { ask: boolean } = { ask: true }): Promise<QuitOutcome> {
    if (!this.inProgress) {
      this.inProgress = this.run(opts.ask).finally(() => {
        if (!this.shuttingDown) this.inProgress = null;
      });
    }
    return this.inProgress;
  }

  private async run(ask: boolean): Promise<QuitOutcome> {
    const count = this.ports.liveOperations();
    if (ask && count > 0 && !(await this.ports.confirmCancel(count))) return 'stayed';
    this.shuttingDown = true;
    const log = this.ports.logger;
    log?.info('quitting', { cancelling: count });
    this.ports.stopUi();
    let code = 0;
    try {
      await withTimeout(this.ports.shutdownEngine(), this.ports.engineTimeoutMs ?? 60_000);
    } catch (error) {
      code = 1;
      log?.error('engine shutdown failed', { error: error instanceof Error ? error.message : String(error) });
    }
    this.ports.releasePower();
    try {
      await this.ports.flushLog();
    } catch {
      // The log is what failed; there is nowhere left to report it.
    }
    this.ports.exit(code);
    return 'quit';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`engine shutdown took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

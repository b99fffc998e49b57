// What a host (Electron, `serve`, the CLI) gets from the engine. Hosts never reach deeper than this.
import type { AppState, RpcMethod, RpcParams, RpcResult } from '../common/index.js';
import type { StatePublisher } from './state/publisher-api.js';
import type { ConditionProbes } from './conditions/probes.js';
import type { Dumper } from './snapshots/dump.js';

export interface RpcContext {
  host: 'electron' | 'serve' | 'cli';
}

export interface RpcDispatcher {
  /** Validates params against the method table, runs the method. Throws BackstayError (BAD_PARAMS, UNKNOWN_METHOD, ...). */
  call(method: string, params: unknown, ctx: RpcContext): Promise<unknown>;
  /** Typed convenience for in-process callers. */
  invoke<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>>;
  readonly methods: readonly string[];
}

/** Secrets the desktop host can provide (Electron safeStorage); absent elsewhere. */
export interface KeychainProvider {
  getPassword(repoId: string): Promise<string | null>;
  setPassword(repoId: string, password: string): Promise<void>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Engine {
  readonly dataDir: string;
  readonly publisher: StatePublisher;
  readonly rpc: RpcDispatcher;
  state(): AppState;
  /** The machine is about to sleep (Electron powerMonitor "suspend"). */
  noteSuspend(): void;
  /** The machine woke up: schedules hold briefly for the network, and the sleep is not counted as a stall. */
  noteResume(): void;
  /** Cancels running operations (they end `cancelled`), stops schedules, closes the oplog. Idempotent. */
  shutdown(): Promise<void>;
  /** `restic dump` of a file or folder of a snapshot as a byte stream (downloads); absent in test doubles. */
  readonly dumps?: Dumper;
}

export interface EngineOptions {
  dataDir: string;
  host: 'electron' | 'serve' | 'cli';
  /** Run config.json's schedules (serve and Electron: yes; the one-shot CLI: no). */
  runSchedules: boolean;
  keychain?: KeychainProvider;
  logger?: Logger;
  /**
   * How a host (serve, electron) notices config.json edited by hand: fs.watch plus a check every `pollMs` (default
   * 2000). false: never on its own (a save still refuses to overwrite an edit it has not seen). The CLI never watches.
   */
  configWatch?: { pollMs?: number; fsWatch?: boolean } | false;
  /** The desktop app's on-battery answer (Electron powerMonitor), used where sysfs cannot tell (conditions, issue 16). */
  onBatteryPower?: () => boolean | null;
  /** Replaces the system's condition probes whole (tests). */
  conditionProbes?: ConditionProbes;
  /** How often postponed scheduled runs look at their conditions again (default 30 s; tests shorten it). */
  conditionRecheckMs?: number;
}

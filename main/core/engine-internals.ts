// What the RPC methods and the engine's own parts see of the engine: the host-facing Engine plus the stores and
// services behind it. In its own module so that rpc/ depends on this shape, not on the engine that builds the table.
import type { Engine, KeychainProvider, Logger } from './engine-api.js';
import type { BackstayConfig } from './config/schema.js';
import type { OpStore } from './oplog/store.js';
import type { Orchestrator, ResticBinaryInfo } from './jobs/orchestrator.js';
import type { SnapshotService } from './snapshots/index.js';
import type { HistoryService } from './history/history-service.js';
import type { AppStateStore } from './state/app-state.js';
import type { Scheduler } from './schedule/scheduler.js';
import type { SlowDownControl } from './conditions/slow-down.js';

export interface EngineInternals extends Engine {
  readonly store: OpStore;
  readonly orchestrator: Orchestrator;
  readonly snapshots: SnapshotService;
  readonly history: HistoryService;
  readonly stateStore: AppStateStore;
  readonly scheduler: Scheduler | null;
  /** "Slow down backups" and the bandwidth flags of each restic run (conditions/slow-down.ts). */
  readonly bandwidth: SlowDownControl;
  config(): BackstayConfig;
  reloadConfig(): Promise<void>;
  mutateConfig(mutate: (config: BackstayConfig) => BackstayConfig | void): Promise<void>;
  resolveRestic(): Promise<ResticBinaryInfo>;
  logger: Logger;
  /** The desktop app's keychain; absent in serve and the CLI, which keep secrets in 0600 files. */
  readonly keychain?: KeychainProvider;
}

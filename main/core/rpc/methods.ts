// The handlers behind the RPC method names (main/common/rpc.ts), one file per area under methods/. Thin: each
// validates what the schema cannot, then asks the orchestrator, the oplog, the snapshot service or the config.
// The table is total: a method of the contract without a handler here does not compile.
import type { EngineInternals } from '../engine-internals.js';
import type { MethodTable } from './method-table.js';
import { configMethods } from './methods/config.js';
import { opsMethods } from './methods/ops.js';
import { planMethods } from './methods/plans.js';
import { repoMethods } from './methods/repos.js';
import { scheduleMethods } from './methods/schedule.js';
import { bandwidthMethods } from './methods/bandwidth.js';
import { snapshotMethods } from './methods/snapshots.js';
import { historyMethods } from './methods/history.js';
import { stateMethods } from './methods/state.js';
import { fsMethods } from './methods/fs.js';

export function buildMethodTable(engine: EngineInternals): MethodTable {
  return {
    ...stateMethods(engine),
    ...planMethods(engine),
    ...opsMethods(engine),
    ...repoMethods(engine),
    ...snapshotMethods(engine),
    ...historyMethods(engine),
    ...configMethods(engine),
    ...scheduleMethods(engine),
    ...bandwidthMethods(engine),
    ...fsMethods(),
  };
}

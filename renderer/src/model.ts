// Value lists the renderer needs. The renderer imports only types from main/common (it must not bundle host
// code), so the lists are repeated here and checked against the contract types at compile time.
import type { OpKind, OpStatus, Operation, OperationParams, OperationSummary } from '../../main/common/index.js';

type Exhaustive<Listed, All> = [All] extends [Listed] ? true : never;

export const OP_KIND_LIST = [
  'backup',
  'forget',
  'prune',
  'check',
  'unlock',
  'repairIndex',
  'restore',
  'stats',
  'copy',
  'verify',
  'index',
] as const satisfies readonly OpKind[];
export const OP_STATUS_LIST = [
  'queued',
  'running',
  'stalled',
  'cancelling',
  'success',
  'warning',
  'error',
  'cancelled',
  'interrupted',
] as const satisfies readonly OpStatus[];

// Fails to compile when the contract grows a kind or status that the lists above lack.
const kindsAreComplete: Exhaustive<(typeof OP_KIND_LIST)[number], OpKind> = true;
const statusesAreComplete: Exhaustive<(typeof OP_STATUS_LIST)[number], OpStatus> = true;
void kindsAreComplete;
void statusesAreComplete;

export function isLive(status: OpStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'stalled' || status === 'cancelling';
}

/**
 * An operation's params as its kind records them (OpParamsByKind), or null for another kind. The same as
 * paramsOf in main/common/operation.ts, repeated because the renderer imports only types from there.
 */
export function opParamsOf<K extends OpKind>(op: Pick<Operation, 'kind' | 'params'>, kind: K): OperationParams<K> | null {
  return op.kind === kind ? (op.params as OperationParams<K> | null) : null;
}

/** An operation's summary as its kind records it (OpSummaryByKind), or null for another kind (see summaryOf). */
export function opSummaryOf<K extends OpKind>(op: Pick<Operation, 'kind' | 'summary'>, kind: K): OperationSummary<K> | null {
  return op.kind === kind ? (op.summary as OperationSummary<K> | null) : null;
}

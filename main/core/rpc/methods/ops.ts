// `ops.*`: the operations in the oplog (list, one, its log) and what can be asked of a live one (cancel, keep waiting).
import { BackstayError } from '../../../common/errors.js';
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { getOp } from './lookups.js';

export function opsMethods(engine: EngineInternals): AreaMethods<'ops'> {
  return {
    'ops.cancel': method({
      params: s.opRef,
      handler: ({ opId }) => {
        const op = getOp(engine, opId);
        if (!engine.orchestrator.cancel(opId, 'user')) {
          if (op.status === 'queued' || op.status === 'running' || op.status === 'stalled') {
            throw new BackstayError('NOT_SUPPORTED', `Operation ${opId} is run by another Backstay process (pid ${op.ownerPid}); cancel it there.`);
          }
        }
        return { ok: true as const };
      },
    }),
    'ops.keepWaiting': method({
      params: s.opRef,
      handler: ({ opId }) => {
        getOp(engine, opId);
        engine.orchestrator.keepWaiting(opId);
        return { ok: true as const };
      },
    }),
    'ops.get': method({ params: s.opRef, handler: ({ opId }) => getOp(engine, opId) }),
    'ops.list': method({ params: s.opsList, handler: (query) => ({ ops: engine.store.list(query) }) }),
    'ops.log': method({
      params: s.opsLog,
      handler: ({ opId, afterSeq, limit }) => {
        getOp(engine, opId);
        return { lines: engine.store.readLog(opId, afterSeq, limit) };
      },
    }),
  };
}

// Starting a restore, and reading how it went once the state no longer lists it.
import type { RpcParams } from '../../../main/common/index.js';
import type { BackstayClient } from '../client/index.js';

export function createRestoreActions(client: BackstayClient) {
  return {
    start: (request: RpcParams<'restore.start'>) => client.invoke('restore.start', request),
    outcome: (opId: number) => client.invoke('ops.get', { opId }),
  };
}

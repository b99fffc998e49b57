// `state.get`: the whole AppState (windows connect with it, then follow the publisher's changes).
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';

export function stateMethods(engine: EngineInternals): AreaMethods<'state'> {
  return {
    'state.get': method({ params: s.empty, handler: () => engine.state() }),
  };
}

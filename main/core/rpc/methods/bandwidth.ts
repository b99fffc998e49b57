// `settings.slowDown` / `settings.fullSpeed`: the temporary upload cap of conditions/slow-down.ts.
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';

export function bandwidthMethods(engine: EngineInternals): AreaMethods<'settings'> {
  return {
    'settings.slowDown': method({
      params: s.slowDown,
      handler: ({ minutes, uploadKiBs }) => engine.bandwidth.slowDown(minutes, uploadKiBs),
    }),
    'settings.fullSpeed': method({
      params: s.empty,
      handler: () => engine.bandwidth.fullSpeed(),
    }),
  };
}

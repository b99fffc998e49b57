// The contract types (main/common/rpc.ts) are the one source of the shapes the window sends and receives; the config
// schemas (zod) must accept exactly those shapes, so that a field added to one side only fails to compile here.
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { HookSpec, PlanInput, RepoInput, RpcParams, Settings } from '../../common/index.js';
import type { hookSchema, planSchema, repoSchema, settingsSchema } from '../config/schema.js';
import type * as s from './schemas.js';

/** The named keys of a type (an index signature such as Settings' `[key: string]: unknown` left out). */
type Named<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

describe('the config schemas accept exactly the contract types', () => {
  it('a repository', () => {
    expectTypeOf<z.input<typeof repoSchema>>().toEqualTypeOf<RepoInput>();
  });
  it('a plan', () => {
    expectTypeOf<z.input<typeof planSchema>>().toEqualTypeOf<PlanInput>();
  });
  it('a hook', () => {
    expectTypeOf<z.input<typeof hookSchema>>().toEqualTypeOf<HookSpec>();
  });
  it("settings: every setting the contract names, with the contract's type", () => {
    type Saved = z.output<typeof settingsSchema>;
    expectTypeOf<Pick<Saved, keyof Named<Settings>>>().toExtend<Named<Settings>>();
  });
  it('the params schemas of the saves', () => {
    expectTypeOf<z.input<typeof s.saveRepo>>().toEqualTypeOf<RpcParams<'config.saveRepo'>>();
    expectTypeOf<z.input<typeof s.savePlan>>().toEqualTypeOf<RpcParams<'config.savePlan'>>();
  });
});

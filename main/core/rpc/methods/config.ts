// `config.*`: read the config and change one repository, plan or the settings. Every change goes through
// engine.mutateConfig, which serialises saves and refuses to overwrite an edit made by hand that it has not read.
import { BackstayError } from '../../../common/errors.js';
import { FieldIssuesError, type FieldIssue } from '../../../common/index.js';
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { PLAN_KEYS_KEPT_WHEN_UNSENT, REPO_KEYS_KEPT_WHEN_UNSENT, settingsSchema } from '../../config/schema.js';
import { fieldIssuesFromZod, invalidParams } from '../field-issues.js';
import { planSaveIssues, repoSaveIssues, resticBinaryIssues } from '../../config/validate-on-save.js';
import { requireRepo } from './lookups.js';
import { importMethods } from './import.js';
import { maskRepoSecrets, restoreMaskedSecrets } from '../../config/secret-mask.js';
import { keepUnsent } from '../../config/keep-unsent.js';

/** A new repository or plan (`create`) whose id is in use: refused on the id field, never saved over the other. */
function idTakenIssues(params: unknown, what: 'repo' | 'plan', ids: readonly string[]): FieldIssue[] {
  if (!params || typeof params !== 'object' || (params as { create?: unknown }).create !== true) return [];
  const item = (params as Record<string, unknown>)[what];
  const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  if (typeof id !== 'string' || !ids.includes(id)) return [];
  return [{ path: [what, 'id'], code: 'id_taken', message: `a ${what === 'repo' ? 'repository' : 'plan'} named "${id}" already exists`, params: { id } }];
}

function idTaken(what: 'repo' | 'plan', id: string): FieldIssuesError {
  const [issue] = idTakenIssues({ create: true, [what]: { id } }, what, [id]);
  return new FieldIssuesError('BAD_PARAMS', issue!.message, [issue!]);
}

export function configMethods(engine: EngineInternals): AreaMethods<'config'> {
  return {
    ...importMethods(engine),
    'config.get': method({
      params: s.empty,
      handler: () => {
        const { repos, plans, settings } = engine.config();
        // No secret leaves through here: a window shows masks, and saving a mask back keeps the stored value.
        return { repos: repos.map((r) => maskRepoSecrets(r)), plans, settings };
      },
    }),
    'config.saveRepo': method({
      params: s.saveRepo,
      moreIssues: async (params) => [
        ...idTakenIssues(params, 'repo', engine.config().repos.map((r) => r.id)),
        ...(await repoSaveIssues(params, process.env)),
      ],
      handler: async ({ repo, create }) => {
        await engine.mutateConfig((c) => {
          const index = c.repos.findIndex((r) => r.id === repo.id);
          // Checked again under the config lock: another window may have added the same id meanwhile.
          if (create && index !== -1) throw idTaken('repo', repo.id);
          if (index === -1) c.repos.push(repo);
          else c.repos[index] = keepUnsent(restoreMaskedSecrets(repo, c.repos[index]), c.repos[index], REPO_KEYS_KEPT_WHEN_UNSENT);
        });
        return { ok: true as const };
      },
    }),
    'config.deleteRepo': method({
      params: s.repoRef,
      handler: async ({ repoId }) => {
        requireRepo(engine, repoId);
        // A plan's mirror uses the repository too (issue 15): removing it would leave the plan naming nothing.
        const users = engine.config().plans.filter((p) => p.repo === repoId || p.mirrors?.some((m) => m.repo === repoId)).map((p) => p.id);
        if (users.length > 0) {
          throw new BackstayError('REPO_IN_USE', `Repository "${repoId}" is used by plan(s) ${users.join(', ')}; remove them first.`);
        }
        await engine.mutateConfig((c) => {
          c.repos = c.repos.filter((r) => r.id !== repoId);
        });
        return { ok: true as const };
      },
    }),
    'config.savePlan': method({
      params: s.savePlan,
      moreIssues: (params) => [
        ...idTakenIssues(params, 'plan', engine.config().plans.map((p) => p.id)),
        ...planSaveIssues(params, engine.config().repos.map((r) => r.id)),
      ],
      handler: async ({ plan, create }) => {
        await engine.mutateConfig((c) => {
          const index = c.plans.findIndex((p) => p.id === plan.id);
          if (create && index !== -1) throw idTaken('plan', plan.id);
          if (index === -1) c.plans.push(plan);
          else c.plans[index] = keepUnsent(plan, c.plans[index], PLAN_KEYS_KEPT_WHEN_UNSENT);
        });
        return { ok: true as const };
      },
    }),
    'config.deletePlan': method({
      params: s.deletePlan,
      handler: async ({ planId }) => {
        await engine.mutateConfig((c) => {
          c.plans = c.plans.filter((p) => p.id !== planId);
        });
        return { ok: true as const };
      },
    }),
    'config.saveSettings': method({
      params: s.saveSettings,
      handler: async ({ settings }) => {
        const current = engine.config().settings;
        const merged = { ...current, ...settings };
        const parsed = settingsSchema.safeParse(merged);
        const issues = parsed.success ? [] : fieldIssuesFromZod(parsed.error.issues, merged, ['settings']);
        // A restic program is checked when it is set, or set again while the one configured does not work: the
        // next backup must not find out that it is missing, not restic, or too old.
        // Checked even when another setting is wrong, so that the form learns every problem at once.
        const binary = typeof merged.resticBinary === 'string' && merged.resticBinary !== '' ? merged.resticBinary : null;
        if (binary !== null && Object.hasOwn(settings, 'resticBinary') && (binary !== current.resticBinary || engine.state().restic.error !== null)) {
          issues.push(...(await resticBinaryIssues(binary, process.env)));
        }
        if (issues.length > 0 || !parsed.success) throw invalidParams('config.saveSettings', issues);
        const next = parsed.data;
        await engine.mutateConfig((c) => {
          c.settings = next;
        });
        // Saving applied the change (the engine looks for restic again when the setting changes); answer once the
        // state says what is detected now, so the window never shows the old program after "Saved".
        await engine.resolveRestic().catch(() => undefined);
        return { ok: true as const };
      },
    }),
  };
}

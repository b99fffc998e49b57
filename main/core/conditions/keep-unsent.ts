// The window's plan and repository forms have no fields for conditions and bandwidth limits (they are written in
// config.json by hand), and config.savePlan / config.saveRepo replace an entry whole. So a save that does not send
// `conditions` (or `limits`) keeps the stored ones rather than silently dropping them; sending `{}` clears them.
import type { PlanConfig, RepoConfig } from '../config/schema.js';

export function keepUnsentConditions(plan: PlanConfig, stored: PlanConfig | undefined): PlanConfig {
  return plan.conditions === undefined && stored?.conditions ? { ...plan, conditions: stored.conditions } : plan;
}

export function keepUnsentLimits(repo: RepoConfig, stored: RepoConfig | undefined): RepoConfig {
  return repo.limits === undefined && stored?.limits ? { ...repo, limits: stored.limits } : repo;
}

/** A plan saved without `hooks` (a form that does not edit them) keeps the stored ones; `[]` removes them (issue 13). */
export function keepUnsentHooks(plan: PlanConfig, stored: PlanConfig | undefined): PlanConfig {
  return plan.hooks === undefined && stored?.hooks ? { ...plan, hooks: stored.hooks } : plan;
}

/** A repository saved without `maintenance` keeps its stored schedules (issue 13). */
export function keepUnsentMaintenance(repo: RepoConfig, stored: RepoConfig | undefined): RepoConfig {
  return repo.maintenance === undefined && stored?.maintenance ? { ...repo, maintenance: stored.maintenance } : repo;
}

// Checks before a command does anything: a readable config and an existing plan, a usable restic. Each failure is a
// BackstayError whose message is the one line the user sees (exit 2).
import { existsSync } from 'node:fs';
import { BackstayError } from '../../common/errors.js';
import { loadConfig } from '../../core/config/load.js';
import { dataDirPaths, ensureDataDir } from '../../core/config/data-dir.js';
import type { BackstayConfig, PlanConfig } from '../../core/config/schema.js';
import { findResticBinary, readResticVersion } from '../../core/restic/binary.js';

/**
 * A command that only uses what is set up (backup, ops, history, find) on a data directory that is not there: a typo
 * in --data-dir, most likely. Said so, and nothing is created there (`serve` and `import` are what set one up).
 */
export function requireDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) {
    throw new BackstayError('NOT_FOUND', `There is no Backstay data directory at ${dataDir}: nothing is set up or has run there (nothing was created). Check --data-dir.`);
  }
}

export async function loadConfigFor(dataDir: string): Promise<BackstayConfig> {
  requireDataDir(dataDir);
  await ensureDataDir(dataDir);
  return loadConfig(dataDirPaths(dataDir).configFile);
}

export function requirePlan(config: BackstayConfig, planId: string): PlanConfig {
  const plan = config.plans.find((p) => p.id === planId);
  if (!plan) {
    const known = config.plans.map((p) => p.id);
    throw new BackstayError(
      'UNKNOWN_PLAN',
      known.length > 0 ? `unknown plan "${planId}" (plans: ${known.join(', ')})` : `unknown plan "${planId}": config.json has no plans yet`,
    );
  }
  return plan;
}

export async function requireRestic(config: BackstayConfig): Promise<void> {
  const binary = findResticBinary({ configured: config.settings.resticBinary ?? null, env: process.env });
  await readResticVersion(binary);
}

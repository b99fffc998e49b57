// Checks before a command does anything: a readable config and an existing plan, a usable restic. Each failure is a
// BackstayError whose message is the one line the user sees (exit 2).
import { BackstayError } from '../../common/errors.js';
import { loadConfig } from '../../core/config/load.js';
import { dataDirPaths, ensureDataDir } from '../../core/config/data-dir.js';
import type { BackstayConfig, PlanConfig } from '../../core/config/schema.js';
import { findResticBinary, readResticVersion } from '../../core/restic/binary.js';

export async function loadConfigFor(dataDir: string): Promise<BackstayConfig> {
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

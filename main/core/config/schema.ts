// config.json version 1, as CONTRACT.md defines it, plus a few additive keys (marked "addition" below) that
// issue 6 asks for. Every object is strict: an unknown key is an error, never silently ignored, because a
// misspelt `stallAfterSecond` or `retenion` that is dropped quietly is worse than a clear refusal.
import path from 'node:path';
import { z } from 'zod';
import { Cron } from 'croner';
import { conditionsSchema, limitsSchema } from '../conditions/config-schema.js';
import type { OptionalKey } from './keep-unsent.js';

export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** restic's duration for `--keep-within`: one or more number+unit pairs, units y m d h ("30d", "1y2m3d4h"). */
const RESTIC_DURATION_PATTERN = /^(?:\d+[ymdh])+$/;
/** restic `check --read-data-subset`: "n/t", "x%" or a size such as "500M" / "2G". */
const READ_DATA_SUBSET_PATTERN = /^(?:(\d+)\/(\d+)|\d+(?:\.\d+)?%|\d+[KMGT]?)$/;

const MINUTES_PER_LEAP_YEAR = 366 * 24 * 60;
const SECONDS_PER_HOUR = 60 * 60;
const SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR;

// ---- durations --------------------------------------------------------------------------------------------
// Every setting that becomes a wait has a range. Above the maximum a value is almost certainly a typo (a 30-day
// stall threshold written as 2592000000); below the minimum it would spin or fire before anything could happen.
// The ranges are what the README documents; a value outside is refused naming its JSON path and the range.

export type DurationUnit = 'milliseconds' | 'seconds' | 'minutes' | 'days';

export interface DurationRange {
  min: number;
  max: number;
  unit: DurationUnit;
  /** Whole numbers only (days, minutes, milliseconds); seconds may have a fraction. */
  integer: boolean;
}

/** The range of every duration setting, by its key. `uiUpdateHz` is a rate but becomes a wait too (1/Hz). */
export const DURATION_RANGES = {
  stallAfterSeconds: { min: 1, max: 30 * SECONDS_PER_DAY, unit: 'seconds', integer: false },
  cancelGraceSeconds: { min: 1, max: SECONDS_PER_HOUR, unit: 'seconds', integer: false },
  stalledCancelAfterSeconds: { min: 1, max: 30 * SECONDS_PER_DAY, unit: 'seconds', integer: false },
  retryBackoffSeconds: { min: 0, max: 30 * SECONDS_PER_DAY, unit: 'seconds', integer: false },
  hookTimeoutSeconds: { min: 1, max: SECONDS_PER_HOUR, unit: 'seconds', integer: false },
  /** hooks[].timeoutMs */
  timeoutMs: { min: 100, max: SECONDS_PER_HOUR * 1000, unit: 'milliseconds', integer: true },
  noSuccessWarnDays: { min: 1, max: 3650, unit: 'days', integer: true },
  /** schedule.everyMinutes, also for repos[].maintenance.prune / .check */
  everyMinutes: { min: 1, max: MINUTES_PER_LEAP_YEAR, unit: 'minutes', integer: true },
} as const satisfies Record<string, DurationRange>;

export const UI_UPDATE_HZ_RANGE = { min: 0.1, max: 60 } as const;

const UNIT_SECONDS: Record<DurationUnit, number> = { milliseconds: 0.001, seconds: 1, minutes: 60, days: SECONDS_PER_DAY };

/** "30 days", "1 hour", "100 ms": the size of a bound in words, for messages and the README. */
export function describeDuration(value: number, unit: DurationUnit): string {
  const seconds = value * UNIT_SECONDS[unit];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds === 0) return '0';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds % SECONDS_PER_DAY === 0) return plural(seconds / SECONDS_PER_DAY, 'day');
  if (seconds % SECONDS_PER_HOUR === 0) return plural(seconds / SECONDS_PER_HOUR, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/** "must be from 1 to 2592000 seconds (1 second to 30 days)" */
export function describeDurationRange(range: DurationRange): string {
  const { min, max, unit } = range;
  return (
    `must be ${range.integer ? 'a whole number ' : ''}from ${min} to ${max} ${unit} ` +
    `(${describeDuration(min, unit)} to ${describeDuration(max, unit)})`
  );
}

function duration(key: keyof typeof DURATION_RANGES) {
  const range: DurationRange = DURATION_RANGES[key];
  const message = describeDurationRange(range);
  // One message with the whole range whichever side was missed, under zod's own codes (too_small, too_big), so the
  // window can tell them apart. A refinement rather than z.int().min().max(): inside a union (schedules) the precise
  // problem is then reported rather than "must be one of".
  return z.number().superRefine((n, ctx) => {
    if (!(n >= range.min)) {
      ctx.addIssue({ code: 'too_small', origin: 'number', minimum: range.min, inclusive: true, input: n, message });
    } else if (n > range.max) {
      ctx.addIssue({ code: 'too_big', origin: 'number', maximum: range.max, inclusive: true, input: n, message });
    } else if (range.integer && !Number.isInteger(n)) {
      ctx.addIssue({ code: 'custom', input: n, message }); // "must be a whole number from ..."
    }
  });
}

export const HOOK_EVENTS = ['start', 'success', 'warning', 'error', 'stall', 'cancel'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export const LANGUAGES = ['auto', 'en', 'zh-CN'] as const;
/** The window's colours: follow the OS, or always light / always dark (issue 13). */
export const THEMES = ['system', 'light', 'dark'] as const;

const id = (what: string) =>
  z.string().regex(ID_PATTERN, {
    error: `a ${what} id must be 1-64 characters of a-z, 0-9, "_" or "-", starting with a letter or digit`,
  });

const nonEmptyString = (what: string) => z.string().min(1, { error: `${what} must not be empty` });

function describeKeys(input: unknown): string {
  if (input === undefined) return 'nothing (it is required)';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input !== 'object') return `a ${typeof input}`;
  const keys = Object.keys(input);
  return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
}

// ---- password ---------------------------------------------------------------------------------------------

export const passwordSchema = z.union(
  [
    z.strictObject({ file: nonEmptyString('password.file') }),
    z.strictObject({
      env: z.string().regex(ENV_NAME_PATTERN, { error: 'password.env must be an environment variable name' }),
    }),
    z.strictObject({ command: nonEmptyString('password.command') }),
    z.strictObject({ keychain: z.literal(true) }),
  ],
  {
    error: (issue) =>
      `must be exactly one of {"file": PATH}, {"env": VAR}, {"command": "..."} or {"keychain": true}; ` +
      `got ${describeKeys(issue.input)}`,
  },
);

// ---- schedule ---------------------------------------------------------------------------------------------

/** Parses a 5-field cron expression the way the scheduler will use it; throws with croner's reason. */
export function parseCron(expression: string): Cron {
  return new Cron(expression, { mode: '5-part' });
}

const cronExpression = z.string().superRefine((expression, ctx) => {
  // croner would also take "@daily" and 6/7-field patterns; the contract says 5 fields, so insist on them.
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    ctx.addIssue({
      code: 'custom',
      message: `cron must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}: "${expression}"`,
    });
    return;
  }
  let cron: Cron;
  try {
    cron = parseCron(expression);
  } catch (err) {
    const reason = (err as Error).message.replace(/^CronPattern:\s*/, '');
    ctx.addIssue({ code: 'custom', message: `invalid cron "${expression}": ${reason}` });
    return;
  }
  if (cron.nextRun(new Date()) === null) {
    ctx.addIssue({ code: 'custom', message: `cron "${expression}" never matches a date` });
  }
});

const scheduleObject = z.union(
  [
    z.strictObject({ cron: cronExpression }),
    z.strictObject({
      everyMinutes: duration('everyMinutes'),
    }),
  ],
  {
    error: (issue) =>
      `must be {"cron": "m h dom mon dow"}, {"everyMinutes": N} or null; got ${describeKeys(issue.input)}`,
  },
);
export const scheduleSchema = scheduleObject.nullable();

// ---- retention --------------------------------------------------------------------------------------------

const keepCount = z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' });

export const retentionSchema = z
  .strictObject({
    keepLast: keepCount.optional(),
    keepHourly: keepCount.optional(),
    keepDaily: keepCount.optional(),
    keepWeekly: keepCount.optional(),
    keepMonthly: keepCount.optional(),
    keepYearly: keepCount.optional(),
    keepWithin: z
      .string()
      .regex(RESTIC_DURATION_PATTERN, {
        error: 'keepWithin must be a restic duration such as "30d", "6m" or "1y2m3d4h" (units y, m, d, h)',
      })
      .optional(),
  })
  // restic's forget refuses an empty policy; null already means "keep everything", so say that.
  .refine((r) => Object.values(r).some((v) => v !== undefined), {
    error: 'retention needs at least one keep rule; use null to keep every snapshot',
  })
  .nullable();

// ---- hooks (addition) -------------------------------------------------------------------------------------

export const hookSchema = z
  .strictObject({
    on: z.array(z.enum(HOOK_EVENTS)).min(1, { error: `on must list at least one of ${HOOK_EVENTS.join(', ')}` }),
    command: nonEmptyString('command').optional(),
    url: z
      .string()
      .refine(
        (value) => {
          try {
            const { protocol } = new URL(value);
            return protocol === 'http:' || protocol === 'https:';
          } catch {
            return false;
          }
        },
        { error: 'url must be an http:// or https:// URL' },
      )
      .optional(),
    timeoutMs: duration('timeoutMs').optional(),
  })
  .refine((h) => (h.command === undefined) !== (h.url === undefined), {
    error: 'a hook needs exactly one of "command" or "url"',
  });

// ---- repos, plans, settings -------------------------------------------------------------------------------

const envSchema = z.record(
  z.string().regex(ENV_NAME_PATTERN, { error: 'env keys must be environment variable names' }),
  z.string({ error: 'env values must be strings' }),
);

/** Addition: per-repository maintenance schedules. Absent means no scheduled prune or check. */
export const maintenanceSchema = z.strictObject({
  prune: scheduleSchema.default(null),
  check: scheduleSchema.default(null),
  checkReadDataSubset: z
    .string()
    .refine(
      (value) => {
        const m = READ_DATA_SUBSET_PATTERN.exec(value);
        if (!m) return false;
        if (m[1] === undefined) return true;
        const n = Number(m[1]);
        const t = Number(m[2]);
        return n >= 1 && t >= 1 && n <= t;
      },
      { error: 'checkReadDataSubset must be like "1/10", "5%" or "500M" (restic --read-data-subset)' },
    )
    .optional(),
});

export const repoSchema = z.strictObject({
  id: id('repository'),
  uri: nonEmptyString('uri'),
  password: passwordSchema,
  env: envSchema.default({}),
  flags: z.array(z.string()).default([]),
  maintenance: maintenanceSchema.optional(),
  /** Addition (issue 16): bandwidth limits, with time-of-day rules. */
  limits: limitsSchema.optional(),
});

/**
 * What config.saveRepo keeps from the stored repository when the save leaves it out (keep-unsent.ts); sent empty, it
 * clears. A form that edits only part of a repository may leave these out; every other key is replaced whole.
 */
export const REPO_KEYS_KEPT_WHEN_UNSENT = ['maintenance', 'limits'] as const satisfies readonly OptionalKey<RepoConfig>[];

// Scheduled runs start from a service whose working directory is arbitrary, so a relative path would back up
// whatever folder that happens to be. "~" is not expanded by restic either.
const backupPath = z
  .string()
  .min(1, { error: 'a path must not be empty' })
  .refine((p) => !p.startsWith('~'), { error: 'write the home folder out in full; "~" is not expanded' })
  .refine((p) => p.startsWith('~') || path.isAbsolute(p), { error: 'a path must be absolute' });

/** Addition (issue 15): a repository that receives copies of the plan's snapshots (`restic copy`). */
export const mirrorSchema = z.strictObject({
  repo: id('repository'),
  /** Forget on the mirror by the plan's tag with these rules after each copy; null keeps every copied snapshot. */
  retention: retentionSchema.default(null),
  /** null: copy after each successful backup of the plan; otherwise copy on this schedule. */
  schedule: scheduleSchema.default(null),
  /** Warn when the mirror has lacked one of the plan's snapshots for more than this many days. */
  warnAfterDays: z
    .int({ error: 'warnAfterDays must be a whole number of days' })
    .min(1, { error: 'warnAfterDays must be at least 1' })
    .max(3650, { error: 'warnAfterDays must be at most 3650' })
    .default(3),
});

/** A restore test's schedule when `verify` is present without one: weekly, counted from the last restore test. */
const DEFAULT_VERIFY_SCHEDULE = { everyMinutes: 7 * 24 * 60 };
const VERIFY_FILES_RANGE = { min: 1, max: 10_000 } as const;
const VERIFY_MAX_MIB_RANGE = { min: 1, max: 1024 * 1024 } as const;

const wholeNumberIn = (what: string, range: { min: number; max: number }) => {
  const error = `${what} must be a whole number from ${range.min} to ${range.max}`;
  return z.int({ error }).min(range.min, { error }).max(range.max, { error });
};

/** Addition (issue 15): restore tests of the plan's latest snapshot (a sample of files, restored and compared). */
export const verifySchema = z.strictObject({
  /** Absent: weekly (DEFAULT_VERIFY_SCHEDULE); null: only when asked for (plans.verifyNow). */
  schedule: scheduleSchema.default(DEFAULT_VERIFY_SCHEDULE),
  /** At most this many files per test. */
  files: wholeNumberIn('verify.files', VERIFY_FILES_RANGE).default(50),
  /** At most this many MiB restored per test. */
  maxMiB: wholeNumberIn('verify.maxMiB', VERIFY_MAX_MIB_RANGE).default(200),
});

export const planSchema = z.strictObject({
  id: id('plan'),
  repo: id('repository'),
  paths: z.array(backupPath).min(1, { error: 'paths must list at least one folder or file' }),
  excludes: z.array(z.string().min(1, { error: 'an exclude pattern must not be empty' })).default([]),
  schedule: scheduleSchema.default(null),
  retention: retentionSchema.default(null),
  /** Addition: hooks for this plan's operations, run in addition to settings.hooks. */
  hooks: z.array(hookSchema).optional(),
  /** Addition (issue 16): when scheduled runs may start (battery, metered network, host answers, drive). */
  conditions: conditionsSchema.optional(),
  /** Addition (issue 15): other repositories that receive this plan's snapshots; absent means none. */
  mirrors: z.array(mirrorSchema).optional(),
  /** Addition (issue 15): restore tests; absent means none are scheduled (plans.verifyNow still runs one). */
  verify: verifySchema.optional(),
});

/**
 * What config.savePlan keeps from the stored plan when the save leaves it out (keep-unsent.ts); sent empty, it clears.
 * Not `mirrors` or `verify`: the plan form sends the ones the plan has, and the plan page removes restore tests by
 * leaving `verify` out.
 */
export const PLAN_KEYS_KEPT_WHEN_UNSENT = ['hooks', 'conditions'] as const satisfies readonly OptionalKey<PlanConfig>[];

export const settingsSchema = z.strictObject({
  resticBinary: z.string().min(1, { error: 'resticBinary must be a path or null' }).nullable().default(null),
  stallAfterSeconds: duration('stallAfterSeconds').default(300),
  cancelGraceSeconds: duration('cancelGraceSeconds').default(15),
  uiUpdateHz: z
    .number()
    .min(UI_UPDATE_HZ_RANGE.min, { error: `uiUpdateHz must be at least ${UI_UPDATE_HZ_RANGE.min} (one snapshot every 10 s)` })
    .max(UI_UPDATE_HZ_RANGE.max, { error: `uiUpdateHz must be at most ${UI_UPDATE_HZ_RANGE.max}` })
    .default(4),
  // Additions (issue 6 and the desktop app):
  notifyOnSuccess: z.boolean().default(false),
  /** Warn when a scheduled plan has no successful backup for this many days; null turns the warning off. */
  noSuccessWarnDays: duration('noSuccessWarnDays').nullable().default(7),
  retryStalled: z.boolean().default(true),
  /** A stalled backup is cancelled (and retried if retryStalled) after this much more time without progress. */
  stalledCancelAfterSeconds: duration('stalledCancelAfterSeconds').default(900),
  retryAttempts: z.int().min(0).max(100).default(3),
  /** The first retry waits this long; each further one twice as long as the one before. */
  retryBackoffSeconds: duration('retryBackoffSeconds').default(60),
  maxParallelOperations: z.int().min(1).max(64).default(2),
  keepAwake: z.boolean().default(true),
  language: z.enum(LANGUAGES).default('auto'),
  theme: z.enum(THEMES).default('system'),
  startAtLogin: z.boolean().default(false),
  /** Hooks for every plan's operations. */
  hooks: z.array(hookSchema).default([]),
  /** Default time limit of a hook that sets no timeoutMs. */
  hookTimeoutSeconds: duration('hookTimeoutSeconds').default(30),
});

// ---- the whole file ---------------------------------------------------------------------------------------

export const configSchema = z
  .strictObject({
    version: z.literal(1, {
      error: (issue) =>
        typeof issue.input === 'number' && issue.input > 1
          ? `version ${issue.input} was written by a newer Backstay; this one reads version 1`
          : 'version must be 1',
    }),
    repos: z.array(repoSchema).default([]),
    plans: z.array(planSchema).default([]),
    // `settings` may be absent; prefault runs the defaults of every field through the schema.
    settings: settingsSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    for (const problem of findReferenceProblems(config)) ctx.addIssue({ code: 'custom', ...problem });
  });

/**
 * Cross-checks between entries: unique ids, and each plan's repo names a repository. Works on unvalidated
 * input too (anything malformed is skipped), so these problems are reported alongside per-field ones.
 */
export function findReferenceProblems(input: unknown): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const entries = (key: string): [number, Record<string, unknown>][] => {
    const list = (input as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(list)) return [];
    return list.flatMap((item, i) =>
      item !== null && typeof item === 'object' && !Array.isArray(item) ? [[i, item as Record<string, unknown>]] : [],
    );
  };
  const repoIds = new Set<string>();
  for (const [i, repo] of entries('repos')) {
    if (typeof repo.id !== 'string') continue;
    if (repoIds.has(repo.id)) problems.push({ path: ['repos', i, 'id'], message: `duplicate repository id "${repo.id}"` });
    repoIds.add(repo.id);
  }
  const planIds = new Set<string>();
  for (const [i, plan] of entries('plans')) {
    if (typeof plan.id === 'string') {
      if (planIds.has(plan.id)) problems.push({ path: ['plans', i, 'id'], message: `duplicate plan id "${plan.id}"` });
      planIds.add(plan.id);
    }
    if (typeof plan.repo === 'string' && !repoIds.has(plan.repo)) {
      const known = repoIds.size ? [...repoIds].join(', ') : 'none';
      problems.push({ path: ['plans', i, 'repo'], message: `no repository "${plan.repo}" (known: ${known})` });
    }
    for (const problem of findMirrorProblems(plan, repoIds)) problems.push({ path: ['plans', i, ...problem.path], message: problem.message });
  }
  return problems;
}

export type MirrorProblemKind = 'own_repo' | 'unknown_repo' | 'twice';

/**
 * A plan's mirrors, checked against the repositories there are: each names a repository, not the plan's own, and
 * none twice. Paths are relative to the plan (["mirrors", 0, "repo"]). Works on unvalidated input.
 */
export function findMirrorProblems(
  plan: Record<string, unknown>,
  repoIds: ReadonlySet<string>,
): { path: (string | number)[]; message: string; kind: MirrorProblemKind; repo: string }[] {
  const problems: { path: (string | number)[]; message: string; kind: MirrorProblemKind; repo: string }[] = [];
  if (!Array.isArray(plan.mirrors)) return problems;
  const seen = new Set<string>();
  plan.mirrors.forEach((mirror: unknown, j) => {
    const repo = mirror !== null && typeof mirror === 'object' ? (mirror as Record<string, unknown>).repo : undefined;
    if (typeof repo !== 'string' || repo === '') return;
    const path = ['mirrors', j, 'repo'];
    const known = repoIds.size ? [...repoIds].join(', ') : 'none';
    if (repo === plan.repo) problems.push({ path, repo, kind: 'own_repo', message: `a mirror must be another repository than the plan's own ("${repo}")` });
    else if (!repoIds.has(repo)) problems.push({ path, repo, kind: 'unknown_repo', message: `no repository "${repo}" (known: ${known})` });
    else if (seen.has(repo)) problems.push({ path, repo, kind: 'twice', message: `repository "${repo}" is already a mirror of this plan` });
    seen.add(repo);
  });
  return problems;
}

/** The config as the engine uses it: every default filled in. */
export type BackstayConfig = z.output<typeof configSchema>;
/** What may be written to config.json (defaults may be left out). */
export type BackstayConfigInput = z.input<typeof configSchema>;
export type RepoConfig = BackstayConfig['repos'][number];
export type PlanConfig = BackstayConfig['plans'][number];
export type SettingsConfig = BackstayConfig['settings'];
export type HookConfig = z.output<typeof hookSchema>;
export type MirrorConfig = z.output<typeof mirrorSchema>;

/** A valid config with nothing in it, every setting at its default: what a first run writes. */
export function emptyConfig(): BackstayConfig {
  return configSchema.parse({ version: 1 });
}

export const DEFAULT_SETTINGS: Readonly<SettingsConfig> = Object.freeze(emptyConfig().settings);

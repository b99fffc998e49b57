// Backrest's config.json (its proto/v1/config.proto written as protobuf JSON, camelCase keys) -> Backstay repos and
// plans. Repositories keep uri, env and flags; the plaintext `password` goes to the secret store (SecretValue);
// schedules map where Backstay means the same thing; everything else is listed in `skipped` with the reason.
import { parseCron, type HookEvent } from '../config/schema.js';
import type { HookConfig } from '../config/schema.js';
import { SourceReader, type JsonObject, type Path } from './reader.js';
import { absoluteSourcePath, type PathContext } from './source-paths.js';
import { emptyDraft, type ImportDraft, type PlanDraft, type RepoDraft, type SkippedItem } from './types.js';

/** Config versions this importer knows (Backrest's migrations bring every config to its CurrentVersion). */
export const BACKREST_VERSIONS = { min: 1, max: 6 } as const;

type Schedule = { cron: string } | { everyMinutes: number } | null;
type Retention = NonNullable<PlanDraft['retention']>;

const CONDITION_EVENTS: Record<string, HookEvent[]> = {
  CONDITION_SNAPSHOT_START: ['start'],
  CONDITION_SNAPSHOT_END: ['success', 'warning', 'error'],
  CONDITION_SNAPSHOT_SUCCESS: ['success'],
  CONDITION_SNAPSHOT_WARNING: ['warning'],
  CONDITION_SNAPSHOT_ERROR: ['error'],
  CONDITION_ANY_ERROR: ['error'],
};

/** Hook actions Backstay has no counterpart for (it runs commands and POSTs its own JSON to a URL). */
const UNSUPPORTED_ACTIONS: Record<string, string> = {
  actionDiscord: 'Discord',
  actionSlack: 'Slack',
  actionGotify: 'Gotify',
  actionShoutrrr: 'Shoutrrr',
  actionHealthchecks: 'Healthchecks',
  actionTelegram: 'Telegram',
};

const HANDLED_REPO_KEYS = new Set(['id', 'uri', 'guid', 'password', 'env', 'flags', 'prunePolicy', 'checkPolicy', 'hooks', 'autoUnlock']);
const HANDLED_PLAN_KEYS = new Set(['id', 'repo', 'paths', 'excludes', 'schedule', 'cron', 'retention', 'hooks', 'disabled']);

export interface BackrestOptions extends PathContext {
  file: string;
}

export function importBackrest(text: string, options: BackrestOptions): ImportDraft {
  const r: SourceReader = new SourceReader(options.file);
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    r.fail([], `not valid JSON (${(err as Error).message}); Backrest keeps its settings in config.json`);
  }
  const root = r.object(json, []);
  const version = r.optionalNumber(root.version, ['version']);
  if (version === undefined) r.fail(['version'], 'missing; every Backrest config.json has a "version", so this does not look like one');
  if (!Number.isInteger(version) || version < BACKREST_VERSIONS.min || version > BACKREST_VERSIONS.max) {
    r.fail(['version'], `Backrest config version ${version} is not one this Backstay knows (${BACKREST_VERSIONS.min}-${BACKREST_VERSIONS.max})`);
  }
  const draft = emptyDraft();
  const repoHooks = new Map<string, HookConfig[]>();
  r.list(root.repos, ['repos']).forEach((item, i) => {
    const mapped = mapRepo(r, r.object(item, ['repos', i]), ['repos', i], draft);
    if (mapped) repoHooks.set(mapped.repo.id, mapped.hooks);
  });
  r.list(root.plans, ['plans']).forEach((item, i) => {
    mapPlan(r, r.object(item, ['plans', i]), ['plans', i], draft, repoHooks, options);
  });
  if (root.auth !== undefined) draft.skipped.push({ what: 'auth (Backrest web UI users)', why: 'Backstay signs in with its own token; there are no users to import' });
  return draft;
}

function mapRepo(r: SourceReader, repo: JsonObject, at: Path, draft: ImportDraft): { repo: RepoDraft; hooks: HookConfig[] } | null {
  const id = r.optionalString(repo.id, [...at, 'id']) ?? '';
  const uri = r.optionalString(repo.uri, [...at, 'uri']) ?? '';
  const label = `repository "${id}"`;
  if (id === '' || uri === '') {
    draft.skipped.push({ what: `repos[${at[1]}]`, why: 'it has no id or no uri' });
    return null;
  }
  const env: Record<string, string> = {};
  let password: RepoDraft['password'] | undefined;
  r.strings(repo.env, [...at, 'env']).forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq) : '';
    const value = eq > 0 ? entry.slice(eq + 1) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      draft.skipped.push({ what: `${label} env[${i}]`, why: 'not NAME=VALUE' });
    } else if (name === 'RESTIC_PASSWORD') {
      draft.secrets.push({ repo: id, from: `${label} env RESTIC_PASSWORD`, value });
    } else if (name === 'RESTIC_PASSWORD_FILE') {
      password = { file: value };
    } else if (name === 'RESTIC_PASSWORD_COMMAND') {
      password = { command: value };
    } else {
      env[name] = value;
    }
  });
  const plain = r.optionalString(repo.password, [...at, 'password']);
  if (plain !== undefined && plain !== '') draft.secrets.push({ repo: id, from: `${label} password`, value: plain });
  if (password === undefined && !draft.secrets.some((s) => s.repo === id)) {
    password = { env: 'RESTIC_PASSWORD' };
    draft.skipped.push({ what: `${label} password`, why: 'none in the file; Backstay will read RESTIC_PASSWORD until you set one' });
  }
  // A secret found above becomes the password once it is stored; until then the env reference holds the place.
  const mapped: RepoDraft = { id, uri, password: password ?? { env: 'RESTIC_PASSWORD' }, env, flags: r.strings(repo.flags, [...at, 'flags']) };

  const maintenance: NonNullable<RepoDraft['maintenance']> = {};
  const prune = r.optionalObject(repo.prunePolicy, [...at, 'prunePolicy']);
  if (prune) {
    const legacyDays = r.optionalNumber(prune.maxFrequencyDays, [...at, 'prunePolicy', 'maxFrequencyDays']);
    const schedule = prune.schedule !== undefined
      ? mapSchedule(r, prune.schedule, [...at, 'prunePolicy', 'schedule'], `${label} prune schedule`, draft.skipped)
      : legacyDays ? { everyMinutes: legacyDays * 24 * 60 } : null;
    if (schedule) maintenance.prune = schedule;
    const unusedPercent = r.optionalNumber(prune.maxUnusedPercent, [...at, 'prunePolicy', 'maxUnusedPercent']);
    const unusedBytes = r.optionalNumber(prune.maxUnusedBytes, [...at, 'prunePolicy', 'maxUnusedBytes']);
    if (unusedPercent || unusedBytes) {
      draft.skipped.push({ what: `${label} prune max unused`, why: 'Backstay prunes with restic\'s default (--max-unused 5%)' });
    }
  }
  const check = r.optionalObject(repo.checkPolicy, [...at, 'checkPolicy']);
  if (check) {
    const schedule = mapSchedule(r, check.schedule, [...at, 'checkPolicy', 'schedule'], `${label} check schedule`, draft.skipped);
    if (schedule) maintenance.check = schedule;
    const percent = r.optionalNumber(check.readDataSubsetPercent, [...at, 'checkPolicy', 'readDataSubsetPercent']);
    if (percent !== undefined && percent > 0) maintenance.checkReadDataSubset = `${Math.min(100, percent)}%`;
  }
  if (maintenance.prune || maintenance.check) mapped.maintenance = maintenance;
  if (repo.autoUnlock === true) draft.skipped.push({ what: `${label} autoUnlock`, why: 'Backstay removes only stale locks (dead owner or older than 30 minutes), never a live one' });
  for (const key of Object.keys(repo)) {
    if (!HANDLED_REPO_KEYS.has(key)) draft.skipped.push({ what: `${label} ${key}`, why: 'Backstay has no such setting' });
  }
  draft.repos.push(mapped);
  return { repo: mapped, hooks: mapHooks(r, repo.hooks, [...at, 'hooks'], label, draft.skipped) };
}

function mapPlan(
  r: SourceReader,
  plan: JsonObject,
  at: Path,
  draft: ImportDraft,
  repoHooks: Map<string, HookConfig[]>,
  ctx: PathContext,
): void {
  const id = r.optionalString(plan.id, [...at, 'id']) ?? '';
  const repo = r.optionalString(plan.repo, [...at, 'repo']) ?? '';
  const label = `plan "${id}"`;
  if (id === '' || !repoHooks.has(repo)) {
    draft.skipped.push({ what: id ? label : `plans[${at[1]}]`, why: id ? `its repository "${repo}" was not imported` : 'it has no id' });
    return;
  }
  const paths: string[] = [];
  r.strings(plan.paths, [...at, 'paths']).forEach((raw) => {
    const result = absoluteSourcePath(raw, ctx);
    if ('path' in result) paths.push(result.path);
    else draft.skipped.push({ what: `${label} path "${raw}"`, why: result.why });
  });
  if (paths.length === 0) {
    draft.skipped.push({ what: label, why: 'it has no folder Backstay can back up' });
    return;
  }
  let schedule: Schedule = null;
  if (plan.disabled === true) schedule = null;
  else if (plan.schedule !== undefined) schedule = mapSchedule(r, plan.schedule, [...at, 'schedule'], `${label} schedule`, draft.skipped);
  else if (plan.cron !== undefined) schedule = mapSchedule(r, { cron: plan.cron }, [...at, 'cron'], `${label} schedule`, draft.skipped);
  const iexcludes = r.strings(plan.iexcludes, [...at, 'iexcludes']);
  if (iexcludes.length) draft.skipped.push({ what: `${label} iexcludes (${iexcludes.join(', ')})`, why: 'Backstay has no case-insensitive excludes; add them as excludes if the case is known' });
  const flags = r.strings(plan.backup_flags ?? plan.backupFlags, [...at, 'backup_flags']);
  if (flags.length) draft.skipped.push({ what: `${label} backup flags (${flags.join(' ')})`, why: 'Backstay plans have no extra backup flags; repository flags apply to every command' });
  if (plan.skipIfUnchanged === true) draft.skipped.push({ what: `${label} skipIfUnchanged`, why: 'Backstay always saves a snapshot' });
  for (const key of Object.keys(plan)) {
    if (!HANDLED_PLAN_KEYS.has(key) && !['iexcludes', 'backup_flags', 'backupFlags', 'skipIfUnchanged'].includes(key)) {
      draft.skipped.push({ what: `${label} ${key}`, why: 'Backstay has no such setting' });
    }
  }
  const mapped: PlanDraft = {
    id,
    repo,
    paths,
    excludes: r.strings(plan.excludes, [...at, 'excludes']),
    schedule,
    retention: mapRetention(r, plan.retention, [...at, 'retention'], label, draft.skipped),
  };
  const hooks = [...mapHooks(r, plan.hooks, [...at, 'hooks'], label, draft.skipped), ...(repoHooks.get(repo) ?? [])];
  if (hooks.length) mapped.hooks = hooks;
  draft.plans.push(mapped);
}

function mapSchedule(r: SourceReader, value: unknown, at: Path, what: string, skipped: SkippedItem[]): Schedule {
  const s = r.optionalObject(value, at);
  if (!s || s.disabled === true) return null;
  const cron = r.optionalString(s.cron, [...at, 'cron']);
  const days = r.optionalNumber(s.maxFrequencyDays, [...at, 'maxFrequencyDays']);
  const hours = r.optionalNumber(s.maxFrequencyHours, [...at, 'maxFrequencyHours']);
  if (s.clock === 'CLOCK_UTC') skipped.push({ what: `${what} clock UTC`, why: 'Backstay schedules run in local time; check the hours' });
  if (cron !== undefined && cron !== '') {
    const fields = cron.trim().split(/\s+/);
    try {
      if (fields.length !== 5) throw new Error(`${fields.length} fields, Backstay takes 5`);
      parseCron(cron);
      return { cron: cron.trim() };
    } catch (err) {
      skipped.push({ what: `${what} "${cron}"`, why: `not a cron expression Backstay can run (${(err as Error).message.replace(/^CronPattern:\s*/, '')}); the plan is manual until you set one` });
      return null;
    }
  }
  if (days) return { everyMinutes: days * 24 * 60 };
  if (hours) return { everyMinutes: hours * 60 };
  return null;
}

function mapRetention(r: SourceReader, value: unknown, at: Path, label: string, skipped: SkippedItem[]): Retention | null {
  const p = r.optionalObject(value, at);
  if (!p || p.policyKeepAll === true) return null;
  const n = (key: string, obj: JsonObject = p, path: Path = at) => {
    const v = r.optionalNumber(obj[key], [...path, key]);
    return v !== undefined && v > 0 ? Math.floor(v) : undefined;
  };
  const keep: Retention = {};
  const set = (key: keyof Retention, v: number | string | undefined) => {
    if (v !== undefined) (keep as Record<string, number | string>)[key] = v;
  };
  const last = n('policyKeepLastN');
  const buckets = r.optionalObject(p.policyTimeBucketed, [...at, 'policyTimeBucketed']);
  if (last !== undefined) set('keepLast', last);
  else if (buckets) {
    const b = [...at, 'policyTimeBucketed'];
    set('keepLast', n('keepLastN', buckets, b));
    set('keepHourly', n('hourly', buckets, b));
    set('keepDaily', n('daily', buckets, b));
    set('keepWeekly', n('weekly', buckets, b));
    set('keepMonthly', n('monthly', buckets, b));
    set('keepYearly', n('yearly', buckets, b));
  } else {
    // Backrest before config version 3 kept the counts on the policy itself.
    set('keepLast', n('keepLastN'));
    set('keepHourly', n('keepHourly'));
    set('keepDaily', n('keepDaily'));
    set('keepWeekly', n('keepWeekly'));
    set('keepMonthly', n('keepMonthly'));
    set('keepYearly', n('keepYearly'));
    const within = r.optionalString(p.keepWithinDuration, [...at, 'keepWithinDuration']);
    if (within) {
      if (/^(?:\d+[ymdh])+$/.test(within)) set('keepWithin', within);
      else skipped.push({ what: `${label} keepWithinDuration "${within}"`, why: 'Backstay takes a restic duration in y, m, d and h' });
    }
  }
  return Object.keys(keep).length ? keep : null;
}

function mapHooks(r: SourceReader, value: unknown, at: Path, label: string, skipped: SkippedItem[]): HookConfig[] {
  const hooks: HookConfig[] = [];
  r.list(value, at).forEach((item, i) => {
    const hook = r.object(item, [...at, i]);
    const where = `${label} hook ${i + 1}`;
    const unsupported = Object.keys(UNSUPPORTED_ACTIONS).find((key) => hook[key] !== undefined);
    if (unsupported) {
      skipped.push({ what: `${where} (${UNSUPPORTED_ACTIONS[unsupported]})`, why: `Backstay cannot send ${UNSUPPORTED_ACTIONS[unsupported]} messages; a URL hook receiving Backstay's JSON can stand in` });
      return;
    }
    const conditions = r.strings(hook.conditions, [...at, i, 'conditions']);
    const on = [...new Set(conditions.flatMap((c) => CONDITION_EVENTS[c] ?? []))];
    const unmapped = conditions.filter((c) => !CONDITION_EVENTS[c]);
    if (unmapped.length) skipped.push({ what: `${where} conditions ${unmapped.join(', ')}`, why: 'Backstay runs hooks only for backups' });
    if (on.length === 0) {
      skipped.push({ what: where, why: 'none of its conditions is a backup event' });
      return;
    }
    const command = r.optionalObject(hook.actionCommand, [...at, i, 'actionCommand']);
    const webhook = r.optionalObject(hook.actionWebhook, [...at, i, 'actionWebhook']);
    if (command) {
      const text = r.optionalString(command.command, [...at, i, 'actionCommand', 'command']) ?? '';
      if (text.includes('{{')) skipped.push({ what: where, why: 'its command uses a Backrest template; Backstay passes the details in environment variables instead' });
      else if (text.trim()) hooks.push({ on, command: text });
    } else if (webhook) {
      const url = r.optionalString(webhook.webhookUrl, [...at, i, 'actionWebhook', 'webhookUrl']) ?? '';
      if (!/^https?:\/\//.test(url)) skipped.push({ what: where, why: 'its URL is not http(s)' });
      else {
        hooks.push({ on, url });
        if (webhook.template) skipped.push({ what: `${where} template`, why: 'Backstay POSTs its own JSON; the URL is imported, the template is not' });
      }
    } else {
      skipped.push({ what: where, why: 'it has an action Backstay does not know' });
      return;
    }
    if (hook.onError && hook.onError !== 'ON_ERROR_IGNORE') {
      skipped.push({ what: `${where} onError ${String(hook.onError)}`, why: 'a failing hook never stops or retries a Backstay backup' });
    }
  });
  return hooks;
}

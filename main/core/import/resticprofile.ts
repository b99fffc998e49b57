// resticprofile's profiles file (YAML, TOML or JSON; format "1" with profiles at the top level, "2" under
// `profiles:`) -> Backstay repos and plans. `inherit` is resolved first (deep merge, the child wins; a cycle or an
// unknown parent is bad input naming the profile). Each profile with a repository gives a repository (profiles that
// share one uri and password share it); each with `backup.source` a plan. Schedules are systemd calendar expressions
// and become cron where cron says the same; templates and what Backstay has no setting for are listed in `skipped`.
import { calendarToCron } from './systemd-calendar.js';
import { SourceReader, type JsonObject, type Path } from './reader.js';
import { absoluteSourcePath, type PathContext } from './source-paths.js';
import { detectFormat, parseSourceText, type SourceFormat } from './source-text.js';
import { emptyDraft, type ImportDraft, type PlanDraft, type RepoDraft, type SkippedItem } from './types.js';

export interface ResticprofileOptions extends PathContext {
  file: string;
  /** Taken from the file name (or the text) when absent. */
  format?: SourceFormat;
}

/** Top-level keys of a version 1 file that are not profiles. */
const V1_RESERVED = new Set(['version', 'global', 'groups', 'includes', 'mixins', 'templates']);
const RETENTION_KEYS = {
  'keep-last': 'keepLast',
  'keep-hourly': 'keepHourly',
  'keep-daily': 'keepDaily',
  'keep-weekly': 'keepWeekly',
  'keep-monthly': 'keepMonthly',
  'keep-yearly': 'keepYearly',
  'keep-within': 'keepWithin',
} as const;
/** Retention keys that only say when or how forget runs; Backstay forgets after each backup of the plan. */
const RETENTION_QUIET = new Set(['after-backup', 'before-backup', 'prune', 'host', 'path', 'tag', 'compact', 'group-by']);
const PROFILE_HANDLED = new Set(['inherit', 'description', 'repository', 'password-file', 'password-command', 'password', 'env', 'backup', 'retention', 'copy', 'prune', 'check', 'initialize', 'lock']);
const BACKUP_HANDLED = new Set(['source', 'exclude', 'schedule', 'schedule-permission', 'schedule-log', 'schedule-priority', 'schedule-lock-mode', 'schedule-lock-wait', 'check-before', 'check-after']);

type Schedule = { cron: string } | null;
type Retention = NonNullable<PlanDraft['retention']>;

export function importResticprofile(text: string, options: ResticprofileOptions): ImportDraft {
  const r: SourceReader = new SourceReader(options.file);
  const draft = emptyDraft();
  // Go template directives on lines of their own ({{ define }}, {{ if }}) are resolved by resticprofile before
  // parsing; Backstay cannot, so the lines are left out and said so. Templates inside values are caught per value.
  const lines = text.split('\n');
  const kept = lines.map((line, i) => {
    if (!/^\s*\{\{.*\}\}\s*$/.test(line)) return line;
    draft.skipped.push({ what: `template line ${i + 1} (${line.trim()})`, why: 'Backstay does not run resticprofile templates' });
    return '';
  });
  const format = options.format ?? detectFormat(text, options.file);
  const root = r.object(parseSourceText(kept.join('\n'), format, options.file), []);

  const rawVersion = root.version ?? '1';
  const version = String(rawVersion);
  let profiles: JsonObject;
  if (version === '1') {
    profiles = Object.fromEntries(Object.entries(root).filter(([key]) => !V1_RESERVED.has(key)));
  } else if (version === '2') {
    profiles = r.optionalObject(root.profiles, ['profiles']) ?? {};
  } else {
    r.fail(['version'], `resticprofile configuration version "${version}" is not one this Backstay knows ("1" or "2")`);
  }
  if (root.groups !== undefined) draft.skipped.push({ what: 'groups', why: 'Backstay has no profile groups; each profile becomes its own plan' });
  if (root.includes !== undefined) draft.skipped.push({ what: 'includes', why: 'included files are not read; import each of them on its own' });
  if (root.mixins !== undefined) draft.skipped.push({ what: 'mixins', why: 'Backstay does not apply resticprofile mixins' });
  const base: Path = version === '2' ? ['profiles'] : [];
  const resolved = resolveInheritance(r, profiles, base);

  const reposByKey = new Map<string, RepoDraft>();
  for (const [name, profile] of resolved) {
    const at: Path = [...base, name];
    const label = `profile "${name}"`;
    const repo = profileRepo(r, profile, at, name, label, draft, reposByKey, options);
    mapMaintenance(r, profile, at, label, repo, draft.skipped);
    for (const key of Object.keys(profile)) {
      if (!PROFILE_HANDLED.has(key)) draft.skipped.push({ what: `${label} ${key}`, why: 'Backstay has no such setting' });
    }
    const backup = r.optionalObject(profile.backup, [...at, 'backup']);
    if (!backup) continue;
    if (!repo) {
      draft.skipped.push({ what: label, why: 'it has a backup section but no repository Backstay can use' });
      continue;
    }
    const plan = profilePlan(r, backup, [...at, 'backup'], name, label, repo.id, draft, options);
    if (!plan) continue;
    plan.retention = mapRetention(r, profile.retention, [...at, 'retention'], label, draft.skipped);
    const copy = r.optionalObject(profile.copy, [...at, 'copy']);
    if (copy) {
      const target = profileRepo(r, copy, [...at, 'copy'], `${name}-copy`, `${label} copy`, draft, reposByKey, options);
      if (!target) draft.skipped.push({ what: `${label} copy`, why: 'it has no repository Backstay can use' });
      else if (target.id === repo.id) draft.skipped.push({ what: `${label} copy`, why: 'it copies to the plan\'s own repository' });
      else {
        const schedule = firstSchedule(r, copy.schedule, [...at, 'copy', 'schedule'], `${label} copy schedule`, draft.skipped);
        plan.mirrors = [{ repo: target.id, schedule }];
      }
    }
    draft.plans.push(plan);
  }
  return draft;
}

/** Every profile with what it inherits merged in. */
function resolveInheritance(r: SourceReader, profiles: JsonObject, base: Path): Map<string, JsonObject> {
  const done = new Map<string, JsonObject>();
  const resolve = (name: string, chain: string[]): JsonObject => {
    const cached = done.get(name);
    if (cached) return cached;
    if (chain.includes(name)) {
      r.fail([...base, chain[chain.length - 1]!, 'inherit'], `inherit cycle: ${[...chain.slice(chain.indexOf(name)), name].join(' -> ')}`);
    }
    const own = r.object(profiles[name], [...base, name]);
    const parentName = r.optionalString(own.inherit, [...base, name, 'inherit']);
    let merged = own;
    if (parentName !== undefined && parentName !== '') {
      if (!Object.hasOwn(profiles, parentName)) r.fail([...base, name, 'inherit'], `inherits from "${parentName}", which is not a profile in this file`);
      merged = deepMerge(resolve(parentName, [...chain, name]), own);
    }
    done.set(name, merged);
    return merged;
  };
  for (const name of Object.keys(profiles)) resolve(name, []);
  return new Map(Object.keys(profiles).map((name) => [name, done.get(name)!]));
}

function deepMerge(parent: JsonObject, child: JsonObject): JsonObject {
  const out: JsonObject = { ...parent };
  for (const [key, value] of Object.entries(child)) {
    const inherited = out[key];
    out[key] = isObject(inherited) && isObject(value) ? deepMerge(inherited, value) : value;
  }
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The repository a profile (or its copy section) names, shared with every other profile naming the same one. */
function profileRepo(
  r: SourceReader,
  section: JsonObject,
  at: Path,
  name: string,
  label: string,
  draft: ImportDraft,
  reposByKey: Map<string, RepoDraft>,
  ctx: PathContext,
): RepoDraft | null {
  const uri = r.optionalString(section.repository, [...at, 'repository']);
  if (uri === undefined || uri === '') return null;
  if (uri.includes('{{')) {
    draft.skipped.push({ what: `${label} repository "${uri}"`, why: 'it uses a template, which Backstay does not expand' });
    return null;
  }
  const env: Record<string, string> = {};
  let password: RepoDraft['password'] | undefined;
  let secret: string | undefined;
  let secretFrom = '';
  const envSection = r.optionalObject(section.env, [...at, 'env']) ?? {};
  for (const [rawName, value] of Object.entries(envSection)) {
    const envName = rawName.toUpperCase();
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
    if (text === null || !/^[A-Z_][A-Z0-9_]*$/.test(envName)) {
      draft.skipped.push({ what: `${label} env ${rawName}`, why: 'not a variable name with a plain value' });
    } else if (text.includes('{{')) {
      draft.skipped.push({ what: `${label} env ${rawName}`, why: 'it uses a template, which Backstay does not expand' });
    } else if (envName === 'RESTIC_PASSWORD') {
      secret = text;
      secretFrom = `${label} env RESTIC_PASSWORD`;
    } else if (envName === 'RESTIC_PASSWORD_FILE') {
      password = { file: text };
    } else if (envName === 'RESTIC_PASSWORD_COMMAND') {
      password = { command: text };
    } else {
      env[envName] = text;
    }
  }
  const inline = r.optionalString(section.password, [...at, 'password']);
  if (inline) {
    secret = inline;
    secretFrom = `${label} password`;
  }
  const file = r.optionalString(section['password-file'], [...at, 'password-file']);
  const command = r.optionalString(section['password-command'], [...at, 'password-command']);
  if (file) {
    const result = absoluteSourcePath(file, ctx);
    if ('path' in result) password = { file: result.path };
    else draft.skipped.push({ what: `${label} password-file "${file}"`, why: result.why });
  } else if (command) {
    if (command.includes('{{')) draft.skipped.push({ what: `${label} password-command`, why: 'it uses a template, which Backstay does not expand' });
    else password = { command };
  }
  const resolvedUri = localRepositoryUri(uri, ctx);
  const identity = JSON.stringify([resolvedUri, password ?? null, secret ?? null, env]);
  const existing = reposByKey.get(identity);
  if (existing) return existing;
  if (password === undefined && secret === undefined) {
    draft.skipped.push({ what: `${label} password`, why: 'no password-file or password-command; Backstay will read RESTIC_PASSWORD until you set one' });
  }
  const repo: RepoDraft = { id: name, uri: resolvedUri, password: password ?? { env: 'RESTIC_PASSWORD' }, env, flags: [] };
  if (secret !== undefined) draft.secrets.push({ repo: name, from: secretFrom, value: secret });
  reposByKey.set(identity, repo);
  draft.repos.push(repo);
  return repo;
}

/** restic takes a plain path as a local repository; a relative one is made absolute against the profiles file. */
function localRepositoryUri(uri: string, ctx: PathContext): string {
  const local = /^local:(.*)$/.exec(uri);
  const p = local ? local[1]! : uri;
  if (!local && /^[a-z0-9]+:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return uri; // sftp:, rest:, s3:, rclone: ...
  const result = absoluteSourcePath(p, ctx);
  return 'path' in result ? `${local ? 'local:' : ''}${result.path}` : uri;
}

function profilePlan(
  r: SourceReader,
  backup: JsonObject,
  at: Path,
  name: string,
  label: string,
  repoId: string,
  draft: ImportDraft,
  ctx: PathContext,
): PlanDraft | null {
  const paths: string[] = [];
  for (const raw of r.strings(backup.source, [...at, 'source'])) {
    const result = absoluteSourcePath(raw, ctx);
    if ('path' in result) paths.push(result.path);
    else draft.skipped.push({ what: `${label} source "${raw}"`, why: result.why });
  }
  if (paths.length === 0) {
    draft.skipped.push({ what: `${label} backup`, why: 'it has no source Backstay can back up' });
    return null;
  }
  const excludes: string[] = [];
  for (const pattern of r.strings(backup.exclude, [...at, 'exclude'])) {
    if (pattern.includes('{{')) draft.skipped.push({ what: `${label} exclude "${pattern}"`, why: 'it uses a template, which Backstay does not expand' });
    else excludes.push(pattern);
  }
  for (const key of Object.keys(backup)) {
    if (!BACKUP_HANDLED.has(key)) draft.skipped.push({ what: `${label} backup ${key}`, why: 'Backstay has no such setting' });
  }
  return {
    id: name,
    repo: repoId,
    paths,
    excludes,
    schedule: firstSchedule(r, backup.schedule, [...at, 'schedule'], `${label} schedule`, draft.skipped),
    retention: null,
  };
}

/** Backstay runs one schedule per plan: the first one that maps; the rest are listed. */
function firstSchedule(r: SourceReader, value: unknown, at: Path, what: string, skipped: SkippedItem[]): Schedule {
  let chosen: Schedule = null;
  for (const expression of r.strings(value, at)) {
    if (expression.includes('{{')) {
      skipped.push({ what: `${what} "${expression}"`, why: 'it uses a template, which Backstay does not expand' });
      continue;
    }
    const converted = calendarToCron(expression);
    if ('why' in converted) skipped.push({ what: `${what} "${expression}"`, why: converted.why });
    else if (chosen) skipped.push({ what: `${what} "${expression}"`, why: `Backstay runs one schedule per plan; kept "${chosen.cron}"` });
    else chosen = { cron: converted.cron };
  }
  return chosen;
}

function mapRetention(r: SourceReader, value: unknown, at: Path, label: string, skipped: SkippedItem[]): Retention | null {
  const section = r.optionalObject(value, at);
  if (!section) return null;
  const keep: Record<string, number | string> = {};
  for (const [key, raw] of Object.entries(section)) {
    const target = RETENTION_KEYS[key as keyof typeof RETENTION_KEYS];
    if (target === 'keepWithin') {
      const within = String(raw);
      if (/^(?:\d+[ymdh])+$/.test(within)) keep.keepWithin = within;
      else skipped.push({ what: `${label} retention keep-within "${within}"`, why: 'Backstay takes a restic duration in y, m, d and h' });
    } else if (target) {
      const n = r.optionalNumber(raw, [...at, key]);
      if (n !== undefined && n > 0) keep[target] = Math.floor(n);
    } else if (!RETENTION_QUIET.has(key)) {
      skipped.push({ what: `${label} retention ${key}`, why: 'Backstay has no such retention rule' });
    }
  }
  return Object.keys(keep).length ? (keep as Retention) : null;
}

function mapMaintenance(r: SourceReader, profile: JsonObject, at: Path, label: string, repo: RepoDraft | null, skipped: SkippedItem[]): void {
  for (const kind of ['prune', 'check'] as const) {
    const section = r.optionalObject(profile[kind], [...at, kind]);
    if (!section || section.schedule === undefined) continue;
    const schedule = firstSchedule(r, section.schedule, [...at, kind, 'schedule'], `${label} ${kind} schedule`, skipped);
    if (!schedule) continue;
    if (!repo) {
      skipped.push({ what: `${label} ${kind} schedule`, why: 'the profile has no repository Backstay can use' });
      continue;
    }
    repo.maintenance = { ...repo.maintenance, [kind]: schedule };
  }
}

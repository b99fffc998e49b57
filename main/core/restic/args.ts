// Argument lists for each restic command Backstay runs. Pure functions: no I/O, no secrets (passwords go
// through env.ts, never argv). The repository's own `flags` from the config come first.
import { BackstayError } from '../../common/errors.js';
import type { Retention } from '../../common/state.js';
import type { RestoreOverwriteMode } from '../../common/operation.js';
import type { ResticVersion } from './version.js';
import { resticFeatures } from './version.js';

export interface CommonArgs {
  /** The repository's `flags` from the config, e.g. ["--limit-upload", "1000"]. */
  flags?: readonly string[];
}

/** The tag that marks a snapshot as made by a plan (`backstay:plan=<id>`); forget and snapshots filter on it. */
export const PLAN_TAG_PREFIX = 'backstay:plan=';

export function planTag(planId: string): string {
  return PLAN_TAG_PREFIX + planId;
}

export function backupArgs(o: CommonArgs & {
  planId: string;
  paths: readonly string[];
  /** Patterns passed as `--exclude` arguments. */
  excludes?: readonly string[];
  /** A file of further patterns, one a line (`--exclude-file`); see splitExcludes. */
  excludeFile?: string | null;
  /** Anything else, placed before `--` (e.g. ["--one-file-system"]). */
  extra?: readonly string[];
}): string[] {
  if (o.paths.length === 0) throw new BackstayError('BAD_PARAMS', `Plan "${o.planId}" has no paths to back up.`);
  const args = [...(o.flags ?? []), 'backup', '--json', '--tag', planTag(o.planId)];
  for (const pattern of o.excludes ?? []) args.push('--exclude', pattern);
  if (o.excludeFile) args.push('--exclude-file', o.excludeFile);
  args.push(...(o.extra ?? []));
  // `--` so a path that starts with "-" is never read as a flag.
  args.push('--', ...o.paths);
  return args;
}

/** More excludes than this, or more characters in all, go through `--exclude-file` rather than the command line. */
export const EXCLUDE_FILE_MIN_PATTERNS = 100;
export const EXCLUDE_FILE_MIN_CHARS = 8 * 1024;

/**
 * Which excludes go on the command line and which into an exclude file. A long list on the command line can exceed
 * what the system allows for one (E2BIG: 100,000 excludes), so past a few KB they go into a file. restic reads an
 * exclude file line by line, trims each line, skips empty ones and ones starting with "#", and expands `$VAR`: a
 * pattern that would read differently there (a "$", a leading "#", surrounding spaces, a line break) stays on the
 * command line, so a pattern always means what it means as `--exclude`.
 */
export function splitExcludes(excludes: readonly string[]): { onCommandLine: string[]; inFile: string[] } {
  const chars = excludes.reduce((n, p) => n + p.length + 12, 0);
  if (excludes.length <= EXCLUDE_FILE_MIN_PATTERNS && chars <= EXCLUDE_FILE_MIN_CHARS) {
    return { onCommandLine: [...excludes], inFile: [] };
  }
  const onCommandLine: string[] = [];
  const inFile: string[] = [];
  for (const pattern of excludes) (readsTheSameInExcludeFile(pattern) ? inFile : onCommandLine).push(pattern);
  return { onCommandLine, inFile };
}

function readsTheSameInExcludeFile(pattern: string): boolean {
  return (
    pattern !== '' &&
    pattern.trim() === pattern &&
    !pattern.startsWith('#') &&
    !pattern.includes('$') &&
    !/[\r\n\0\u0085]/.test(pattern)
  );
}

const KEEP_FLAGS: ReadonlyArray<[keyof Retention, string]> = [
  ['keepLast', '--keep-last'],
  ['keepHourly', '--keep-hourly'],
  ['keepDaily', '--keep-daily'],
  ['keepWeekly', '--keep-weekly'],
  ['keepMonthly', '--keep-monthly'],
  ['keepYearly', '--keep-yearly'],
  ['keepWithin', '--keep-within'],
];

/**
 * `forget` for one plan's snapshots. Grouping is `host,tags` rather than restic's default `host,paths`:
 * the tag filter already narrows to this plan, and grouping by paths would start a new group whenever the
 * user edits the plan's paths, so the old group would never be thinned out. With `host,tags` the policy
 * applies to the plan's whole history on each host.
 */
export function forgetArgs(o: CommonArgs & { planId: string; retention: Retention; prune?: boolean; dryRun?: boolean }): string[] {
  const keep: string[] = [];
  for (const [field, flag] of KEEP_FLAGS) {
    const value = o.retention[field];
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && (!Number.isInteger(value) || value < 1)) {
      throw new BackstayError('BAD_PARAMS', `Retention ${field} must be a whole number of at least 1 (got ${value}).`);
    }
    keep.push(flag, String(value));
  }
  if (keep.length === 0) {
    // restic would then keep everything; calling forget for that is a mistake upstream.
    throw new BackstayError('BAD_PARAMS', `Plan "${o.planId}" has no retention rule, so there is nothing to forget.`);
  }
  const args = [...(o.flags ?? []), 'forget', '--json', '--tag', planTag(o.planId), '--group-by', 'host,tags', ...keep];
  if (o.prune) args.push('--prune');
  if (o.dryRun) args.push('--dry-run');
  return args;
}

/** `forget ID...`: exactly these snapshots, whatever the retention rules say. */
export function forgetSnapshotsArgs(o: CommonArgs & { snapshotIds: readonly string[] }): string[] {
  if (o.snapshotIds.length === 0) throw new BackstayError('BAD_PARAMS', 'Choose at least one snapshot to forget.');
  return [...(o.flags ?? []), 'forget', ...o.snapshotIds.map((id) => checkedSnapshotId(id))];
}

export function pruneArgs(o: CommonArgs & { maxUnused?: string; dryRun?: boolean } = {}): string[] {
  const args = [...(o.flags ?? []), 'prune'];
  if (o.maxUnused) args.push('--max-unused', o.maxUnused);
  if (o.dryRun) args.push('--dry-run');
  return args;
}

/** `check`, optionally reading a subset of the data ("10%", "1/5", "500M"). */
export function checkArgs(o: CommonArgs & { readDataSubset?: string | null } = {}): string[] {
  const args = [...(o.flags ?? []), 'check'];
  if (o.readDataSubset) args.push('--read-data-subset', o.readDataSubset);
  return args;
}

/** `unlock` removes only stale locks; `--remove-all` (which also breaks live ones) only when asked for. */
export function unlockArgs(o: CommonArgs & { removeAll?: boolean } = {}): string[] {
  const args = [...(o.flags ?? []), 'unlock'];
  if (o.removeAll === true) args.push('--remove-all');
  return args;
}

export function repairIndexArgs(version: Pick<ResticVersion, 'major' | 'minor' | 'patch'>, o: CommonArgs = {}): string[] {
  return [...(o.flags ?? []), ...resticFeatures(version).repairIndexArgs];
}

export type StatsMode = 'restore-size' | 'files-by-contents' | 'blobs-per-file' | 'raw-data';

export function statsArgs(o: CommonArgs & { mode?: StatsMode; snapshotIds?: readonly string[] } = {}): string[] {
  const args = [...(o.flags ?? []), 'stats', '--json', '--mode', o.mode ?? 'restore-size'];
  for (const id of o.snapshotIds ?? []) args.push(checkedSnapshotId(id));
  return args;
}

export function snapshotsArgs(o: CommonArgs & { planId?: string | null; tag?: string | null } = {}): string[] {
  const args = [...(o.flags ?? []), 'snapshots', '--json'];
  const tag = o.tag ?? (o.planId ? planTag(o.planId) : null);
  if (tag) args.push('--tag', tag);
  return args;
}

/** `ls --json SNAPSHOT [dir]`: 0.14 prints one JSON object per line with `struct_type` snapshot|node. */
export function lsArgs(o: CommonArgs & { snapshotId: string; path?: string | null; tag?: string | null }): string[] {
  // --tag picks which snapshot "latest" means (the plan's newest); it does not filter the listing.
  const args = [...(o.flags ?? []), 'ls', '--json', ...(o.tag ? ['--tag', o.tag] : []), checkedSnapshotId(o.snapshotId)];
  if (o.path) args.push(o.path);
  return args;
}

/**
 * `restore`; `--json` only where it exists (0.16+), older versions print text. `includes` are restic's patterns
 * (see escapeIncludePattern for a path that must match itself only); none, or "/", restores the whole snapshot.
 */
export function restoreArgs(
  version: Pick<ResticVersion, 'major' | 'minor' | 'patch'>,
  o: CommonArgs & { snapshotId: string; target: string; includes?: readonly string[]; verify?: boolean; overwrite?: RestoreOverwriteMode },
): string[] {
  if (!o.target) throw new BackstayError('TARGET_INVALID', 'A restore needs a target folder.');
  const args = [...(o.flags ?? []), 'restore', checkedSnapshotId(o.snapshotId), '--target', o.target];
  for (const include of o.includes ?? []) if (include !== '' && include !== '/') args.push('--include', include);
  if (o.verify) args.push('--verify');
  if (o.overwrite) {
    // restic before 0.17 has no choice: it always overwrites. Asking it for anything else must not silently overwrite.
    if (resticFeatures(version).restoreOverwrite) args.push('--overwrite', o.overwrite);
    else if (o.overwrite !== 'always') {
      throw new BackstayError('NOT_SUPPORTED', `This restic always overwrites existing files on restore; "--overwrite ${o.overwrite}" needs restic 0.17 or later.`);
    }
  }
  if (resticFeatures(version).restoreJson) args.push('--json');
  return args;
}

/** restic's include patterns are globs; a name with "*", "?" or "[" must match itself only. */
export function escapeIncludePattern(p: string, platform: NodeJS.Platform = process.platform): string {
  // On Windows "\" is the separator, so restic has no escape there; such names cannot be selected exactly.
  if (platform === 'win32') return p;
  return p.replace(/[\\*?[]/g, (c) => '\\' + c);
}

export function initArgs(o: CommonArgs = {}): string[] {
  return [...(o.flags ?? []), 'init'];
}

/** `diff --json` exists already in 0.14 (lines with message_type "change" and a final "statistics"). */
export function diffArgs(o: CommonArgs & { from: string; to: string }): string[] {
  return [...(o.flags ?? []), 'diff', '--json', checkedSnapshotId(o.from), checkedSnapshotId(o.to)];
}

/** `dump SNAPSHOT PATH`: a file's bytes, or a folder as a tar stream (restic's default archive). */
export function dumpArgs(o: CommonArgs & { snapshotId: string; path: string }): string[] {
  // An absolute path is never read as a flag; the caller has checked it is in the snapshot.
  if (!o.path.startsWith('/')) throw new BackstayError('PATH_NOT_IN_SNAPSHOT', `"${o.path}" is not an absolute path in the snapshot.`);
  return [...(o.flags ?? []), 'dump', checkedSnapshotId(o.snapshotId), o.path];
}

/** A snapshot id (short or full hex), `latest`, optionally with restic's `:subfolder` suffix (0.17+). Never a flag. */
const SNAPSHOT_ID = /^(latest|[0-9a-f]{4,64})(:[^\0]*)?$/i;

function checkedSnapshotId(id: string): string {
  if (!SNAPSHOT_ID.test(id)) throw new BackstayError('UNKNOWN_SNAPSHOT', `"${id}" is not a snapshot id.`);
  return id;
}

/** restic's global bandwidth flags (KiB/s); a null direction is unlimited and gets no flag. */
export function limitArgs(o: { uploadKiBs: number | null; downloadKiBs: number | null }): string[] {
  const args: string[] = [];
  for (const [flag, value] of [['--limit-upload', o.uploadKiBs], ['--limit-download', o.downloadKiBs]] as const) {
    if (value === null) continue;
    if (!Number.isInteger(value) || value < 1) throw new BackstayError('BAD_PARAMS', `${flag} must be a whole number of KiB/s of at least 1 (got ${value}).`);
    args.push(flag, String(value));
  }
  return args;
}

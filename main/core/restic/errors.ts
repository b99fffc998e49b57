// How a finished restic process ended, in words a user understands.
//
// restic 0.17+ has distinct exit codes (10 no repository, 11 locked, 12 wrong password from 0.17.1, 130
// cancelled) and 0.18+ an `exit_error` JSON line; 0.14-0.16 exit 1 for all of these (130 on SIGINT is real
// in 0.14 too), so the words on stderr decide there. The texts matched below were captured from real restic 0.14
// (see errors.test.ts) and from restic's sources for later versions.
import type { OpError, OpKind, TerminalStatus } from '../../common/operation.js';
import type { ResticVersion } from './version.js';
import { resticFeatures } from './version.js';
import { redactSecrets, redactUri } from './redact.js';

/** What ran: an operation kind, or one of the read-only commands run outside the oplog (snapshots, ls, ...). */
export type ResticCommandKind = OpKind | 'snapshots' | 'ls' | 'diff' | 'dump' | 'find' | 'init' | 'version';

export interface ResticExitInput {
  exitCode: number | null;
  signal: string | null;
  /** The last lines restic wrote to stderr (text lines; JSON lines are fine too). */
  stderrTail: string[];
  /** restic 0.18+'s `exit_error` message, if one was seen. */
  exitError?: { code: number; message: string } | null;
  version: Pick<ResticVersion, 'major' | 'minor' | 'patch'> | null;
  kind: ResticCommandKind;
  /** The user (or shutdown) asked for this operation to stop. */
  cancelRequested: boolean;
  /** Values to redact from `detail` (from buildResticEnv). */
  secrets?: readonly string[];
}

export interface ResticExitOutcome {
  status: TerminalStatus;
  error: OpError | null;
}

/**
 * Code for a backup that saved a snapshot but could not read some files (restic exit 3). Not (yet) in
 * common/errors.ts ERROR_CODES; OpError.code is a string for exactly this kind of growth.
 */
export const PARTIAL_BACKUP_CODE = 'PARTIAL';

// eslint-disable-next-line no-control-regex
const TERMINAL_CODES = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** restic redraws its status line with terminal escape codes (e.g. "\x1b[2K"); they are noise in messages. */
export function stripTerminalCodes(text: string): string {
  return text.includes('\x1b') ? text.replace(TERMINAL_CODES, '') : text;
}

export function classifyResticExit(input: ResticExitInput): ResticExitOutcome {
  const lines = input.stderrTail.map((l) => stripTerminalCodes(l).trimEnd()).filter((l) => l.trim() !== '');
  if (input.exitError?.message) lines.push(input.exitError.message);
  const detailOf = (line: string | null | undefined): string | null =>
    line ? redactUri(redactSecrets(line, input.secrets ?? [])) : null;
  const fail = (code: string, message: string, line?: string | null): ResticExitOutcome => ({
    status: 'error',
    error: { code, message, detail: detailOf(line ?? lastRelevantLine(lines)) },
  });

  const code = input.exitCode;
  if (code === 0 && !input.signal) return successOrSourceWarning(input.kind, lines, detailOf);
  if (code === 3 && input.kind === 'backup') {
    return {
      status: 'warning',
      error: {
        code: PARTIAL_BACKUP_CODE,
        message: 'The snapshot was saved, but some files could not be read.',
        detail: detailOf(lastRelevantLine(lines)),
      },
    };
  }
  if (input.cancelRequested) {
    return { status: 'cancelled', error: { code: 'CANCELLED', message: 'Cancelled.', detail: detailOf(lastRelevantLine(lines)) } };
  }
  if (input.signal) {
    return fail('RESTIC_KILLED', `restic was stopped by the signal ${input.signal} before it finished.`);
  }
  if (code === 130) {
    return { status: 'cancelled', error: { code: 'CANCELLED', message: 'restic was interrupted (exit code 130).', detail: detailOf(lastRelevantLine(lines)) } };
  }

  const exitCodes = input.version ? resticFeatures(input.version) : null;
  const effectiveCode = input.exitError?.code ?? code;
  const byWords = classifyByWords(lines, input.kind);
  if (byWords) return fail(byWords.code, byWords.message, byWords.line);
  // Words first (they carry who holds a lock, which path is missing), exit codes when the words are unknown.
  if (!exitCodes || exitCodes.exitCodesRepoLockedCancelled) {
    if (effectiveCode === 10) return fail('NO_REPOSITORY', 'There is no restic repository at the configured location.');
    if (effectiveCode === 11) return fail('REPOSITORY_LOCKED', 'The repository is locked by another restic process.');
  }
  if ((!exitCodes || exitCodes.exitCodeWrongPassword) && effectiveCode === 12) {
    return fail('WRONG_PASSWORD', 'The repository password is wrong.');
  }
  return fail('RESTIC_FAILED', code === null ? 'restic ended without an exit code.' : `restic failed (exit code ${code}).`);
}

/** Exit 0 — but restic 0.14 skips a missing source path with only a line on stderr; a user must hear of it. */
function successOrSourceWarning(
  kind: ResticCommandKind,
  lines: string[],
  detailOf: (line: string) => string | null,
): ResticExitOutcome {
  if (kind === 'backup') {
    const missing = missingSourcePaths(lines);
    if (missing.paths.length > 0) {
      return {
        status: 'warning',
        error: {
          code: 'SOURCE_MISSING',
          message: `${describePaths(missing.paths)} ${missing.paths.length === 1 ? 'does' : 'do'} not exist and ${missing.paths.length === 1 ? 'was' : 'were'} not backed up.`,
          detail: detailOf(missing.line!),
        },
      };
    }
  }
  return { status: 'success', error: null };
}

interface WordsMatch {
  code: string;
  message: string;
  line: string;
}

function classifyByWords(lines: string[], kind: ResticCommandKind): WordsMatch | null {
  const find = (re: RegExp): string | undefined => findLast(lines, (l) => re.test(l));

  let line = find(/wrong password or no key found/i);
  if (line) return { code: 'WRONG_PASSWORD', message: 'The repository password is wrong (restic found no key that opens it).', line };
  line = find(/empty password is not a password|reading repository password from stdin|Resolving password failed|password command failed/i);
  if (line) return { code: 'WRONG_PASSWORD', message: `restic could not get the repository password: ${passwordProblem(line)}`, line };

  line = find(/repository is already locked/i);
  if (line) return { code: 'REPOSITORY_LOCKED', message: describeLock(line, lines), line };

  // Before "no repository": restic 0.14 reports an unreachable server as "unable to open config file ...".
  line = find(/connection refused|dial tcp|i\/o timeout|no such host|network is unreachable|connection reset|TLS handshake|context deadline exceeded|unable to start the sftp session|ssh: /i);
  if (line) return { code: 'NETWORK', message: 'restic could not reach the repository (network or server problem).', line };

  line = find(/Is there a repository at the following location\?|unable to open config file|repository does not exist|config file does not exist/i);
  if (line) {
    const where = repositoryLocation(lines);
    const message = where
      ? `There is no restic repository at ${redactUri(where)} (or it cannot be read). Check the address, or initialise it first.`
      : 'There is no restic repository at the configured location (or it cannot be read).';
    return { code: 'NO_REPOSITORY', message, line: find(/^Fatal:/) ?? line };
  }

  if (kind === 'backup') {
    const missing = missingSourcePaths(lines);
    const all = find(/all (target|source) directories\/files do not exist/i);
    if (all || missing.paths.length > 0) {
      const message = missing.paths.length
        ? `Nothing to back up: ${describePaths(missing.paths)} ${missing.paths.length === 1 ? 'does' : 'do'} not exist.`
        : 'Nothing to back up: none of the plan\'s paths exist.';
      return { code: 'SOURCE_MISSING', message, line: all ?? missing.line! };
    }
  }

  line = find(/unable to load index|load index files|LoadIndex|index .*(damaged|invalid|corrupt|inconsistent)|is not contained in index|pack [0-9a-f]+ (does not exist|not found)|blob [0-9a-f]+ not found|run ["'`]?(restic )?(rebuild-index|repair index)/i);
  if (line) {
    return {
      code: 'INDEX_DAMAGED',
      message: 'The repository index is damaged or incomplete. Run "Repair index", then check the repository.',
      line,
    };
  }

  if (kind === 'check') {
    line = find(/repository contains errors|error: /i);
    if (line) return { code: 'RESTIC_FAILED', message: 'restic check found problems in the repository.', line };
  }
  return null;
}

/** "repository is already locked [exclusively ]by PID 123 on host by user (UID 0, GID 0)" -> plain words. */
function describeLock(line: string, lines: string[]): string {
  const who = /locked (exclusively )?by PID (\d+) on (\S+) by (.+?) \(UID/i.exec(line);
  const created = findLast(lines, (l) => /^lock was created at /i.test(l));
  const since = created ? / at (.+?)(?: \(|$)/.exec(created)?.[1] : undefined;
  const advice = 'If that process is no longer running, "Unlock" removes the stale lock.';
  if (!who) return `The repository is locked by another restic process. ${advice}`;
  const [, exclusive, pid, host, user] = who;
  return (
    `The repository is ${exclusive ? 'exclusively ' : ''}locked by another restic process: PID ${pid} on host "${host}", user ${user}` +
    `${since ? `, since ${since}` : ''}. ${advice}`
  );
}

function repositoryLocation(lines: string[]): string | null {
  const i = lines.findIndex((l) => /Is there a repository at the following location\?/i.test(l));
  if (i >= 0 && lines[i + 1]) return lines[i + 1]!.trim();
  return null;
}

function passwordProblem(line: string): string {
  if (/empty password|from stdin/i.test(line)) return 'none was given.';
  const rest = line.replace(/^.*Resolving password failed:\s*/i, '').replace(/^Fatal:\s*/i, '').trim();
  return rest ? `${rest}.` : 'the password source failed.';
}

/** "<path> does not exist, skipping" lines (0.14 text; later versions print the same words). */
function missingSourcePaths(lines: string[]): { paths: string[]; line: string | null } {
  const paths: string[] = [];
  let last: string | null = null;
  for (const l of lines) {
    const m = /^(.*\S) does not exist, skipping$/.exec(l.trim());
    if (m) {
      paths.push(m[1]!);
      last = l;
    }
  }
  return { paths, line: last };
}

function describePaths(paths: string[]): string {
  const quoted = paths.slice(0, 3).map((p) => `"${p}"`);
  const more = paths.length > 3 ? ` and ${paths.length - 3} more` : '';
  return quoted.join(', ') + more;
}

/** The line that best says what went wrong: the last "Fatal:" line, else the last non-status line. */
function lastRelevantLine(lines: string[]): string | null {
  return (
    findLast(lines, (l) => /^Fatal:|^error:|^Error/i.test(l.trim())) ??
    findLast(lines, (l) => !l.startsWith('{"message_type":"status"') && !/signal interrupt received/i.test(l)) ??
    null
  );
}

function findLast(lines: string[], test: (line: string) => boolean): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i]!)) return lines[i];
  return undefined;
}

export interface SpawnFailure {
  /** The system's code: ENOENT, EACCES, E2BIG, ... (null when it gave none). */
  code: string | null;
  /** The system's short text ("spawn E2BIG"), never the argument list. */
  message: string;
}

/** Most a spawn error's words may take in an error (the whole argv of 100,000 excludes once went into one). */
const MAX_SPAWN_DETAIL_CHARS = 500;

/**
 * restic could not be started at all. Coded for what happened: only ENOENT means "not found"; E2BIG means the
 * command line was too long (many excludes: restic reads them from a file instead); anything else is a start failure.
 * Bounded: the message and detail together stay well under a few KB whatever the arguments were.
 */
export function classifySpawnFailure(
  failure: SpawnFailure,
  context: { binary: string; argCount?: number; argBytes?: number; secrets?: readonly string[] },
): OpError {
  const cut = (text: string) => (text.length > MAX_SPAWN_DETAIL_CHARS ? `${text.slice(0, MAX_SPAWN_DETAIL_CHARS)}…` : text);
  const binary = cut(context.binary);
  const size =
    context.argCount !== undefined && context.argBytes !== undefined
      ? ` (${context.argCount} arguments, ${context.argBytes} bytes)`
      : '';
  const detail = cut(redactSecrets(`${failure.message}${size}`, context.secrets ?? []));
  switch (failure.code) {
    case 'E2BIG':
      return {
        code: 'TOO_MANY_ARGUMENTS',
        message: 'restic could not be started: the command line is too long for the system; use an exclude file (or fewer excludes).',
        detail,
      };
    case 'ENOENT':
      return { code: 'RESTIC_NOT_FOUND', message: `restic was not found at ${binary}.`, detail };
    case 'EACCES':
      return {
        code: 'RESTIC_START_FAILED',
        message: `restic could not be started: permission denied for ${binary} (is it executable?).`,
        detail,
      };
    default:
      return {
        code: 'RESTIC_START_FAILED',
        message: `restic could not be started${failure.code ? ` (${failure.code})` : ''}.`,
        detail,
      };
  }
}

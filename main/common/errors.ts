// Error codes that cross process and host boundaries (RPC, CLI, oplog). Each maps to words a person understands.

export const ERROR_CODES = [
  // restic outcomes
  'PARTIAL', // snapshot saved, some files could not be read (restic exit 3)
  'NO_REPOSITORY',
  'LOCATION_NOT_EMPTY', // a repository to create in a local folder that holds other files
  'REPOSITORY_LOCKED',
  'WRONG_PASSWORD',
  'PASSWORD_MISSING', // the desktop keychain holds no password for a repository whose password is kept there
  'CANCELLED',
  'INTERRUPTED',
  'SOURCE_MISSING',
  'INDEX_DAMAGED',
  'NETWORK',
  'RESTIC_FAILED',
  'RESTIC_NOT_FOUND',
  'RESTIC_TOO_OLD',
  'RESTIC_KILLED',
  'NO_SNAPSHOT', // restic ended without saving a snapshot (a backup that cannot be reported as done)
  'MIRROR_INVALID', // a copy to a mirror that cannot work: the plan's own repository, not a mirror of the plan, conflicting backend variables
  'VERIFY_FAILED', // a restore test found files that did not restore, or restored different from the source
  'NOTHING_TO_VERIFY', // a restore test of a plan that has no snapshot yet: nothing is broken, there is nothing to test
  'TOO_MANY_ARGUMENTS', // the command line was too long for the OS (E2BIG)
  'RESTIC_START_FAILED', // restic could not be started (not executable, out of resources)
  // configuration and input
  'CONFIG_INVALID',
  'CONFIG_CHANGED', // config.json was edited outside Backstay after it was read: a save is refused, not merged blindly
  'UNKNOWN_PLAN',
  'UNKNOWN_REPO',
  'REPO_IN_USE', // a repository to remove that a plan backs up to or mirrors to
  'UNKNOWN_OPERATION',
  'UNKNOWN_SNAPSHOT',
  'PATH_NOT_IN_SNAPSHOT',
  'TARGET_INVALID',
  'BAD_PARAMS',
  'UNKNOWN_METHOD',
  'ALREADY_RUNNING',
  'NOT_SUPPORTED',
  'IMPORT_INVALID', // a file to import that cannot be read as the tool it claims to come from (see its message)
  // transport
  'UNAUTHORIZED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'HOST_RUNNING', // another Backstay host already runs on this data directory
  'OPLOG_CORRUPT',
  'NOT_FOUND',
  'NOT_A_FOLDER', // a folder was asked for and the path is a file (fs.listDirs)
  'FOLDER_UNREADABLE', // a folder Backstay may not list (permissions)
  'STORAGE_FAILED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error whose message is already fit to show to a user. */
export class BackstayError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | null;
  constructor(code: ErrorCode, message: string, detail: string | null = null) {
    super(message);
    this.name = 'BackstayError';
    this.code = code;
    this.detail = detail;
  }
}

/** HTTP status for an error code, used by `serve`. */
export function httpStatusFor(code: ErrorCode | string): number {
  switch (code) {
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNKNOWN_PLAN':
    case 'UNKNOWN_REPO':
    case 'UNKNOWN_OPERATION':
    case 'UNKNOWN_SNAPSHOT':
    case 'UNKNOWN_METHOD':
    case 'NOT_FOUND':
    case 'PATH_NOT_IN_SNAPSHOT':
      return 404;
    case 'BAD_PARAMS':
    case 'CONFIG_INVALID':
    case 'TARGET_INVALID':
    case 'SOURCE_MISSING':
    case 'IMPORT_INVALID':
      return 400;
    case 'ALREADY_RUNNING':
    case 'CONFIG_CHANGED':
    case 'REPO_IN_USE':
      return 409;
    case 'INTERNAL':
    case 'STORAGE_FAILED':
      return 500;
    default:
      return 422;
  }
}

// A restic version and what it can do, in one place, so callers never compare version numbers themselves.

export interface ResticVersion {
  major: number;
  minor: number;
  patch: number;
  /** restic's own first line, e.g. "restic 0.14.0 compiled with go1.19.8 on linux/amd64". */
  raw: string;
}

export const MIN_RESTIC_VERSION = { major: 0, minor: 14, patch: 0 } as const;

/** Parses the first line of `restic version`. Dev builds ("0.16.4-dev") count as their base version. */
export function parseResticVersion(output: string): ResticVersion | null {
  const raw = output.split('\n', 1)[0]!.trim();
  const m = /restic\s+v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw };
}

export function compareVersion(a: Pick<ResticVersion, 'major' | 'minor' | 'patch'>, b: Pick<ResticVersion, 'major' | 'minor' | 'patch'>): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** What differs between restic versions, in one place, so callers never compare version numbers themselves. */
export interface ResticFeatures {
  /** Arguments of the index repair command: `rebuild-index` before 0.16, `repair index` from 0.16. */
  repairIndexArgs: string[];
  /** `restore --json` prints status/summary lines (0.16+). */
  restoreJson: boolean;
  /** `restore --overwrite always|if-changed|if-newer|never` exists (0.17+); before, restore always overwrites. */
  restoreOverwrite: boolean;
  /** Exit codes 10 (no repository), 11 (locked) and 130 (cancelled) exist (0.17+); before, all are 1. */
  exitCodesRepoLockedCancelled: boolean;
  /** Exit code 12 (wrong password) exists (0.17.1+). */
  exitCodeWrongPassword: boolean;
  /** Fatal errors come as an `exit_error` JSON line on stderr (0.18+). */
  exitErrorJson: boolean;
  /** Item `error` messages carry `error.message` (0.17.1+) rather than a serialised Go error object. */
  errorMessageField: boolean;
  /** restic exits cleanly on SIGTERM (0.17+); 0.14-0.16 die at once and leave a lock behind. */
  trapsSigterm: boolean;
  /** `--retry-lock` exists (0.16+). */
  retryLock: boolean;
  /** `init --json` exists (0.15+). */
  initJson: boolean;
  /** Default status lines per second with --json: 60 up to 0.18, 10 from 0.19 (RESTIC_PROGRESS_FPS overrides). */
  statusLinesPerSecond: number;
}

export function resticFeatures(v: Pick<ResticVersion, 'major' | 'minor' | 'patch'>): ResticFeatures {
  const atLeast = (minor: number, patch = 0): boolean => compareVersion(v, { major: 0, minor, patch }) >= 0;
  return {
    repairIndexArgs: atLeast(16) ? ['repair', 'index'] : ['rebuild-index'],
    restoreJson: atLeast(16),
    restoreOverwrite: atLeast(17),
    exitCodesRepoLockedCancelled: atLeast(17),
    exitCodeWrongPassword: atLeast(17, 1),
    exitErrorJson: atLeast(18),
    errorMessageField: atLeast(17, 1),
    trapsSigterm: atLeast(17),
    retryLock: atLeast(16),
    initJson: atLeast(15),
    statusLinesPerSecond: atLeast(19) ? 10 : 60,
  };
}

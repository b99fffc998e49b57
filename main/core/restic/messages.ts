// restic's JSON messages (0.14 through 0.19), normalised. Unknown fields are ignored; unknown message types
// become `unknown` so the caller may keep them as log lines.
import type { BackupSummary, Progress } from '../../common/index.js';

export type ResticMessage =
  | { type: 'status'; progress: Progress; action?: string }
  | { type: 'verbose_status'; action: string; item: string | null; dataSize?: number }
  | { type: 'summary'; summary: BackupSummary; snapshotId: string | null; dryRun?: boolean }
  | { type: 'error'; message: string; during: string | null; item: string | null }
  | { type: 'exit_error'; code: number; message: string }
  | { type: 'restore_status'; progress: Progress }
  | { type: 'restore_summary'; summary: Record<string, unknown> }
  | { type: 'unknown'; raw: Record<string, unknown> }
  /** A line that is not JSON (restic prints plain text too, and 0.14 has no JSON for many commands). */
  | { type: 'text'; text: string };

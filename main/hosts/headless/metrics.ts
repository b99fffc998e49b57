// `GET /metrics`: the state in Prometheus text format (exposition format 0.0.4), so a fleet of
// machines can be watched by an existing Prometheus and Alertmanager. A pure function of AppState.
import { LIVE_STATUSES, STATUS_LEVELS, TERMINAL_STATUSES, type AppState } from '../../common/index.js';
import { deriveOverallStatus, levelOfReason } from '../../core/state/overall-status.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Every value `backstay_plan_last_status` can take; one series each (a "state set"), so alerts can match `== 1`. */
const PLAN_STATUSES = ['none', ...LIVE_STATUSES, ...TERMINAL_STATUSES] as const;

type Labels = Record<string, string>;

class MetricsWriter {
  private readonly lines: string[] = [];
  family(name: string, help: string, samples: Array<[Labels, number]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) this.lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return '{' + entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',') + '}';
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function epochSeconds(iso: string | null): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
}

export function metricsText(state: AppState, now: Date = new Date()): string {
  const out = new MetricsWriter();
  out.family('backstay_up', 'Whether the Backstay host is up (always 1 when scraped).', [[{}, 1]]);

  // The same overall status as the window header and the tray, derived at scrape time (overdue moves with time).
  const status = deriveOverallStatus(state, now);
  out.family(
    'backstay_status_level',
    `The overall status: 1 for the current level, 0 for the others (${STATUS_LEVELS.join(', ')}).`,
    STATUS_LEVELS.map((level): [Labels, number] => [{ level }, level === status.level ? 1 : 0]),
  );
  out.family(
    'backstay_status_reasons',
    'How many reasons of each kind the overall status has (absent kinds are 0); the level of each kind is a label.',
    [...countBy(status.reasons.map((r) => `${r.kind}\u0000${levelOfReason(r)}`))].map(([key, n]): [Labels, number] => {
      const [kind, level] = key.split('\u0000') as [string, string];
      return [{ kind, level }, n];
    }),
  );

  out.family(
    'backstay_plan_last_success_timestamp_seconds',
    'Unix time of the last successful (or warning) backup of the plan; 0 if it never succeeded.',
    state.plans.map((p) => [{ plan: p.id, repo: p.repoId }, epochSeconds(p.lastSuccessAt) ?? 0]),
  );

  out.family(
    'backstay_plan_last_status',
    'Status of the last operation of the plan: 1 for the current status, 0 for the others ("none": never ran).',
    state.plans.flatMap((p) => {
      const current = p.lastOp?.status ?? 'none';
      return PLAN_STATUSES.map((status): [Labels, number] => [
        { plan: p.id, repo: p.repoId, status },
        status === current ? 1 : 0,
      ]);
    }),
  );

  out.family(
    'backstay_plan_last_backup_bytes_added',
    'Bytes added to the repository by the last backup of the plan (absent when unknown).',
    state.plans.flatMap((p): Array<[Labels, number]> =>
      p.lastOp?.dataAdded != null ? [[{ plan: p.id, repo: p.repoId }, p.lastOp.dataAdded]] : [],
    ),
  );

  out.family(
    'backstay_plan_next_run_timestamp_seconds',
    'Unix time of the next scheduled run of the plan (absent for manual plans).',
    state.plans.flatMap((p): Array<[Labels, number]> => {
      const next = epochSeconds(p.nextRunAt);
      return next === null ? [] : [[{ plan: p.id, repo: p.repoId }, next]];
    }),
  );

  // Conditions (issue 16): a scheduled run waiting for its conditions, since when and why.
  out.family(
    'backstay_plan_postponed_since_timestamp_seconds',
    'Unix time since which a scheduled run of the plan waits for its conditions (absent when none waits); reason is a label.',
    state.plans.flatMap((p): Array<[Labels, number]> => {
      const since = epochSeconds(p.postponed?.since ?? null);
      return since === null || !p.postponed ? [] : [[{ plan: p.id, repo: p.repoId, reason: p.postponed.reason }, since]];
    }),
  );

  // Mirrors (issue 15): what each lacks of its plan's snapshots, and since when.
  const mirrors = state.plans.flatMap((p) => (p.mirrors ?? []).map((m) => ({ labels: { plan: p.id, repo: m.repo }, m })));
  out.family(
    'backstay_mirror_behind_snapshots',
    "How many of the plan's snapshots the mirror lacks (successful backups since the last successful copy started).",
    mirrors.map(({ labels, m }): [Labels, number] => [labels, m.behindSnapshots]),
  );
  out.family(
    'backstay_mirror_behind_since_timestamp_seconds',
    'Unix time the oldest snapshot the mirror lacks was saved; 0 when it lacks none.',
    mirrors.map(({ labels, m }): [Labels, number] => [labels, epochSeconds(m.behindSince) ?? 0]),
  );
  out.family(
    'backstay_mirror_last_copy_timestamp_seconds',
    'Unix time the last successful copy to the mirror ended; 0 if none did.',
    mirrors.map(({ labels, m }): [Labels, number] => [labels, epochSeconds(m.lastCopyAt) ?? 0]),
  );

  // Restore tests and checks (issue 15): when each plan was last proven restorable, and each repository checked.
  const tested = state.plans.flatMap((p) => (p.lastVerified ? [{ labels: { plan: p.id, repo: p.repoId }, proof: p.lastVerified }] : []));
  out.family(
    'backstay_last_verified_timestamp_seconds',
    "Unix time the plan's last restore test ended (absent when none did); see backstay_last_verify_ok.",
    tested.map(({ labels, proof }): [Labels, number] => [labels, epochSeconds(proof.at) ?? 0]),
  );
  out.family(
    'backstay_last_verify_ok',
    "1 when the plan's last restore test passed (proven restorable), 0 when it failed.",
    tested.map(({ labels, proof }): [Labels, number] => [labels, proof.ok ? 1 : 0]),
  );
  out.family(
    'backstay_repo_last_checked_timestamp_seconds',
    'Unix time the last check of the repository ended (absent when none did); see backstay_repo_last_check_ok.',
    state.repos.flatMap((r): Array<[Labels, number]> => {
      const at = epochSeconds(r.lastCheckedAt ?? null);
      return at === null ? [] : [[{ repo: r.id }, at]];
    }),
  );
  out.family(
    'backstay_repo_last_check_ok',
    '1 when the last check of the repository passed, 0 when it found errors.',
    state.repos.flatMap((r): Array<[Labels, number]> => (r.lastCheckOk == null ? [] : [[{ repo: r.id }, r.lastCheckOk ? 1 : 0]])),
  );

  const count = (status: string) => state.running.filter((op) => op.status === status).length;
  out.family('backstay_operations_queued', 'Operations waiting for their repository.', [[{}, count('queued')]]);
  out.family(
    'backstay_operations_running',
    'Operations whose restic process is alive, stalled and cancelling ones included.',
    [[{}, count('running') + count('stalled') + count('cancelling')]],
  );
  out.family(
    'backstay_operations_stalled',
    'Running operations that made no forward progress for settings.stallAfterSeconds.',
    [[{}, count('stalled')]],
  );
  out.family('backstay_warnings', 'Warnings the UI currently shows, by level.', [
    [{ level: 'warning' }, state.warnings.filter((w) => w.level === 'warning').length],
    [{ level: 'error' }, state.warnings.filter((w) => w.level === 'error').length],
  ]);
  out.family('backstay_restic_info', 'The restic binary in use (1 when found, 0 when not).', [
    [{ version: state.restic.version ?? '' }, state.restic.version && !state.restic.error ? 1 : 0],
  ]);
  return out.text();
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

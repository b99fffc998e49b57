// The header's words for the overall status the host derived (main/core/state/overall-status.ts). Pure: the
// status decides; this only puts each reason into the user's language, so it decides nothing of its own.
import type { AppState, AppWarning, OverallStatus, StatusLevel, StatusReason } from '../../../../main/common/index.js';
import type { Language, MessageKey, Translate } from '../../i18n/index.js';
import { formatClock } from '../../format/format.js';
import { hostErrorWords } from '../../components/HostError.js';

export interface OverallText {
  /** Language-independent, for colour and tests: the level, or `unknown` before the first status. */
  level: StatusLevel | 'unknown';
  /** The level in words ("Problem", "Not set up yet", "All backups OK"). */
  levelWords: string;
  /** The main reason in words; null when there is none (ok). */
  main: string | null;
  /** Every reason in words, most urgent first (for the list behind "+N more"). */
  all: string[];
}

function opName(r: StatusReason, state: AppState, t: Translate): { name: string; kind: string | null } {
  const op = r.opId !== undefined ? state.running.find((o) => o.opId === r.opId) : undefined;
  if (op && op.kind !== 'backup') return { name: op.planId ?? op.repoId, kind: t(`kind.${op.kind}` as MessageKey) };
  return { name: r.planId ?? op?.planId ?? r.repoId ?? '', kind: null };
}

function day(iso: string, language: Language): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(language, { day: 'numeric', month: 'short' });
}

/** An app warning in the window's words, by its kind (the host's English message is the fallback). */
export function warningWords(w: AppWarning, state: Pick<AppState, 'plans'>, t: Translate, language: Language): string {
  switch (w.kind) {
    case 'no-success': {
      const plan = state.plans.find((p) => p.id === w.planId);
      if (!plan) return language === 'en' ? w.message : t('overall.reason.overdue.never', { plan: w.planId ?? '' });
      return plan.lastSuccessAt
        ? t('overall.reason.overdue', { plan: plan.id, date: day(plan.lastSuccessAt, language) })
        : t('overall.reason.overdue.never', { plan: plan.id });
    }
    case 'oplog-corrupt':
      return hostErrorWords(language, 'OPLOG_CORRUPT', w.message);
    case 'storage':
      return hostErrorWords(language, 'STORAGE_FAILED', w.message);
    default:
      return w.message;
  }
}

/** One reason as a sentence. Reasons of `no-repos` and `no-plans` together read as one thing to do. */
export function describeReason(r: StatusReason, status: OverallStatus, state: AppState, t: Translate, language: Language, now: Date): string {
  switch (r.kind) {
    case 'no-repos':
    case 'no-plans': {
      const both = status.reasons.some((x) => x.kind === 'no-repos') && status.reasons.some((x) => x.kind === 'no-plans');
      return t(both ? 'overall.reason.setup.both' : r.kind === 'no-repos' ? 'overall.reason.setup.repo' : 'overall.reason.setup.plan');
    }
    case 'config-error':
      return t('overall.reason.config-error', { error: state.configError ?? '' });
    case 'restic-missing':
      return t('overall.reason.restic-missing');
    case 'repo-error': {
      const repo = state.repos.find((x) => x.id === r.repoId);
      const error = repo?.lastError ? hostErrorWords(language, repo.lastErrorCode, repo.lastError) : null;
      return error ? t('overall.reason.repo-error', { repo: r.repoId ?? '', error }) : t('overall.reason.repo-error.unknown', { repo: r.repoId ?? '' });
    }
    case 'repo-locked':
      return t('overall.reason.repo-locked', { repo: r.repoId ?? '' });
    case 'repo-missing':
      return t('overall.reason.repo-missing', { repo: r.repoId ?? '' });
    case 'last-error':
    case 'last-interrupted':
    case 'last-warning':
      return t(`overall.reason.${r.kind}` as MessageKey, { plan: r.planId ?? '' });
    case 'verify-failed':
      return t('overall.reason.verify-failed', { plan: r.planId ?? '' });
    case 'check-failed':
      return t('overall.reason.check-failed', { repo: r.repoId ?? '' });
    case 'mirror-behind':
      return t('overall.reason.mirror-behind', { plan: r.planId ?? '', repo: r.repoId ?? '', date: r.since ? day(r.since, language) : '' });
    case 'mirror-failed':
      return t('overall.reason.mirror-failed', { plan: r.planId ?? '', repo: r.repoId ?? '' });
    case 'overdue':
      return r.since ? t('overall.reason.overdue', { plan: r.planId ?? '', date: day(r.since, language) }) : t('overall.reason.overdue.never', { plan: r.planId ?? '' });
    case 'app-error':
    case 'app-warning':
    {
      const warning = state.warnings.find((w) => w.id === r.warningId);
      return warning ? warningWords(warning, state, t, language) : t('overall.reason.unknown');
    }
    case 'stalled':
    case 'cancelling':
    case 'waiting':
    case 'queued': {
      const { name, kind } = opName(r, state, t);
      return t(`overall.reason.${r.kind}` as MessageKey, { name: kind ? `${kind} ${name}` : name });
    }
    case 'running': {
      const { name, kind } = opName(r, state, t);
      return kind ? t('overall.reason.running.other', { kind, name }) : t('overall.reason.running.backup', { name });
    }
    case 'paused':
      return !state.pausedUntil || state.pausedUntil === 'forever'
        ? t('overall.reason.paused.forever')
        : t('overall.reason.paused.until', { time: formatClock(state.pausedUntil, language, now) });
    case 'postponed': {
      // Which plan, since when, and the condition it waits for ("home postponed since 14:03: on battery").
      const condition = r.condition ?? state.plans.find((p) => p.id === r.planId)?.postponed?.reason;
      return t('overall.reason.postponed', {
        plan: r.planId ?? '',
        time: formatClock(r.since, language, now),
        reason: condition ? t(`postponed.${condition}`) : t('overall.reason.unknown'),
      });
    }
    default:
      return t('overall.reason.unknown');
  }
}

/** What the header says for the state's overall status (null state or status: connecting). */
export function describeOverall(state: AppState | null, t: Translate, language: Language, now: Date): OverallText {
  const status = state?.status;
  if (!state || !status) return { level: 'unknown', levelWords: t('overall.unknown'), main: null, all: [] };
  const all: string[] = [];
  for (const r of status.reasons) {
    const text = describeReason(r, status, state, t, language, now);
    if (!all.includes(text)) all.push(text); // "no repository" and "no plan" are one sentence
  }
  return { level: status.level, levelWords: t(`overall.${status.level}` as MessageKey), main: all[0] ?? null, all };
}

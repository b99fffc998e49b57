import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpLogLine, Operation } from '../../../../main/common/index.js';
import type { Language, MessageKey } from '../../i18n/index.js';
import { formatBytes, formatClock, formatDuration, formatSummaryValue, secondsBetween } from '../../format/format.js';
import { isLive } from '../../model.js';
import { selectLanguage, selectRunningKey, selectRunningOp, toRpcError, useActions, useApp } from '../../store/index.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { ClockTime } from '../../components/Time.js';
import { useLoad } from '../../components/useAction.js';
import { useSecondTick } from '../../components/useNow.js';
import { useT } from '../../components/useT.js';
import { describeStall } from '../dashboard/describe.js';
import { LiveProgress } from '../dashboard/LiveProgress.js';
import { LiveOpActions } from '../dashboard/OpActions.js';
import { liveSeconds } from './OpsTable.js';

const LOG_PAGE = 500;
const LIVE_LOG_POLL_MS = 2000;

/** One operation: timing, outcome, the files that failed, and what restic printed; while live, its progress and actions. */
export function OpDetail({ opId }: { opId: number }) {
  const t = useT();
  const { ops } = useActions();
  const language = useApp(selectLanguage);
  // Re-read the operation when any live operation changes status (it may be this one).
  const runningKey = useApp(selectRunningKey);
  const { data: op, error } = useLoad(() => ops.get(opId), [ops, opId, runningKey]);
  // While it is live, the state is the truth about what it does now: status, progress, stall, cancel.
  const live = useApp(selectRunningOp(opId));
  const status = live?.status ?? op?.status;
  const now = useSecondTick(!!status && isLive(status));

  if (error) return <p className="feedback-error" role="alert">{t('ops.detail.loadError', { message: error })}</p>;
  if (!op || op.id !== opId || !status) return <p className="muted">{t('common.loading')}</p>;
  const kind = t(`kind.${op.kind}` as MessageKey);
  const startedAt = live ? live.startedAt : op.startedAt;
  const duration = isLive(status) ? liveSeconds(startedAt, now) : secondsBetween(op.startedAt, op.endedAt);
  const label = `${kind} #${op.id}`;
  const pastStall = !live && op.stall ? describeStall(op, t, language) : null;
  return (
    <article className="op-detail" aria-labelledby="op-detail-title" data-testid={`op-detail-${op.id}`}>
      <header className="op-detail-head">
        <h3 id="op-detail-title">{t('ops.detail.title', { kind, id: op.id })}</h3>
        <StatusBadge status={status} testId={`op-detail-status-${op.id}`} />
      </header>
      {live && (
        <section aria-labelledby={`op-detail-progress-${op.id}`} className="op-detail-live">
          <h4 id={`op-detail-progress-${op.id}`}>{t('ops.detail.progress')}</h4>
          <LiveProgress op={live} label={label} evidenceId={`op-detail-evidence-${op.id}`} />
          <LiveOpActions
            op={live}
            describedBy={live.status === 'stalled' ? `op-detail-title op-detail-evidence-${op.id}` : 'op-detail-title'}
          />
        </section>
      )}
      <dl className="facts">
        <dt>{t('ops.detail.repo')}</dt>
        <dd>
          {op.repoId}
          {op.planId ? ` · ${op.planId}` : ''} · {t('ops.detail.trigger', { trigger: t(`trigger.${op.trigger}` as MessageKey) })}
        </dd>
        <dt>{t('ops.detail.created')}</dt>
        <dd>
          <ClockTime iso={op.createdAt} />
        </dd>
        <dt>{t('ops.detail.started')}</dt>
        <dd>
          <ClockTime iso={startedAt} />
        </dd>
        <dt>{t('ops.detail.ended')}</dt>
        <dd>
          <ClockTime iso={live ? null : op.endedAt} />
        </dd>
        <dt>{t('ops.detail.duration')}</dt>
        <dd data-testid={`op-detail-duration-${op.id}`}>{formatDuration(duration, t)}</dd>
        {op.snapshotId && (
          <>
            <dt>{t('ops.detail.snapshot')}</dt>
            <dd className="mono">{op.snapshotId}</dd>
          </>
        )}
      </dl>
      {restartOf(op) !== null && (
        <p className="notice" data-testid={`op-detail-restart-${op.id}`}>
          {t('ops.detail.restartOf', { opId: String(restartOf(op)) })}
        </p>
      )}
      {pastStall && <p className="notice notice-warning">{t('ops.detail.stalledEarlier', { evidence: pastStall })}</p>}
      {op.error && (
        <section>
          <h4>{t('ops.detail.error')}</h4>
          <p className="feedback-error">{op.error.message}</p>
          {op.error.detail && <pre className="mono-box">{op.error.detail}</pre>}
        </section>
      )}
      <Summary op={op} />
      {op.itemErrors.length > 0 && (
        <section>
          <h4>{t('ops.detail.itemErrors', { n: op.itemErrors.length })}</h4>
          <ul className="item-errors">
            {op.itemErrors.map((e, i) => (
              <li key={`${e.path ?? ''}:${i}`}>
                <span className="mono">{e.path ?? '–'}</span>
                {e.during && <span className="muted"> {t('ops.detail.during', { during: e.during })}</span>}
                <div>{e.message}</div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <OpLog opId={op.id} live={isLive(status)} />
    </article>
  );
}

function Summary({ op }: { op: Operation }) {
  const t = useT();
  const language = useApp(selectLanguage);
  if (!op.summary) return null;
  const entries = Object.entries(op.summary).filter(([, v]) => v !== null && typeof v !== 'object');
  if (entries.length === 0) return null;
  const label = (key: string) => {
    const k = `summary.${key}` as MessageKey;
    const text = t(k);
    return text === k ? key : text;
  };
  const value = (key: string, v: unknown) => formatSummaryValue(key, v, t, language);
  return (
    <section>
      <h4>{t('ops.detail.summary')}</h4>
      <dl className="facts">
        {entries.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{label(k)}</dt>
            <dd>{value(k, v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const ISO_TIME = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)\b/g;
const BYTE_COUNT = /\b(\d+) bytes\b/g;

/**
 * Backstay's own notes in the log ("stalled: no progress since 2026-11-25T14:03:00.000Z at 448824721408 bytes")
 * with times in local clock time and sizes in binary units, as everywhere else in the window. restic's own lines
 * stay exactly as it printed them.
 */
export function humanizeBackstayLine(text: string, language: Language): string {
  return text.replace(ISO_TIME, (iso) => formatClock(iso, language)).replace(BYTE_COUNT, (_, n: string) => formatBytes(Number(n)));
}

/** restic's output, read in pages by sequence number; follows along while the operation is live. */
function OpLog({ opId, live }: { opId: number; live: boolean }) {
  const t = useT();
  const language = useApp(selectLanguage);
  const { ops } = useActions();
  const [lines, setLines] = useState<OpLogLine[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lastSeq = useRef<number | undefined>(undefined);

  const loadNext = useCallback(async () => {
    try {
      const after = lastSeq.current;
      const page = await ops.log(opId, after, LOG_PAGE);
      if (page.lines.length > 0) {
        lastSeq.current = page.lines[page.lines.length - 1]!.seq;
        setLines((prev) => prev.concat(page.lines));
      }
      setMore(page.lines.length >= LOG_PAGE);
      setError(null);
    } catch (err) {
      setError(toRpcError(err).message);
    }
  }, [ops, opId]);

  useEffect(() => {
    lastSeq.current = undefined;
    setLines([]);
    void loadNext();
  }, [loadNext]);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void loadNext(), LIVE_LOG_POLL_MS);
    return () => clearInterval(timer);
  }, [live, loadNext]);

  return (
    <section>
      <h4 id={`op-log-${opId}`}>{t('ops.detail.log')}</h4>
      {error && <p className="feedback-error" role="alert">{error}</p>}
      {lines.length === 0 ? (
        <p className="muted">{t('ops.detail.logEmpty')}</p>
      ) : (
        <pre className="mono-box" tabIndex={0} aria-labelledby={`op-log-${opId}`} data-testid="op-log">
          {lines.map((l) => (
            <span key={l.seq} className={`log-line log-${l.stream}`}>
              {l.stream === 'backstay' ? humanizeBackstayLine(l.text, language) : l.text}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
      {more && (
        <button type="button" onClick={() => void loadNext()}>
          {t('ops.detail.logMore')}
        </button>
      )}
    </section>
  );
}

/** The backup this one continues after "Slow down" / "Full speed" stopped it (issue 16), if it is one. */
function restartOf(op: { kind: string; params: unknown }): number | null {
  const value = op.kind === 'backup' ? (op.params as { restartOf?: unknown } | null)?.restartOf : undefined;
  return typeof value === 'number' ? value : null;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpLogLine, Operation } from '../../../../main/common/index.js';
import type { MessageKey } from '../../i18n/index.js';
import { toRpcError } from '../../client/index.js';
import { formatBytes, formatDuration, secondsBetween } from '../../format/format.js';
import { isLive } from '../../model.js';
import { selectRunningKey, useApp, useClient } from '../../store/index.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { ClockTime } from '../../components/Time.js';
import { useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

const LOG_PAGE = 500;
const LIVE_LOG_POLL_MS = 2000;
const BYTE_FIELDS = new Set(['dataAdded', 'totalBytesProcessed']);
const SECOND_FIELDS = new Set(['totalDuration']);

/** One operation: timing, outcome, the files that failed, and what restic printed. */
export function OpDetail({ opId }: { opId: number }) {
  const t = useT();
  const client = useClient();
  // Re-read the operation when any live operation changes status (it may be this one).
  const runningKey = useApp(selectRunningKey);
  const { data: op, error } = useLoad(() => client.invoke('ops.get', { opId }), [client, opId, runningKey]);

  if (error) return <p className="feedback-error" role="alert">{t('ops.detail.loadError', { message: error })}</p>;
  if (!op || op.id !== opId) return <p className="muted">{t('common.loading')}</p>;
  const kind = t(`kind.${op.kind}` as MessageKey);
  return (
    <article className="op-detail" aria-labelledby="op-detail-title" data-testid={`op-detail-${op.id}`}>
      <header className="op-detail-head">
        <h3 id="op-detail-title">{t('ops.detail.title', { kind, id: op.id })}</h3>
        <StatusBadge status={op.status} />
      </header>
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
          <ClockTime iso={op.startedAt} />
        </dd>
        <dt>{t('ops.detail.ended')}</dt>
        <dd>
          <ClockTime iso={op.endedAt} />
        </dd>
        <dt>{t('ops.detail.duration')}</dt>
        <dd>{formatDuration(secondsBetween(op.startedAt, op.endedAt), t)}</dd>
        {op.snapshotId && (
          <>
            <dt>{t('ops.detail.snapshot')}</dt>
            <dd className="mono">{op.snapshotId}</dd>
          </>
        )}
      </dl>
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
      <OpLog opId={op.id} live={isLive(op.status)} />
    </article>
  );
}

function Summary({ op }: { op: Operation }) {
  const t = useT();
  if (!op.summary) return null;
  const entries = Object.entries(op.summary).filter(([, v]) => v !== null && typeof v !== 'object');
  if (entries.length === 0) return null;
  const label = (key: string) => {
    const k = `summary.${key}` as MessageKey;
    const text = t(k);
    return text === k ? key : text;
  };
  const value = (key: string, v: unknown) =>
    typeof v === 'number' && BYTE_FIELDS.has(key)
      ? formatBytes(v)
      : typeof v === 'number' && SECOND_FIELDS.has(key)
        ? formatDuration(v, t)
        : String(v);
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

/** restic's output, read in pages by sequence number; follows along while the operation is live. */
function OpLog({ opId, live }: { opId: number; live: boolean }) {
  const t = useT();
  const client = useClient();
  const [lines, setLines] = useState<OpLogLine[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lastSeq = useRef<number | undefined>(undefined);

  const loadNext = useCallback(async () => {
    try {
      const after = lastSeq.current;
      const page = await client.invoke('ops.log', { opId, limit: LOG_PAGE, ...(after !== undefined ? { afterSeq: after } : {}) });
      if (page.lines.length > 0) {
        lastSeq.current = page.lines[page.lines.length - 1]!.seq;
        setLines((prev) => prev.concat(page.lines));
      }
      setMore(page.lines.length >= LOG_PAGE);
      setError(null);
    } catch (err) {
      setError(toRpcError(err).message);
    }
  }, [client, opId]);

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
              {l.text}
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

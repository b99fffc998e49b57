import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Operation } from '../../../../main/common/index.js';
import type { MessageKey } from '../../i18n/index.js';
import { formatBytes, formatDuration, secondsBetween } from '../../format/format.js';
import { isLive, opSummaryOf } from '../../model.js';
import { selectOps, selectRunningOp, useActions, useApp } from '../../store/index.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { ClockTime } from '../../components/Time.js';
import { useBox } from '../../components/useBox.js';
import { useSecondTick } from '../../components/useNow.js';
import { useT } from '../../components/useT.js';
import { Database } from '../../components/ui/icons.js';

export const OP_ROW_HEIGHT = 36;
/** Start fetching the next page this many rows before the end comes into view. */
const PREFETCH_ROWS = 40;

/** How long a live operation has run so far (null before it started). */
export function liveSeconds(startedAt: string | null, now: number): number | null {
  if (!startedAt) return null;
  const start = new Date(startedAt).getTime();
  return Number.isFinite(start) ? Math.max(0, (now - start) / 1000) : null;
}

export function dataAddedOf(op: Pick<Operation, 'kind' | 'summary'>): number | null {
  const v = opSummaryOf(op, 'backup')?.dataAdded;
  return typeof v === 'number' ? v : null;
}

/**
 * The operation log as a virtualized listbox: only the rows in view (plus a few) are in the DOM, so 100,000
 * operations cost a few dozen elements. Older pages are fetched as the end comes near.
 */
export function OpsTable({ selectedId, onSelect }: { selectedId: number | null; onSelect: (id: number) => void }) {
  const t = useT();
  const actions = useActions();
  const ops = useApp(selectOps);
  const scrollRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  const footerRow = ops.hasMore || ops.error ? 1 : 0;
  const virtualizer = useVirtualizer({
    count: ops.items.length + footerRow,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => OP_ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 800, height: 600 },
  });
  const virtualItems = virtualizer.getVirtualItems();
  useBox(innerRef, { height: virtualizer.getTotalSize() });

  const lastVisible = virtualItems.length > 0 ? virtualItems[virtualItems.length - 1]!.index : -1;
  useEffect(() => {
    if (ops.hasMore && !ops.loading && !ops.error && lastVisible >= ops.items.length - PREFETCH_ROWS) {
      void actions.ops.loadOlder();
    }
  }, [actions, lastVisible, ops.items.length, ops.hasMore, ops.loading, ops.error]);

  const selectedIndex = selectedId === null ? -1 : ops.items.findIndex((o) => o.id === selectedId);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = ops.items.length - 1;
    if (last < 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight || 600) / OP_ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: selectedIndex + 1,
      ArrowUp: selectedIndex - 1,
      PageDown: selectedIndex + page,
      PageUp: selectedIndex - page,
      Home: 0,
      End: last,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const index = Math.min(last, Math.max(0, target));
    onSelect(ops.items[index]!.id);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  if (ops.items.length === 0 && !ops.hasMore && !ops.error) {
    return <p className="empty muted">{t('ops.empty')}</p>;
  }
  return (
    <div className="ops-table">
      <div className="ops-row ops-header" aria-hidden="true">
        <span>{t('ops.col.time')}</span>
        <span>{t('ops.col.plan')}</span>
        <span>{t('ops.col.kind')}</span>
        <span>{t('ops.col.status')}</span>
        <span>{t('ops.col.duration')}</span>
        <span>{t('ops.col.added')}</span>
      </div>
      <div
        ref={scrollRef}
        className="vlist"
        role="listbox"
        tabIndex={0}
        aria-label={t('ops.listLabel')}
        aria-activedescendant={selectedIndex >= 0 ? `op-row-${selectedId}` : undefined}
        onKeyDown={onKeyDown}
        data-testid="ops-list"
      >
        <div ref={innerRef} className="vlist-inner">
          {virtualItems.map((v) => {
            const op = ops.items[v.index];
            if (!op) {
              return (
                <FooterRow key="footer" top={v.start}>
                  {ops.error ? (
                    <span className="feedback-error" role="alert">
                      {t('ops.loadError', { message: ops.error })}{' '}
                      <button type="button" onClick={() => void actions.ops.loadOlder()}>
                        {t('error.retry')}
                      </button>
                    </span>
                  ) : (
                    <span className="muted">{t('ops.loadingMore')}</span>
                  )}
                </FooterRow>
              );
            }
            return <OpRow key={op.id} op={op} top={v.start} selected={op.id === selectedId} onSelect={onSelect} />;
          })}
        </div>
      </div>
    </div>
  );
}

function FooterRow({ top, children }: { top: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useBox(ref, { translateY: top });
  return (
    <div ref={ref} className="vrow ops-footer" role="presentation">
      {children}
    </div>
  );
}

function OpRow({
  op,
  top,
  selected,
  onSelect,
}: {
  op: Operation;
  top: number;
  selected: boolean;
  onSelect: (id: number) => void;
}) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useBox(ref, { translateY: top });
  // While it is live, the state says what it does now (the page from ops.list is only as fresh as its last read).
  const live = useApp(selectRunningOp(op.id));
  const status = live?.status ?? op.status;
  const startedAt = live ? live.startedAt : op.startedAt;
  const now = useSecondTick(isLive(status));
  const added = dataAddedOf(op);
  const kind = t(`kind.${op.kind}` as MessageKey);
  return (
    <div
      ref={ref}
      id={`op-row-${op.id}`}
      className={`vrow ops-row${selected ? ' selected' : ''}`}
      role="option"
      aria-selected={selected}
      data-testid={`op-row-${op.id}`}
      onClick={() => onSelect(op.id)}
    >
      <span>
        <ClockTime iso={op.startedAt ?? op.createdAt} />
      </span>
      {/* A plan's operation names its plan; a repository's own (check, prune, statistics) its repository, marked so. */}
      <span className="truncate">
        {op.planId ?? (
          <>
            <Database size={14} aria-hidden="true" className="inline-icon" /> <span className="sr-only">{t('ops.repoOp')} </span>
            {op.repoId}
          </>
        )}
      </span>
      <span>{kind}</span>
      <span>
        <StatusBadge status={status} testId={`op-row-status-${op.id}`} />
      </span>
      <span>{formatDuration(isLive(status) ? liveSeconds(startedAt, now) : secondsBetween(op.startedAt, op.endedAt), t)}</span>
      <span>{added != null ? formatBytes(added) : '–'}</span>
      {/* The row's name is what it shows (WCAG 2.5.3, label in name), and its number for a screen reader. */}
      <span className="sr-only">#{op.id}</span>
    </div>
  );
}

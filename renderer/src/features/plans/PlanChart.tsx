import type { Operation } from '../../../../main/common/index.js';
import { formatBytes, formatClock, formatDuration, secondsBetween } from '../../format/format.js';
import type { Translate } from '../../i18n/index.js';
import { selectLanguage, useApp, useActions } from '../../store/index.js';
import { useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { dataAddedOf } from '../operations/OpsTable.js';

const RUNS = 30;
const W = 300;
const H = 60;

export interface ChartBar {
  opId: number;
  label: string;
  value: number;
  text: string;
  status: Operation['status'];
}

/** Bars oldest to newest for the finished backups among `ops` (which arrive newest first). */
export function chartBars(ops: Operation[], measure: (op: Operation) => number | null, text: (v: number) => string, t: Translate, language: Parameters<typeof formatClock>[1]): ChartBar[] {
  return ops
    .filter((o) => o.endedAt)
    .slice(0, RUNS)
    .reverse()
    .map((o) => {
      const value = measure(o) ?? 0;
      const label = formatClock(o.startedAt ?? o.createdAt, language);
      return { opId: o.id, label, value, text: t('plans.chart.bar', { time: label, value: text(value) }), status: o.status };
    });
}

/**
 * Always RUNS slots, newest on the right: a plan with three runs shows three slim bars at the right end (where the
 * next run will appear) rather than three bars a third of the width each.
 */
function slots(count: number): { slot: number; offset: number } {
  const slot = W / RUNS;
  return { slot, offset: (RUNS - Math.min(count, RUNS)) * slot };
}

function Bars({ title, bars }: { title: string; bars: ChartBar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const { slot, offset } = slots(bars.length);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} preserveAspectRatio="none">
        {bars.map((b, i) => {
          const h = Math.max(1, (b.value / max) * (H - 2));
          return (
            <rect key={b.opId} className={`bar bar-${b.status}`} x={offset + i * slot + 1} y={H - h} width={Math.max(1, slot - 2)} height={h}>
              <title>{b.text}</title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}

/** Duration and data added of a plan's recent backups, and a strip of their results. */
export function PlanChart({ planId, lastOpId }: { planId: string; lastOpId: number | null }) {
  const t = useT();
  const { plans } = useActions();
  const language = useApp(selectLanguage);
  const { data, error } = useLoad(() => plans.recentBackups(planId, RUNS), [plans, planId, lastOpId]);
  if (error) return <p className="feedback-error">{error}</p>;
  if (!data) return <p className="muted">{t('common.loading')}</p>;
  const durations = chartBars(data.ops, (o) => secondsBetween(o.startedAt, o.endedAt), (v) => formatDuration(v, t), t, language);
  if (durations.length === 0) return <p className="muted">{t('plans.chart.empty')}</p>;
  const added = chartBars(data.ops, dataAddedOf, formatBytes, t, language);
  const strip = slots(durations.length);
  return (
    <section className="charts" aria-labelledby={`chart-title-${planId}`}>
      <h4 id={`chart-title-${planId}`}>{t('plans.chart.title')}</h4>
      <Bars title={t('plans.chart.duration')} bars={durations} />
      <Bars title={t('plans.chart.added')} bars={added} />
      <figure className="chart">
        <figcaption>{t('plans.chart.strip')}</figcaption>
        <svg viewBox={`0 0 ${W} 10`} role="img" aria-label={t('plans.chart.strip')} preserveAspectRatio="none">
          {durations.map((b, i) => (
            <rect key={b.opId} className={`bar bar-${b.status}`} x={strip.offset + i * strip.slot + 1} y={0} width={Math.max(1, strip.slot - 2)} height={10}>
              <title>{`${b.label}: ${t(`status.${b.status}`)}`}</title>
            </rect>
          ))}
        </svg>
      </figure>
    </section>
  );
}

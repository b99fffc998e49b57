import { useCallback, useMemo } from 'react';
import { formatBytes, formatClock, formatCount, formatDuration } from '../../format/format.js';
import type { MessageKey } from '../../i18n/index.js';
import { selectLanguage, selectPlan, useApp, useActions } from '../../store/index.js';
import { useLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { Skeleton } from '../../components/ui/Skeleton.js';
import { dailyStrip, repoSizePoints, runPoints, type RunPoint } from './charts/chart-data.js';
import { TICKS, timeAxisLabel } from './charts/chart-format.js';
import { SuccessStrip } from './charts/SuccessStrip.js';
import { UPlotChart, type ChartSeries } from './charts/UPlotChart.js';

/** Bars for the last RUNS backups; the strip covers STRIP_DAYS days (ops.list answers at most 1000 backups). */
const RUNS = 30;
const STRIP_DAYS = 90;
const BACKUPS_FETCHED = 1000;
const STATS_FETCHED = 200;

/**
 * A plan's charts: duration, data added and files of its recent backups (bars), the 90-day result strip, and
 * its repository's size over time (from the repository's statistics runs).
 */
export function PlanChart({ planId, lastOpId }: { planId: string; lastOpId: number | null }) {
  const t = useT();
  const { plans, repos } = useActions();
  const language = useApp(selectLanguage);
  const repoId = useApp((s) => selectPlan(planId)(s)?.repoId ?? null);
  const backups = useLoad(() => plans.recentBackups(planId, BACKUPS_FETCHED), [plans, planId, lastOpId]);
  const stats = useLoad(repoId ? () => repos.recentStats(repoId, STATS_FETCHED) : null, [repos, repoId, lastOpId]);

  const runs = useMemo(() => runPoints(backups.data?.ops ?? [], RUNS), [backups.data]);
  const strip = useMemo(() => dailyStrip(backups.data?.ops ?? [], new Date(), STRIP_DAYS), [backups.data]);
  const sizes = useMemo(() => repoSizePoints(stats.data?.ops ?? []), [stats.data]);
  const runX = useMemo(() => runs.map((_, i) => i), [runs]);
  const runLabel = useCallback((i: number) => (runs[i] ? formatClock(new Date(runs[i].at).toISOString(), language) : ''), [runs, language]);
  const runNote = useCallback((i: number) => (runs[i] ? t(`status.${runs[i].status}` as MessageKey) : ''), [runs, t]);
  const series = useMemo(() => runSeries(runs, t, language), [runs, t, language]);
  const sizeX = useMemo(() => sizes.map((p) => p.at), [sizes]);
  const sizeSeries = useMemo<ChartSeries>(() => ({ label: t('plans.chart.repoSize'), values: sizes.map((p) => p.bytes), color: '--ok', format: formatBytes, steps: TICKS.bytes }), [sizes, t]);
  const sizeLabel = useMemo(() => timeAxisLabel(sizeX.length > 1 ? sizeX.at(-1)! - sizeX[0]! : 0, language), [sizeX, language]);

  return (
    <section className="charts" aria-labelledby={`chart-title-${planId}`} data-testid="plan-charts">
      <h4 id={`chart-title-${planId}`}>{t('plans.chart.title')}</h4>
      {backups.error ? (
        <p className="feedback-error">{backups.error}</p>
      ) : !backups.data ? (
        <Skeleton lines={8} label={t('common.loading')} />
      ) : runs.length === 0 ? (
        <p className="muted">{t('plans.chart.empty')}</p>
      ) : (
        <>
          <div className="chart-grid">
            <UPlotChart title={t('plans.chart.duration')} x={runX} xLabel={runLabel} series={series.duration} kind="bars" note={runNote} testId="chart-duration" />
            <UPlotChart title={t('plans.chart.added')} x={runX} xLabel={runLabel} series={series.added} kind="bars" note={runNote} testId="chart-added" />
            <UPlotChart title={t('plans.chart.files')} x={runX} xLabel={runLabel} series={series.files} kind="bars" note={runNote} testId="chart-files" />
          </div>
          <SuccessStrip cells={strip} t={t} language={language} />
        </>
      )}
      {sizes.length > 0 && (
        <UPlotChart title={t('plans.chart.repoSizeOf', { repo: repoId ?? '' })} x={sizeX} xLabel={sizeLabel} series={sizeSeries} kind="line" testId="chart-repo-size" />
      )}
    </section>
  );
}

function runSeries(runs: RunPoint[], t: ReturnType<typeof useT>, language: Parameters<typeof formatCount>[1]): Record<'duration' | 'added' | 'files', ChartSeries> {
  return {
    duration: { label: t('plans.chart.duration'), values: runs.map((r) => r.durationSeconds), color: '--running', format: (v) => formatDuration(v, t), steps: TICKS.seconds },
    added: { label: t('plans.chart.added'), values: runs.map((r) => r.dataAdded), color: '--ok', format: formatBytes, steps: TICKS.bytes },
    files: { label: t('plans.chart.files'), values: runs.map((r) => r.files), color: '--paused', format: (v) => formatCount(v, language), steps: TICKS.count },
  };
}

import { formatDay } from './chart-format.js';
import type { Language, Translate } from '../../../i18n/index.js';
import { stripTotals, type DayCell } from './chart-data.js';

/**
 * One cell per day for the last 90 days, coloured by that day's worst backup result; each cell's words are its
 * tooltip, and the whole strip reads as one sentence of totals for a screen reader.
 */
export function SuccessStrip({ cells, t, language }: { cells: DayCell[]; t: Translate; language: Language }) {
  const totals = stripTotals(cells);
  const summary = t('plans.chart.stripSummary', { days: cells.length, success: totals.success, warning: totals.warning, error: totals.error, none: totals.none });
  return (
    <figure className="chart" data-testid="success-strip">
      <figcaption>{t('plans.chart.strip90', { days: cells.length })}</figcaption>
      <div className="strip" role="img" aria-label={summary}>
        {cells.map((c) => (
          <span
            key={c.day}
            className={`strip-cell strip-${c.result}`}
            data-result={c.result}
            title={`${formatDay(c.day, language)}: ${cellWords(c, t)}`}
          />
        ))}
      </div>
      <p className="hint strip-legend">{summary}</p>
    </figure>
  );
}

function cellWords(c: DayCell, t: Translate): string {
  if (c.result === 'none') return t('plans.chart.dayNone');
  const parts = (['success', 'warning', 'error'] as const).filter((k) => c.counts[k] > 0).map((k) => `${c.counts[k]} × ${t(`status.${k}`)}`);
  return parts.join(', ');
}

import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { tokenColor, useSchemeKey } from './theme-colors.js';
import { withoutRepeats } from './chart-format.js';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A colour token of tokens.css, e.g. "--running". */
  color: string;
  /** A value as a person reads it, with its unit ("4 min", "312 MiB"). */
  format: (v: number) => string;
  /** The y ticks' possible steps, ones that read well in the unit (chart-format.ts TICKS); uPlot picks one that fits. */
  steps?: readonly number[];
}

export interface ChartProps {
  title: string;
  /** x values: run index for bar charts, ms since the epoch for time lines. */
  x: number[];
  /** How an x value reads on the axis and in the tooltip. */
  xLabel: (x: number) => string;
  series: ChartSeries;
  kind: 'bars' | 'line';
  /** Extra words per point in the tooltip (e.g. the run's result). */
  note?: (index: number) => string;
  testId?: string;
  height?: number;
}

const HEIGHT = 140;


/** Whether this page can draw on a canvas at all (happy-dom in unit tests cannot: the text alternative remains). */
function canDraw(): boolean {
  try {
    return typeof ResizeObserver !== 'undefined' && !!document.createElement('canvas').getContext('2d');
  } catch {
    return false;
  }
}

/**
 * One uPlot chart with axes, units and a tooltip that follows the cursor, in the theme's colours (redrawn when
 * the scheme changes) and as wide as its box (redrawn on resize). Its text alternative is a visually hidden table
 * of the same points, so a screen reader hears every value the picture shows.
 */
export function UPlotChart({ title, x, xLabel, series, kind, note, testId, height = HEIGHT }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const scheme = useSchemeKey();
  const titleId = useId();

  useEffect(() => {
    const el = box.current;
    if (!el || !canDraw()) return;
    const text = tokenColor(el, '--muted');
    const grid = tokenColor(el, '--chart-grid');
    const color = tokenColor(el, series.color);
    // x ticks at least 60 px apart, so "14:03" or "25 Nov" labels never run into each other; y ticks 30 px.
    const axis = (values: uPlot.Axis['values'], size: number, space: number, incrs?: number[]): uPlot.Axis => ({
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      values,
      size,
      space,
      ...(incrs ? { incrs } : {}),
    });
    const tooltip: uPlot.Plugin = {
      hooks: {
        setCursor: (u) => {
          const t = tip.current;
          const i = u.cursor.idx;
          if (!t) return;
          if (i == null || u.data[1][i] == null) {
            t.hidden = true;
            return;
          }
          const v = u.data[1][i]!;
          t.textContent = [xLabel(u.data[0][i]!), series.format(v), note?.(i)].filter(Boolean).join(' · ');
          t.hidden = false;
          // valToPos is relative to the plotting area; the tip is placed in the chart's box, past the y axis.
          const over = u.over.getBoundingClientRect();
          const outer = el.getBoundingClientRect();
          const left = over.left - outer.left + u.valToPos(u.data[0][i]!, 'x') - t.offsetWidth / 2;
          const top = over.top - outer.top + u.valToPos(v, 'y') - t.offsetHeight - 8;
          t.style.left = `${Math.min(Math.max(left, 0), outer.width - t.offsetWidth)}px`;
          t.style.top = `${Math.max(top, 0)}px`;
        },
      },
    };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { points: { show: kind === 'line' }, drag: { x: false, y: false } },
      scales: { x: { time: false, ...(kind === 'bars' ? { range: (_u, min, max) => [min - 0.5, max + 0.5] } : {}) }, y: { range: (_u, _min, max) => [0, Math.max(max * 1.1, series.steps?.[0] ?? 1)] } },
      axes: [
        axis((_u, splits) => withoutRepeats(splits.map((s) => (kind === 'bars' && !Number.isInteger(s) ? '' : xLabel(s)))), 30, 60),
        axis((_u, splits) => splits.map((s) => series.format(s)), 70, 30, series.steps ? [...series.steps] : undefined),
      ],
      series: [
        {},
        {
          label: series.label,
          stroke: color,
          fill: kind === 'bars' ? color : undefined,
          width: kind === 'bars' ? 0 : 2,
          points: { show: kind === 'line' && x.length < 40, fill: color },
          ...(kind === 'bars' ? { paths: uPlot.paths.bars!({ size: [0.7, 28] }) } : {}),
        },
      ],
      plugins: [tooltip],
    };
    const chart = new uPlot(opts, [x, series.values], el);
    chart.root.setAttribute('aria-hidden', 'true'); // the table below says the same in words
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [x, series, kind, xLabel, note, height, scheme]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption id={titleId}>{title}</figcaption>
      <div className="chart-box" style={{ minHeight: height }}>
        <div ref={box} className="chart-canvas" role="img" aria-labelledby={titleId} />
        <div ref={tip} className="chart-tip" hidden aria-hidden="true" />
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {x.map((xv, i) => (
            <tr key={xv}>
              <th scope="row">{xLabel(xv)}</th>
              <td>
                {series.values[i] == null ? '–' : series.format(series.values[i]!)}
                {note ? ` · ${note(i)}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

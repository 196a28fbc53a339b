import type { Chart as ChartType, ChartConfiguration, ChartDataset, LegendItem, TooltipItem } from 'chart.js';

/**
 * Charts through Chart.js's UMD build, which index.html loads before the modules and which sets
 * `window.Chart`. Only types come from the package here; the import above is erased.
 */
type ChartConstructor = typeof ChartType;
type Kind = 'bar' | 'line';
type Points = (number | null)[];
export type ChartConfig = ChartConfiguration<Kind, Points, string>;
type Dataset = ChartDataset<Kind, Points>;

export const chartLibrary = (): ChartConstructor => {
  const library = (globalThis as { Chart?: ChartConstructor }).Chart;
  if (library === undefined) throw new Error('Chart.js did not load from /dashboard/assets/vendor/chart.umd.min.js.');
  return library;
};

/** The colours of the current theme, read from the CSS custom properties so charts follow light/dark. */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  accent: string;
  /** A quieter accent for a secondary series of the same family (P95 beside P50). */
  accentMuted: string;
  red: string;
  amber: string;
  green: string;
  /** Categorical colours for series that are not statuses (models, routes); accent first. */
  palette: string[];
  fontFamily: string;
}

export const readChartTheme = (): ChartTheme => {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string): string => style.getPropertyValue(name).trim();
  return {
    text: read('--text'),
    muted: read('--text-muted'),
    grid: read('--chart-grid'),
    surface: read('--surface'),
    accent: read('--accent'),
    accentMuted: read('--accent-muted'),
    red: read('--red'),
    amber: read('--amber'),
    green: read('--green'),
    palette: [1, 2, 3, 4, 5, 6, 7, 8].map((index) => read(`--series-${index}`)),
    fontFamily: getComputedStyle(document.body).fontFamily,
  };
};

/** Sets Chart.js defaults once per theme, so every chart shares type, grid and tooltip styling. */
export const applyChartDefaults = (theme: ChartTheme): void => {
  const defaults = chartLibrary().defaults;
  defaults.font.family = theme.fontFamily;
  defaults.font.size = 12;
  defaults.color = theme.muted;
  defaults.borderColor = theme.grid;
  defaults.maintainAspectRatio = false;
  // A dashboard that redraws every 15 s reads better without motion, and a drawn chart is final at once.
  defaults.animation = false;
  defaults.plugins.legend.labels.usePointStyle = true;
  defaults.plugins.legend.labels.pointStyle = 'circle';
  defaults.plugins.legend.labels.boxWidth = 7;
  defaults.plugins.legend.labels.boxHeight = 7;
  defaults.plugins.legend.labels.padding = 16;
  defaults.plugins.legend.labels.color = theme.muted;
  defaults.plugins.tooltip.backgroundColor = theme.text;
  defaults.plugins.tooltip.titleColor = theme.surface;
  defaults.plugins.tooltip.bodyColor = theme.surface;
  defaults.plugins.tooltip.padding = 10;
  defaults.plugins.tooltip.cornerRadius = 6;
  defaults.plugins.tooltip.boxPadding = 4;
  defaults.plugins.tooltip.usePointStyle = true;
  defaults.elements.point.radius = 0;
  defaults.elements.point.hoverRadius = 4;
  defaults.elements.line.borderWidth = 2;
  defaults.elements.line.tension = 0.3;
  defaults.elements.bar.borderRadius = 3;
};

/** Mixes a colour with transparency: `withAlpha('#4f46e5', 0.2)`. Accepts the #rrggbb the stylesheet uses. */
export const withAlpha = (color: string, alpha: number): string => {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (match === null || match[1] === undefined) return color;
  const value = Number.parseInt(match[1], 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
};

export interface Series {
  label: string;
  data: Points;
  color: string;
  kind: Kind;
  dashed?: boolean;
  /** Area under a line, in the line's colour at low opacity. */
  fill?: boolean;
  /** Series on the right-hand axis (errors next to requests). */
  secondaryAxis?: boolean;
  /** Bars with the same stack name sit on top of each other. */
  stack?: string;
  /** A thinner, quieter line (ideal paths, budgets). */
  quiet?: boolean;
}

export interface TimeSeriesOptions {
  labels: string[];
  series: Series[];
  /** How values are written in tooltips, and on the axis unless `axisFormat` is given. */
  format: (value: number) => string;
  /** A shorter form for axis ticks ("$1.5K" where the tooltip says "$1,482.10"). */
  axisFormat?: (value: number) => string;
  secondaryFormat?: (value: number) => string;
  stacked?: boolean;
  /** False lets the axis start near the data (scores hovering around 0.8); default true. */
  zeroBased?: boolean;
  minimum?: number;
  maximum?: number;
  legend?: boolean;
}

const toDataset = (series: Series): Dataset => {
  const base = {
    label: series.label,
    data: series.data,
    yAxisID: series.secondaryAxis === true ? 'secondary' : 'y',
    ...(series.stack === undefined ? {} : { stack: series.stack }),
  };
  if (series.kind === 'bar') {
    // Stacked segments stay square so the stack reads as one bar; a lone bar gets rounded corners.
    return {
      ...base,
      type: 'bar',
      backgroundColor: withAlpha(series.color, 0.85),
      hoverBackgroundColor: series.color,
      borderRadius: series.stack === undefined ? 3 : 0,
      maxBarThickness: 28,
      categoryPercentage: 0.8,
      barPercentage: 0.9,
    };
  }
  return {
    ...base,
    type: 'line',
    borderColor: series.color,
    backgroundColor: series.fill === true ? withAlpha(series.color, 0.12) : series.color,
    fill: series.fill === true ? 'origin' : false,
    borderWidth: series.quiet === true ? 1.5 : 2,
    borderDash: series.dashed === true ? [5, 4] : [],
    spanGaps: true,
    pointHoverBackgroundColor: series.color,
  };
};

/** The series' own colour (a line's stroke, a bar's fill), for legend dots and tooltip swatches. */
const solidColor = (series: Series | undefined, fallback: string): string => series?.color ?? fallback;

/** A bar/line chart over time buckets with the dashboard's axes, tooltips and number formats. */
export const timeSeriesChart = (options: TimeSeriesOptions): ChartConfig => {
  const hasSecondary = options.series.some((series) => series.secondaryAxis === true);
  const axisFormat = options.axisFormat ?? options.format;
  // Chart.js colours legend dots with the dataset's fill, which for an area line is nearly transparent.
  const legendLabels = (chart: ChartType): LegendItem[] =>
    chartLibrary()
      .defaults.plugins.legend.labels.generateLabels(chart)
      .map((item) => {
        const color = solidColor(options.series[item.datasetIndex ?? -1], String(item.fillStyle));
        return { ...item, fillStyle: color, strokeStyle: color, lineWidth: 0 };
      });
  const swatch = (item: TooltipItem<Kind>) => {
    const color = solidColor(options.series[item.datasetIndex], '#888888');
    return { borderColor: color, backgroundColor: color, borderWidth: 0, borderRadius: 3 };
  };
  const formatTooltip = (item: TooltipItem<Kind>): string => {
    const value = item.parsed.y;
    if (value === null || value === undefined) return `${item.dataset.label ?? ''}: —`;
    const format = item.dataset.yAxisID === 'secondary' ? (options.secondaryFormat ?? options.format) : options.format;
    return `${item.dataset.label ?? ''}: ${format(value)}`;
  };
  return {
    type: 'bar',
    data: { labels: options.labels, datasets: options.series.map(toDataset) },
    options: {
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: options.legend ?? options.series.length > 1, position: 'bottom', align: 'start', labels: { generateLabels: legendLabels } },
        tooltip: { callbacks: { label: formatTooltip, labelColor: swatch } },
      },
      scales: {
        x: {
          stacked: options.stacked === true,
          grid: { display: false },
          border: { display: false },
          ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 16 },
        },
        y: {
          stacked: options.stacked === true,
          beginAtZero: options.zeroBased ?? true,
          ...(options.minimum === undefined ? {} : { min: options.minimum }),
          ...(options.maximum === undefined ? {} : { max: options.maximum }),
          border: { display: false },
          ticks: { maxTicksLimit: 5, padding: 8, callback: (value) => axisFormat(Number(value)) },
        },
        ...(hasSecondary
          ? {
              secondary: {
                position: 'right' as const,
                beginAtZero: true,
                grid: { display: false },
                border: { display: false },
                ticks: { maxTicksLimit: 5, padding: 8, callback: (value: string | number) => (options.secondaryFormat ?? options.format)(Number(value)) },
              },
            }
          : {}),
      },
    },
  };
};

interface Registered {
  holder: HTMLDivElement;
  canvas: HTMLCanvasElement;
  chart: ChartType<Kind, Points, string> | null;
  type: Kind | null;
}

/**
 * Keeps each named chart alive across the page's 15-second refreshes: a refresh updates the data of
 * the existing Chart.js instance (no animation, no flicker) and the page re-uses its holder element,
 * instead of destroying and re-creating the chart every time.
 */
export class ChartRegistry {
  #charts = new Map<string, Registered>();
  #used = new Set<string>();

  /** Call before a page builds its tree; charts not rendered again before `finishRender` are destroyed. */
  beginRender(): void {
    this.#used.clear();
  }

  /**
   * The holder (a sized `div` around the canvas `chart-<name>`) showing `config`, or an empty holder
   * when `config` is null. `points` is written to the canvas's `data-points` for tests and tooling.
   */
  render(name: string, config: ChartConfig | null, points: number): HTMLDivElement {
    this.#used.add(name);
    let entry = this.#charts.get(name);
    if (entry === undefined) {
      const canvas = document.createElement('canvas');
      canvas.setAttribute('data-testid', `chart-${name}`);
      canvas.setAttribute('role', 'img');
      const holder = document.createElement('div');
      holder.className = 'chart-holder';
      holder.appendChild(canvas);
      entry = { holder, canvas, chart: null, type: null };
      this.#charts.set(name, entry);
    }
    if (config === null) {
      entry.chart?.destroy();
      entry.chart = null;
      entry.type = null;
      entry.holder.classList.add('is-empty');
    } else if (entry.chart !== null && entry.type === config.type) {
      entry.chart.data = config.data;
      entry.chart.options = config.options ?? {};
      entry.chart.update('none');
      entry.holder.classList.remove('is-empty');
    } else {
      entry.chart?.destroy();
      const Chart = chartLibrary();
      entry.chart = new Chart<Kind, Points, string>(entry.canvas, config);
      entry.type = config.type;
      entry.holder.classList.remove('is-empty');
    }
    entry.canvas.setAttribute('data-points', String(config === null ? 0 : points));
    const label = config === null ? 'No data' : (config.data.datasets.map((dataset) => dataset.label).join(', ') || name);
    entry.canvas.setAttribute('aria-label', label);
    return entry.holder;
  }

  finishRender(): void {
    for (const [name, entry] of this.#charts) {
      if (this.#used.has(name)) continue;
      entry.chart?.destroy();
      this.#charts.delete(name);
    }
  }

  destroyAll(): void {
    for (const entry of this.#charts.values()) entry.chart?.destroy();
    this.#charts.clear();
  }
}

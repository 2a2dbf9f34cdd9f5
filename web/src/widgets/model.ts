// The widgets' data as GET /api/widget/<id> sends it, and the pure mapping
// from that data to what the renderers draw (rows, cells, series, legends).
// Everything here is plain data so it can be unit-tested without a DOM.

import { formatPercent } from '../components/format';
import type { FlakyTest } from '../api/types';

/* ----------------------------------------------------------------------------
 * API shapes (see docs/api-compatibility.md#widgets and pkg/widget/*.go)
 * ------------------------------------------------------------------------- */

/** [pass percent | "Build failed", run id | "None", annotations, build label]. */
export type HeatmapEntry = [number | string, string, unknown, string];
/** The first element of every heatmap row: [slope, 0]. */
export type HeatmapTrendEntry = [number, number];
/** jenkins-heatmap and filter-heatmap. */
export interface HeatmapData {
  heatmap: Record<string, (HeatmapTrendEntry | HeatmapEntry)[]>;
}

/** result-summary: sums over the matching runs. */
export interface ResultSummaryData {
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  xfailed: number;
  xpassed: number;
  total: number;
}

/** result-aggregator: counts per group value (no count with for_filter). */
export type ResultAggregatorData = { _id: unknown; count?: number }[];

/** run-aggregator (percent per group) and jenkins-bar-chart (count per build). */
export type StackedData = Partial<Record<StatusKey, Record<string, number>>>;

/** jenkins-line-chart: hours per build. */
export interface LineChartData {
  duration?: Record<string, number>;
  total_execution_time?: Record<string, number>;
}

export interface ImportanceCell {
  percentage: number | string;
  result_list: string[];
}
/** importance-component. */
export interface ImportanceData {
  table_data: {
    component: string;
    bnums: string[];
    importances: string[];
    data: Record<string, Record<string, ImportanceCell>>;
  }[];
}

/** run-matrix (Go addition). */
export interface RunMatrixData {
  columns: { field: string; value: string }[];
  rows: {
    run_id: string;
    start_time: string;
    project_id: string | null;
    cells: ({ percent: number; passed: number; total: number } | null)[];
  }[];
}

/** flaky-tests (Go addition, docs/triage.md#flaky-tests). */
export interface FlakyTestsData {
  /** The flaky-test rows without their evidence. */
  tests: Omit<FlakyTest, 'detected_at' | 'evidence'>[];
  total: number;
}

/* ----------------------------------------------------------------------------
 * Shared helpers
 * ------------------------------------------------------------------------- */

/** A pass percentage as the widgets show it: the UI's one rounding rule (formatPercent), "n/a" when unknown. */
export function formatPassPercent(p: number | null | undefined): string {
  return formatPercent(p, 'n/a');
}

/** Pass-rate bands, as upstream: below 50 bad, 50–85 warning, above 85 good. */
export type HeatLevel = 'high' | 'mid' | 'low' | 'none';
export function heatLevel(p: number | null | undefined): HeatLevel {
  if (p === null || p === undefined || Number.isNaN(p)) return 'none';
  if (p < 50) return 'low';
  if (p <= 85) return 'mid';
  return 'high';
}

/** Sorts labels numerically when they are numbers ("2" < "10"), else as text. */
export function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na) && a.trim() !== '') return -1;
  if (!Number.isNaN(nb) && b.trim() !== '') return 1;
  return a.localeCompare(b);
}

/** Link to a run, inside the project when there is one. */
export function runLink(runId: string, projectId?: string | null): string {
  return projectId ? `/project/${projectId}/runs/${runId}` : `/runs/${runId}`;
}

/* ----------------------------------------------------------------------------
 * Heatmaps
 * ------------------------------------------------------------------------- */

export type TrendKind = 'up' | 'flat' | 'down' | 'perfect';

/**
 * The trend column: the first entry of a row is [slope, 0]. As upstream:
 * negative = declining, 0..1 = stable, 100 = every run passed, above 1 =
 * improving.
 */
export function trendKind(slope: number): TrendKind {
  if (slope === 100) return 'perfect';
  if (slope < 0) return 'down';
  if (slope <= 1) return 'flat';
  return 'up';
}

export const trendText: Record<TrendKind, string> = {
  up: 'Improving',
  flat: 'Stable',
  down: 'Declining',
  perfect: 'All passing',
};

export interface HeatCell {
  /** Build number (jenkins-heatmap) or the API's position label (filter-heatmap). */
  label: string;
  /** null when the build failed (no run for this group). */
  percent: number | null;
  runId: string | null;
  level: HeatLevel;
  annotations: string[];
}

export interface HeatRow {
  group: string;
  slope: number;
  trend: TrendKind;
  /** One per column; null where the group has no entry for that column. */
  cells: (HeatCell | null)[];
}

export interface HeatmapView {
  /** Column headers, oldest to newest. */
  columns: string[];
  rows: HeatRow[];
}

function annotationText(a: unknown): string[] {
  if (!Array.isArray(a)) return [];
  return a
    .map((x) => {
      if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if (o.name !== undefined && o.value !== undefined) return `${String(o.name)}: ${String(o.value)}`;
        if (o.name !== undefined) return String(o.name);
      }
      return typeof x === 'string' ? x : '';
    })
    .filter(Boolean);
}

function toCell(e: HeatmapEntry): HeatCell {
  const [pp, run, ann, label] = e;
  const percent = typeof pp === 'number' ? pp : null;
  const runId = typeof run === 'string' && run && run !== 'None' ? run : null;
  return { label: String(label ?? ''), percent, runId, level: heatLevel(percent), annotations: annotationText(ann) };
}

/**
 * Maps heatmap data to a table. "build" mode (jenkins-heatmap) lines the
 * cells up by build number, the union of every group's builds in ascending
 * order; "position" mode (filter-heatmap, whose labels are positions in the
 * API's run list and differ between groups) lines them up by recency, newest
 * in the last column.
 */
export function heatmapView(data: HeatmapData | null | undefined, mode: 'build' | 'position'): HeatmapView {
  const groups = Object.keys(data?.heatmap ?? {}).sort((a, b) => a.localeCompare(b));
  const parsed = groups.map((group) => {
    const entries = data!.heatmap[group] ?? [];
    let slope = 0;
    const cells: HeatCell[] = [];
    entries.forEach((e, i) => {
      if (i === 0 && Array.isArray(e) && e.length === 2) {
        slope = Number(e[0]) || 0;
        return;
      }
      if (Array.isArray(e) && e.length >= 2) cells.push(toCell(e as HeatmapEntry));
    });
    return { group, slope, cells };
  });

  if (mode === 'build') {
    const labels = new Set<string>();
    parsed.forEach((p) => p.cells.forEach((c) => labels.add(c.label)));
    const columns = [...labels].sort(compareLabels);
    return {
      columns,
      rows: parsed.map((p) => {
        const byLabel = new Map(p.cells.map((c) => [c.label, c]));
        return { group: p.group, slope: p.slope, trend: trendKind(p.slope), cells: columns.map((l) => byLabel.get(l) ?? null) };
      }),
    };
  }

  const width = Math.max(0, ...parsed.map((p) => p.cells.length));
  const columns = Array.from({ length: width }, (_, i) => String(i + 1));
  return {
    columns,
    rows: parsed.map((p) => ({
      group: p.group,
      slope: p.slope,
      trend: trendKind(p.slope),
      cells: [...Array<HeatCell | null>(width - p.cells.length).fill(null), ...p.cells],
    })),
  };
}

/* ----------------------------------------------------------------------------
 * Result statuses: one order, label and colour everywhere
 * ------------------------------------------------------------------------- */

export type StatusKey = 'passed' | 'failed' | 'error' | 'skipped' | 'xfailed' | 'xpassed';

export const statusOrder: StatusKey[] = ['passed', 'failed', 'error', 'skipped', 'xfailed', 'xpassed'];

export const statusLabel: Record<string, string> = {
  passed: 'Passed',
  failed: 'Failed',
  error: 'Error',
  skipped: 'Skipped',
  xfailed: 'Xfailed',
  xpassed: 'Xpassed',
  manual: 'Manual',
  blocked: 'Blocked',
};

export const statusColor: Record<string, string> = {
  passed: 'var(--pf-t--global--color--status--success--default)',
  failed: 'var(--pf-t--global--color--status--danger--default)',
  error: 'var(--pf-t--global--color--status--warning--default)',
  skipped: 'var(--pf-t--global--color--nonstatus--gray--300)',
  xfailed: 'var(--pf-t--global--color--nonstatus--purple--300)',
  xpassed: 'var(--pf-t--global--color--nonstatus--teal--300)',
  manual: 'var(--pf-t--global--color--nonstatus--blue--300)',
  blocked: 'var(--pf-t--global--color--nonstatus--yellow--300)',
};

/** Colours for groups that are not result statuses. */
export const groupPalette = [
  'var(--pf-t--global--color--nonstatus--blue--300)',
  'var(--pf-t--global--color--nonstatus--teal--300)',
  'var(--pf-t--global--color--nonstatus--purple--300)',
  'var(--pf-t--global--color--nonstatus--orange--300)',
  'var(--pf-t--global--color--nonstatus--green--300)',
  'var(--pf-t--global--color--nonstatus--yellow--300)',
  'var(--pf-t--global--color--nonstatus--red--300)',
  'var(--pf-t--global--color--nonstatus--gray--300)',
];

export interface LegendItem {
  key: string;
  label: string;
  value: number;
  color: string;
}

/** result-summary → donut slices (statuses with a count) and the total. */
export function resultSummaryView(d: Partial<ResultSummaryData> | null | undefined): { items: LegendItem[]; total: number } {
  const items = statusOrder.map((k) => ({ key: k, label: statusLabel[k], value: Number(d?.[k] ?? 0) || 0, color: statusColor[k] }));
  const total = Number(d?.total ?? 0) || items.reduce((a, i) => a + i.value, 0);
  return { items: items.filter((i) => i.value > 0), total };
}

/** result-aggregator → one slice per group value, largest first (as the API orders them). */
export function resultAggregatorView(
  d: ResultAggregatorData | null | undefined,
  groupField?: string,
): { items: LegendItem[]; total: number; distinctOnly: boolean } {
  const rows = Array.isArray(d) ? d : [];
  const distinctOnly = rows.length > 0 && rows.every((r) => r.count === undefined);
  const isStatus = (groupField ?? '') === 'result';
  const items = rows.map((r, i) => {
    const key = r._id === null || r._id === undefined ? 'None' : typeof r._id === 'object' ? JSON.stringify(r._id) : String(r._id);
    return {
      key,
      label: isStatus ? (statusLabel[key] ?? key) : key,
      value: Number(r.count ?? 0) || 0,
      color: isStatus && statusColor[key] ? statusColor[key] : groupPalette[i % groupPalette.length],
    };
  });
  return { items, total: items.reduce((a, i) => a + i.value, 0), distinctOnly };
}

/** One series of a chart over categories: its colour and its value (y) in each category (x). */
export interface ChartSeries<K extends string = string> {
  key: K;
  label: string;
  color: string;
  points: { x: string; y: number }[];
}

/** s's value in category c (0 where it has none). */
export function seriesValue(s: Pick<ChartSeries, 'points'>, c: string): number {
  return s.points.find((p) => p.x === c)?.y ?? 0;
}

export type StackedSeries = ChartSeries<StatusKey>;

/**
 * run-aggregator and jenkins-bar-chart → one series per status over the
 * union of the categories (groups or builds), sorted; statuses that are zero
 * everywhere are left out.
 */
export function stackedView(d: StackedData | null | undefined): { categories: string[]; series: StackedSeries[] } {
  const cats = new Set<string>();
  statusOrder.forEach((k) => Object.keys(d?.[k] ?? {}).forEach((c) => cats.add(c)));
  const categories = [...cats].sort(compareLabels);
  const series = statusOrder
    .map((k) => ({
      key: k,
      label: statusLabel[k],
      color: statusColor[k],
      points: categories.map((c) => ({ x: c, y: Number(d?.[k]?.[c] ?? 0) || 0 })),
    }))
    .filter((s) => s.points.some((p) => p.y !== 0));
  return { categories, series };
}

export type LineSeries = ChartSeries;

/** jenkins-line-chart → duration (and total execution time) in hours per build. */
export function lineChartView(d: LineChartData | null | undefined): { categories: string[]; series: LineSeries[] } {
  const defs = [
    { key: 'duration', label: 'Duration', color: 'var(--pf-t--global--color--nonstatus--blue--300)' },
    { key: 'total_execution_time', label: 'Total execution time', color: 'var(--pf-t--global--color--nonstatus--orange--300)' },
  ] as const;
  const cats = new Set<string>();
  defs.forEach((s) => Object.keys(d?.[s.key] ?? {}).forEach((c) => cats.add(c)));
  const categories = [...cats].sort(compareLabels);
  const series = defs
    .filter((s) => d?.[s.key] && Object.keys(d[s.key]!).length > 0)
    .map((s) => ({ ...s, points: categories.map((c) => ({ x: c, y: Number(d?.[s.key]?.[c] ?? 0) || 0 })) }));
  return { categories, series };
}

/**
 * A chart's ariaDesc: each category with every series' value in it
 * ("Build 12: Duration 2 h, Total execution time 3 h; Build 13: ..."), so
 * that a screen reader hears what the bars and lines draw. The stacked bars
 * and the line chart share it; prefix names the category ("Build ").
 */
export function seriesDesc(categories: string[], series: Pick<ChartSeries, 'label' | 'points'>[], format: (v: number) => string, prefix = ''): string {
  return categories.map((c) => `${prefix}${c}: ${series.map((s) => `${s.label} ${format(seriesValue(s, c))}`).join(', ')}`).join('; ');
}

/** Hours as the line chart shows them: "2 h", "0.01 h". */
export function formatHours(h: number): string {
  return `${Math.round(h * 100) / 100} h`;
}

/* ----------------------------------------------------------------------------
 * importance-component and run-matrix
 * ------------------------------------------------------------------------- */

export interface ImportanceTable {
  component: string;
  builds: string[];
  rows: { importance: string; cells: { percent: number | null; results: number; level: HeatLevel }[] }[];
}

/** importance-component → one table per component: importances × builds, the pass fraction as a percent. */
export function importanceView(d: ImportanceData | null | undefined): ImportanceTable[] {
  return (d?.table_data ?? []).map((t) => {
    const builds = [...(t.bnums ?? [])].sort(compareLabels);
    const importances = [...(t.importances ?? [])];
    for (const b of builds) {
      for (const imp of Object.keys(t.data?.[b] ?? {})) if (!importances.includes(imp)) importances.push(imp);
    }
    return {
      component: t.component,
      builds,
      rows: importances.map((imp) => ({
        importance: imp,
        cells: builds.map((b) => {
          const c = t.data?.[b]?.[imp];
          const percent = c && typeof c.percentage === 'number' ? Math.round(c.percentage * 10000) / 100 : null;
          return { percent, results: c?.result_list?.length ?? 0, level: heatLevel(percent) };
        }),
      })),
    };
  });
}

export interface RunMatrixView {
  /** Header row 1: each field with how many value columns it spans. */
  fields: { field: string; span: number }[];
  columns: { field: string; value: string }[];
  rows: { runId: string; startTime: string; cells: ({ percent: number; passed: number; total: number; level: HeatLevel } | null)[] }[];
}

export function runMatrixView(d: RunMatrixData | null | undefined): RunMatrixView {
  const columns = d?.columns ?? [];
  const fields: { field: string; span: number }[] = [];
  for (const c of columns) {
    const last = fields.at(-1);
    if (last && last.field === c.field) last.span++;
    else fields.push({ field: c.field, span: 1 });
  }
  return {
    fields,
    columns,
    rows: (d?.rows ?? []).map((r) => ({
      runId: r.run_id,
      startTime: r.start_time,
      cells: columns.map((_, i) => {
        const c = r.cells?.[i];
        return c ? { ...c, level: heatLevel(c.percent) } : null;
      }),
    })),
  };
}

/* ----------------------------------------------------------------------------
 * Empty data, per widget
 * ------------------------------------------------------------------------- */

/** An explanation when the widget's data has nothing to draw, else null. */
export function emptyReason(widget: string, data: unknown): string | null {
  if (data === null || data === undefined) return 'The widget returned no data.';
  switch (widget) {
    case 'jenkins-heatmap':
      return Object.keys((data as HeatmapData).heatmap ?? {}).length ? null : 'No runs found for this job. Check the job name, group field and filters.';
    case 'filter-heatmap':
      return Object.keys((data as HeatmapData).heatmap ?? {}).length ? null : 'No runs match these filters.';
    case 'result-summary':
      return resultSummaryView(data as ResultSummaryData).total ? null : 'No results match these parameters.';
    case 'result-aggregator':
      return Array.isArray(data) && data.length ? null : 'No results in this period.';
    case 'run-aggregator':
    case 'jenkins-bar-chart':
      return stackedView(data as StackedData).categories.length ? null : 'No runs match these parameters.';
    case 'jenkins-line-chart':
      return lineChartView(data as LineChartData).categories.length ? null : 'No builds found for this job.';
    case 'importance-component':
      return (data as ImportanceData).table_data?.length ? null : 'No results for this job and these components.';
    case 'run-matrix':
      return (data as RunMatrixData).rows?.length ? null : 'No runs match these parameters.';
    case 'flaky-tests':
      return (data as FlakyTestsData).tests?.length ? null : 'No flaky tests: nothing passed and failed in one run or build, or flipped often.';
    default:
      return null;
  }
}

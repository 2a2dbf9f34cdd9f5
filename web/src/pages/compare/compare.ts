// What the compare page asks the compare-runs-view widget for, and how it
// keeps that in the URL: two explicit runs (base/target) or two filter sets
// (the run of the newest result matching each).
import type { QueryValue } from '../../api/client';
import type { Run } from '../../api/types';
import { formatDate } from '../../components/format';

export type CompareSpec =
  { mode: 'runs'; base: string; target: string; threshold?: number } | { mode: 'filters'; baseFilter: string; targetFilter: string; threshold?: number };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s.trim());
}

/** Reads a comparison from the page URL (?base=&target= or ?base_filter=&target_filter=). */
export function specFromParams(p: URLSearchParams): CompareSpec | null {
  const t = p.get('threshold');
  const threshold = t !== null && t !== '' && Number.isFinite(Number(t)) && Number(t) >= 0 ? Number(t) : undefined;
  const base = p.get('base')?.trim();
  const target = p.get('target')?.trim();
  if (base && target) return { mode: 'runs', base, target, threshold };
  const bf = p.get('base_filter')?.trim();
  const tf = p.get('target_filter')?.trim();
  if (bf && tf) return { mode: 'filters', baseFilter: bf, targetFilter: tf, threshold };
  return null;
}

/** The URL search params of a comparison. */
export function specToParams(s: CompareSpec): URLSearchParams {
  const p = new URLSearchParams();
  if (s.mode === 'runs') {
    p.set('base', s.base);
    p.set('target', s.target);
  } else {
    p.set('base_filter', s.baseFilter);
    p.set('target_filter', s.targetFilter);
  }
  if (s.threshold !== undefined) p.set('threshold', String(s.threshold));
  return p;
}

/** The query of GET /api/widget/compare-runs-view for a comparison. */
export function widgetQuery(s: CompareSpec, projectId: string | null): Record<string, QueryValue> {
  const q: Record<string, QueryValue> = {};
  if (s.mode === 'runs') {
    q.base_run = s.base;
    q.target_run = s.target;
  } else {
    q.additional_filters = [s.baseFilter, s.targetFilter];
  }
  if (s.threshold !== undefined) q.duration_threshold = s.threshold;
  if (projectId) q.project = projectId;
  return q;
}

/** A filter-set text box is usable when every comma-separated part is "field<op>value". */
export function filterSetProblem(s: string): string | null {
  const parts = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (parts.length === 0) return 'Enter at least one filter, e.g. component=frontend';
  for (const part of parts) {
    if (!/^[A-Za-z0-9._-]+(>=|<=|=|!|>|\)|<|\(|~|\*|%|@)/.test(part)) return `"${part}" is not a filter (field, operator, value)`;
  }
  return null;
}

function jenkins(run: Run): { job?: string; build?: string } {
  const j = (run.metadata as { jenkins?: { job_name?: unknown; build_number?: unknown } } | null | undefined)?.jenkins;
  return {
    job: typeof j?.job_name === 'string' ? j.job_name : undefined,
    build: j?.build_number !== undefined && j?.build_number !== null ? String(j.build_number) : undefined,
  };
}

/** How a run reads in the picker: what it tested, where, which build, when. */
export function runLabel(run: Run): string {
  const { job, build } = jenkins(run);
  // Without a Jenkins job, the run's source names its series (as runName does).
  const parts = [job ? null : run.source, run.component, run.env, job && build ? `${job} #${build}` : job].filter(Boolean) as string[];
  parts.push(formatDate(run.start_time ?? run.created));
  return parts.join(' · ');
}

export function runDescription(run: Run): string {
  const s = run.summary ?? {};
  const n = (k: string) => Number((s as Record<string, unknown>)[k] ?? 0) || 0;
  const bits = [`${n('tests')} tests`, `${n('failures')} failed`, `${n('errors')} errors`];
  return `${bits.join(', ')} — ${run.id.slice(0, 8)}`;
}

/** The run filter used to search for the picker's text. */
export function runSearchFilter(text: string): string | null {
  const t = text.trim();
  if (!t || isUuid(t)) return null;
  if (/^\d+$/.test(t)) return `metadata.jenkins.build_number=${t}`;
  return `component%${t}`;
}

/** "+1.25 s" / "−0.50 s". */
export function formatDelta(d: number): string {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  return `${sign}${Math.abs(d).toFixed(2)} s`;
}

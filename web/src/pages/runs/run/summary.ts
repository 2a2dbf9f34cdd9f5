// The run page's summary tiles: the run summary's counts (passes and the
// pass rate derived when the summary lacks them, as runs imported from JUnit
// by older versions do) and the results-list link each tile opens.
import type { Run, RunSummary } from '../../../api/types';
import { percentOf } from '../../../components/format';
import { jenkinsBuild } from '../../../components/run/runName';

export interface Tile {
  key: string;
  label: string;
  /** The number shown (a count, or a formatted duration/percentage). */
  value: number | null;
  /** The results status this tile filters on; absent for total/duration/pass rate. */
  status?: string;
  /** True when the value was computed here rather than read from the summary. */
  derived?: boolean;
}

function num(s: RunSummary | null | undefined, k: string): number | null {
  const v = s?.[k];
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function summaryTiles(run: Run): Tile[] {
  const s = run.summary ?? {};
  const failures = num(s, 'failures') ?? 0;
  const errors = num(s, 'errors') ?? 0;
  const skips = num(s, 'skips') ?? 0;
  const xfailures = num(s, 'xfailures') ?? 0;
  const xpasses = num(s, 'xpasses') ?? 0;
  const tests = num(s, 'tests') ?? num(s, 'collected');
  let passes = num(s, 'passes');
  let passDerived = false;
  if (passes === null && tests !== null) {
    passes = Math.max(0, tests - failures - errors - skips - xfailures - xpasses);
    passDerived = true;
  }
  let pct = num(s, 'pass_percent');
  let pctDerived = false;
  if (pct === null && tests && passes !== null) {
    pct = percentOf(passes, tests);
    pctDerived = true;
  }
  return [
    { key: 'passed', label: 'Passed', value: passes, status: 'passed', derived: passDerived },
    { key: 'failed', label: 'Failed', value: failures, status: 'failed' },
    { key: 'error', label: 'Errors', value: errors, status: 'error' },
    { key: 'skipped', label: 'Skipped', value: skips, status: 'skipped' },
    { key: 'xfailed', label: 'Xfailed', value: xfailures, status: 'xfailed' },
    { key: 'xpassed', label: 'Xpassed', value: xpasses, status: 'xpassed' },
    // Our own count, beside upstream's (docs/triage.md#quarantine): failures and
    // errors of quarantined tests, shown when there are any.
    ...(run.quarantined ? [{ key: 'quarantined', label: 'Quarantined', value: run.quarantined }] : []),
    { key: 'total', label: 'Total', value: tests },
    { key: 'duration', label: 'Duration', value: run.duration ?? null },
    { key: 'pass_percent', label: 'Pass rate', value: pct, derived: pctDerived },
  ];
}

/**
 * The results list URL for a run, optionally narrowed to one status, in
 * the list page's format: repeated `filter` parameters holding raw filter
 * strings ("run_id=<id>", "result=failed").
 */
export function resultsLink(base: string, runId: string, status?: string): string {
  const p = new URLSearchParams();
  p.append('filter', `run_id=${runId}`);
  if (status) p.append('filter', `result=${status}`);
  return `${base}/results?${p.toString()}`;
}

/** The run's Jenkins build as the summary shows it (jenkinsBuild): "–" for a missing job or build, null when it has neither. */
export function jenkinsInfo(md: Record<string, unknown> | null | undefined): { job: string; build: string; url: string | null } | null {
  const { job, build, url } = jenkinsBuild({ metadata: md });
  if (job === undefined && build === undefined) return null;
  return { job: job ?? '–', build: build ?? '–', url: url ?? null };
}

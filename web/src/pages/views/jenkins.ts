// Jenkins job view logic kept apart for tests: the toolbar's filters as
// widget additional_filters, pass percentages, and links to the runs of a build.
import type { JenkinsJob } from '../../api/types';
import { percentOf } from '../../components/format';

export interface JobFilters {
  job?: string;
  build?: string;
  env?: string;
  source?: string;
}

/**
 * The toolbar's filters in the widget's filter language. The widget prefixes
 * anything mentioning job_name/build_number with metadata.jenkins., so
 * those are sent bare; the job name matches as a substring.
 */
export function jobFilters(f: JobFilters): string[] {
  const out: string[] = [];
  const clean = (s: string) => s.trim().replace(/,/g, '');
  if (f.job?.trim()) out.push(`job_name%${clean(f.job)}`);
  if (f.build?.trim()) out.push(`build_number=${clean(f.build)}`);
  if (f.env?.trim()) out.push(`env=${clean(f.env)}`);
  if (f.source?.trim()) out.push(`source=${clean(f.source)}`);
  return out;
}

/** The view's configured additional_filters (a list or a comma string) as a list. */
export function configuredFilters(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter((s) => s.trim());
  if (typeof v === 'string' && v.trim()) return [v];
  return [];
}

/** Pass percentage of a build (passes / tests), or null without tests. */
export function passPercent(job: Pick<JenkinsJob, 'summary'>): number | null {
  const s = job.summary ?? {};
  const tests = Number(s.tests ?? 0);
  if (!tests) return null;
  const passes =
    s.passes !== undefined
      ? Number(s.passes)
      : tests - ['failures', 'errors', 'skips', 'xfailures', 'xpasses'].reduce((a, k) => a + Number((s as Record<string, unknown>)[k] ?? 0), 0);
  return percentOf(passes, tests);
}

/** The runs page, filtered to one Jenkins build. */
export function buildRunsPath(base: string, job: Pick<JenkinsJob, 'job_name' | 'build_number'>): string {
  const p = new URLSearchParams();
  if (job.job_name) p.append('filter', `metadata.jenkins.job_name=${job.job_name}`);
  if (job.build_number) p.append('filter', `metadata.jenkins.build_number=${job.build_number}`);
  return `${base}/runs?${p.toString()}`;
}

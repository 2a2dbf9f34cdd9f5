// How a run is named for people, everywhere a run is shown or picked (runs
// list, run page header, breadcrumbs, compare pickers, history charts):
// a Jenkins build reads "job #build"; a run without Jenkins metadata reads
// as what it tested and when — "source · component · env · Mar 3, 14:05" —
// instead of a UUID prefix, which nobody can tell apart.
import type { Run } from '../../api/types';

type Named = Pick<Run, 'id' | 'source' | 'component' | 'env' | 'start_time' | 'created' | 'metadata'>;

/**
 * The Jenkins job, build number and build URL of a run's metadata
 * (metadata.jenkins.{job_name,build_number,build_url}), when it has them; the
 * URL only when it is a web address, as it becomes a link.
 */
export function jenkinsBuild(run: Pick<Run, 'metadata'>): { job?: string; build?: string; url?: string } {
  const j = run.metadata?.jenkins;
  if (!j || typeof j !== 'object') return {};
  const o = j as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
  const url = typeof o.build_url === 'string' && /^https?:\/\//i.test(o.build_url) ? o.build_url : undefined;
  return { job: str(o.job_name), build: str(o.build_number), url };
}

/** "Mar 3, 14:05" in the browser's locale and time zone; "" for no time. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + 'Z');
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "job #build" for a Jenkins build, else null. */
export function buildLabel(run: Pick<Run, 'metadata'>): string | null {
  const { job, build } = jenkinsBuild(run);
  if (!job && !build) return null;
  return `${job ?? 'Build'} #${build ?? '?'}`;
}

/** What a run tested: its source, component and env that are set, joined by " · ". */
export function runSeries(run: Named): string {
  return [run.source, run.component, run.env].filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(' · ');
}

/**
 * A run's readable name: "job #build" for Jenkins builds; else its series
 * and start time ("ci · frontend · qa · Mar 3, 14:05"); with nothing set,
 * "Run 1a2b3c4d · Mar 3, 14:05". `time` formats the start time (tests pass
 * a fixed one; the default is shortTime).
 */
export function runName(run: Named, time: (iso: string | null | undefined) => string = shortTime): string {
  const jenkins = buildLabel(run);
  if (jenkins) return jenkins;
  const when = time(run.start_time ?? run.created);
  const series = runSeries(run) || `Run ${run.id.slice(0, 8)}`;
  return when ? `${series} · ${when}` : series;
}

/**
 * A shorter name for tables that show the run's component and env in
 * columns of their own: "job #build", else "source · Mar 3, 14:05" (or the
 * short id for the source).
 */
export function runShortName(run: Named, time: (iso: string | null | undefined) => string = shortTime): string {
  const jenkins = buildLabel(run);
  if (jenkins) return jenkins;
  const when = time(run.start_time ?? run.created);
  const what = run.source?.trim() || `Run ${run.id.slice(0, 8)}`;
  return when ? `${what} · ${when}` : what;
}

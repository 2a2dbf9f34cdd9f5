// How the widget wizard shows a widget parameter: a human label instead of
// the API's name, and for some params a richer input — a duration in words
// for numbers of days/weeks/seconds, suggestions from the project's data for
// Jenkins job names and result fields.
import type { DurationUnit } from './durations';

export interface ParamSpec {
  label: string;
  /** The param is a number of this unit, entered and shown as a duration. */
  duration?: DurationUnit;
  /** Help shown instead of the API's description (which speaks of the API's units). */
  help?: string;
  /** Where suggestions come from: the project's Jenkins job names, or its result fields. */
  suggest?: 'job' | 'field';
}

const SPECS: Record<string, ParamSpec> = {
  job_name: { label: 'Jenkins job', suggest: 'job' },
  group_field: { label: 'Group by', suggest: 'field' },
  builds: { label: 'Number of builds' },
  count_skips: { label: 'Count skips' },
  additional_filters: { label: 'Filters' },
  project: { label: 'Project' },
  days: { label: 'Time window', duration: 'day', help: 'How far back to count results, e.g. “7 days”, “12 hours” or “2 weeks”.' },
  weeks: { label: 'Time window', duration: 'week', help: 'How far back to count runs, in whole weeks, e.g. “4 weeks” or “28 days”.' },
  duration_threshold: {
    label: 'Duration change threshold',
    duration: 'second',
    help: 'Report tests whose duration changed by more than this, e.g. “5 seconds” or “1 minute”.',
  },
  run_id: { label: 'Run' },
  for_filter: { label: 'Distinct values only' },
  source: { label: 'Source' },
  env: { label: 'Environment' },
  components: { label: 'Components' },
  columns: { label: 'Columns' },
  limit: { label: 'Number of runs' },
  run_list: { label: 'Runs' },
  base_run: { label: 'Base run' },
  target_run: { label: 'Target run' },
  page: { label: 'Page' },
  page_size: { label: 'Builds per page' },
  run_limit: { label: 'Runs to scan' },
};

/** "some_param" → "Some param" for a param this UI does not know yet. */
export function humanize(name: string): string {
  const s = name.replace(/[_.-]+/g, ' ').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : name;
}

/**
 * The spec of a param. A duration needs a numeric declaration (a param of
 * that name declared otherwise is shown as declared).
 */
export function paramSpec(name: string, type?: string): ParamSpec {
  const spec = SPECS[name] ?? { label: humanize(name) };
  if (spec.duration && type !== 'integer' && type !== 'float') return { label: spec.label, suggest: spec.suggest };
  return spec;
}

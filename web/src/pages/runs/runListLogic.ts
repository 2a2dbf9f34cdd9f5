// Pure helpers of the run list: deciding whether a run is still receiving
// results (live refresh).
import type { Run } from '../../api/types';

/** A run counts as receiving while its last result is this recent. */
export const LIVE_WINDOW_MS = 5 * 60 * 1000;
/** How often the list refreshes while a run on the page is receiving. */
export const LIVE_POLL_MS = 10 * 1000;

/**
 * Whether a run is probably still receiving results. Runs carry no "last
 * result" time, so this estimates it as start_time + duration (the duration
 * is the sum of the results' durations, kept current by the server), and
 * only for runs that started within the last day (parallel runs can sum to
 * more than their wall time).
 */
export function isReceiving(run: Pick<Run, 'start_time' | 'duration'>, now = Date.now()): boolean {
  if (!run.start_time) return false;
  const start = Date.parse(run.start_time.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(run.start_time) ? run.start_time : run.start_time + 'Z');
  if (Number.isNaN(start) || start > now + 60_000 || now - start > 24 * 3600_000) return false;
  const lastResult = start + Math.max(0, run.duration ?? 0) * 1000;
  return now - lastResult < LIVE_WINDOW_MS;
}

// Durations as people write them ("7 days", "12 hours", "1 day 6 hours",
// "2w", "36h") for widget parameters the API takes as a number of some unit
// (result-aggregator's `days`, run-aggregator's `weeks`, compare-runs'
// `duration_threshold` in seconds).

export type DurationUnit = 'second' | 'minute' | 'hour' | 'day' | 'week';

export const UNIT_SECONDS: Record<DurationUnit, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

const ALIASES: [RegExp, DurationUnit][] = [
  [/^(s|secs?|seconds?)$/, 'second'],
  [/^(m|mins?|minutes?)$/, 'minute'],
  [/^(h|hrs?|hours?)$/, 'hour'],
  [/^(d|days?)$/, 'day'],
  [/^(w|wks?|weeks?)$/, 'week'],
];

function unitOf(word: string): DurationUnit | null {
  const w = word.toLowerCase();
  for (const [re, u] of ALIASES) if (re.test(w)) return u;
  return null;
}

/**
 * Seconds in a duration text: one or more "<number> <unit>" parts, or a
 * bare number meaning bareUnit. Null when the text is not a duration.
 */
export function parseDuration(text: string, bareUnit: DurationUnit): number | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/,|\band\b/g, ' ');
  if (t === '') return null;
  if (/^\d+(\.\d+)?$|^\.\d+$/.test(t)) return Number(t) * UNIT_SECONDS[bareUnit];
  const re = /(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)/g;
  let total = 0;
  let consumed = '';
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const u = unitOf(m[2]);
    if (!u) return null;
    total += Number(m[1]) * UNIT_SECONDS[u];
    consumed += m[0];
  }
  // Everything but spaces must have been read as parts.
  if (consumed.replace(/\s/g, '') !== t.replace(/\s/g, '')) return null;
  return total;
}

const plural = (n: number, unit: DurationUnit) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * A duration in seconds as text: in the param's own unit when it is a whole
 * number of them ("90 days", "4 weeks"), else at most two parts from days
 * down ("12 hours", "1 day 6 hours").
 */
export function formatHumanDuration(seconds: number, unit: DurationUnit): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const inUnit = seconds / UNIT_SECONDS[unit];
  if (Number.isInteger(inUnit)) return plural(inUnit, unit);
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const u of ['day', 'hour', 'minute', 'second'] as DurationUnit[]) {
    const n = Math.floor(rest / UNIT_SECONDS[u]);
    if (n > 0 && parts.length < 2) {
      parts.push(plural(n, u));
      rest -= n * UNIT_SECONDS[u];
    } else if (parts.length > 0) break;
  }
  return parts.join(' ') || plural(0, unit);
}

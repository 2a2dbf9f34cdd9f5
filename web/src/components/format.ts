// Formatting shared by every page: durations, timestamps, percentages.

/** 0.42 → "420 ms", 75 → "1m 15s", 3725 → "1h 2m 5s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h ? `${h}h ${m}m ${r}s` : `${m}m ${r}s`;
}

/** An ISO timestamp in the browser's locale, or "–". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "3 minutes ago" style, for lists. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diff = Math.round((now - t) / 1000);
  const abs = Math.abs(diff);
  const units: [number, Intl.RelativeTimeFormatUnit][] = [
    [86400 * 365, 'year'],
    [86400 * 30, 'month'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [size, unit] of units) {
    if (abs >= size || unit === 'second') return rtf.format(-Math.trunc(diff / size), unit);
  }
  return iso;
}

// One rounding rule for every percentage the UI shows: a whole percent,
// rounded down. It is the server's rule for summary.pass_percent
// (floor(passes*100/tests)), so a run reads the same where the server's value
// is shown (runs list) and where the UI derives it (run page, history, Jenkins
// and widget views); rounding down also means 100% only when nothing failed.

/** part/whole as a whole percent (rounded down, clamped to 0–100), or null without a whole. */
export function percentOf(part: number, whole: number | null | undefined): number | null {
  if (!whole || whole <= 0 || !Number.isFinite(whole) || !Number.isFinite(part)) return null;
  return Math.min(100, Math.max(0, Math.floor((part * 100) / whole)));
}

/** A percentage (0–100) as "87%", rounded down; "–" (or `empty`) when unknown. */
export function formatPercent(p: number | null | undefined, empty = '–'): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return empty;
  // The epsilon absorbs float noise such as 0.29 * 100 = 28.999999999999996.
  return `${Math.floor(p + 1e-9)}%`;
}

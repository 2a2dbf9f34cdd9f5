// Retention settings as the project form edits them: one text box per kind
// of data, in days. Empty = the server default, 0 = keep forever, otherwise
// a whole number of days.
import type { Retention } from '../../api/types';

export const RETENTION_KINDS: { key: keyof Retention; label: string; help: string }[] = [
  { key: 'run_days', label: 'Runs', help: 'Test runs older than this are pruned (pinned runs never are).' },
  { key: 'result_days', label: 'Results', help: 'Test results older than this are pruned.' },
  { key: 'artifact_days', label: 'Artifacts', help: 'Logs, screenshots and other uploaded files.' },
  { key: 'import_days', label: 'Imports', help: 'Import records and their uploaded archives.' },
];

export type RetentionForm = Record<keyof Retention, string>;

export function retentionToForm(r: Retention | null | undefined): RetentionForm {
  const v = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
  return { run_days: v(r?.run_days), result_days: v(r?.result_days), artifact_days: v(r?.artifact_days), import_days: v(r?.import_days) };
}

/** The validation message of one box, or null when it is fine. */
export function retentionError(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return 'Enter a whole number of days (0 keeps forever), or leave empty for the default.';
  if (Number(t) > 2147483647) return 'That is too many days.';
  return null;
}

/** The `retention` body value, or null when any box is invalid. */
export function formToRetention(f: RetentionForm): Retention | null {
  const out: Retention = { run_days: null, result_days: null, artifact_days: null, import_days: null };
  for (const { key } of RETENTION_KINDS) {
    if (retentionError(f[key])) return null;
    const t = f[key].trim();
    out[key] = t === '' ? null : Number(t);
  }
  return out;
}

/** "default", "keep forever" or "30 days", for lists. */
export function describeRetention(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'default';
  if (n === 0) return 'keep forever';
  return n === 1 ? '1 day' : `${n} days`;
}

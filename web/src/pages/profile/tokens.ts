// Logic of the profile pages, kept apart for tests: password rules, token
// expiry dates (a date picked in the browser → the ISO instant the API
// wants) and how an expiry reads in the list.

/** Why the new password cannot be used yet, or null. */
export function passwordProblem(pw: string, repeat: string): string | null {
  if (!pw) return 'Enter a new password.';
  if (pw.length < 8) return 'Use at least 8 characters.';
  if (new TextEncoder().encode(pw).length > 72) return 'The password is too long (at most 72 bytes).';
  if (pw !== repeat) return 'The passwords do not match.';
  return null;
}

/** yyyy-MM-dd of a local date. */
export function ymd(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Parses yyyy-MM-dd as a local date (null when malformed). */
export function parseYmd(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d : null;
}

/** The default expiry offered: 30 days from today. */
export function defaultExpiry(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 30);
  return ymd(d);
}

/** A token valid through the picked day expires at the end of it (local time), as ISO. */
export function expiryToISO(s: string): string | null {
  const d = parseYmd(s);
  if (!d) return null;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), 23, 59, 59).toISOString();
}

/** Why the picked date cannot be used, or "" (DatePicker validators return ""). */
export function expiryProblem(d: Date, now = new Date()): string {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return d < today ? 'The expiry date must not be in the past.' : '';
}

/** "expired", "expires today", "in 12 days" — with the date. */
export function expiryStatus(iso: string | null | undefined, now = new Date()): { text: string; expired: boolean; soon: boolean } {
  if (!iso) return { text: 'never', expired: false, soon: false };
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return { text: iso, expired: false, soon: false };
  const days = Math.floor((t.getTime() - now.getTime()) / 86400000);
  if (t.getTime() <= now.getTime()) return { text: 'expired', expired: true, soon: false };
  if (days < 1) return { text: 'expires within a day', expired: false, soon: true };
  if (days === 1) return { text: 'in 1 day', expired: false, soon: true };
  return { text: `in ${days} days`, expired: false, soon: days <= 7 };
}

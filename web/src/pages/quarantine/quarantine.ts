// Logic of the quarantine page, kept apart for tests: the pattern rules the
// server applies (so the form can say what is wrong before sending), the
// expiry a picked date means, and the commands a CI job runs.
import { parseYmd } from '../profile/tokens';

export const MAX_PATTERN = 255;
export const MAX_WILDCARDS = 5;

/** Why a pattern would be refused, or null (the server's rules, pkg/quarantine). */
export function patternProblem(p: string): string | null {
  if (p.trim() === '') return 'Enter a test id or a pattern.';
  if (p !== p.trim()) return 'Remove the spaces at the start or the end.';
  if ([...p].length > MAX_PATTERN) return `Use at most ${MAX_PATTERN} characters.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) return 'Line breaks and control characters are not allowed.';
  const stars = p.split('*').length - 1;
  if (stars > MAX_WILDCARDS) return `Use at most ${MAX_WILDCARDS} '*'.`;
  if (stars === p.length) return "A pattern of only '*' would quarantine every test.";
  return null;
}

/** "exact" or "glob", as the server will store it. */
export function patternKind(p: string): 'exact' | 'glob' {
  return p.includes('*') ? 'glob' : 'exact';
}

/** An entry expiring on the picked day stops applying at the end of it (local time); "" = never. */
export function expiresISO(s: string): string | null {
  if (s.trim() === '') return null;
  const d = parseYmd(s);
  if (!d) return null;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), 23, 59, 59).toISOString();
}

/** Why the expiry field cannot be used, or null. */
export function expiresProblem(s: string, now = new Date()): string | null {
  if (s.trim() === '') return null;
  const d = parseYmd(s);
  if (!d) return 'Enter a date as YYYY-MM-DD, or leave it empty.';
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return d < today ? 'The date must not be in the past.' : null;
}

/** The shell lines a CI job runs to skip the project's quarantined tests. */
export function ciSnippet(origin: string, projectId: string): string {
  return [
    `curl -fsS -H "Authorization: Bearer $IBUTSU_TOKEN" \\`,
    `  ${origin}/api/project/${projectId}/quarantine.txt -o quarantine.txt`,
    `mapfile -t ids < <(grep -v '^#' quarantine.txt | grep .)`,
    `pytest "\${ids[@]/#/--deselect=}"`,
  ].join('\n');
}

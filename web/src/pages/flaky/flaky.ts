// Display helpers of the flaky-test page and widget (docs/triage.md#flaky-tests).
import type { FlakyTest } from '../../api/types';

/** A 0–1 share as a whole percentage ("80%"). */
export function share(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  return `${Math.round(x * 100)}%`;
}

/** Why a result is evidence, in words. */
export const evidenceKind: Record<string, string> = {
  retry_run: 'Passed and failed in one run',
  retry_build: 'Passed and failed in one build',
  flip: 'Outcome flipped',
};

/** "api · prod" — the test's component and env, or "–". */
export function whereText(t: Pick<FlakyTest, 'component' | 'env'>): string {
  const parts = [t.component, t.env].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : '–';
}

/** Why the test is flaky, in one line: "2 retries, 4 flips over 6 runs". */
export function reasonText(t: Pick<FlakyTest, 'retries' | 'flips' | 'runs'>): string {
  const parts: string[] = [];
  if (t.retries) parts.push(`${t.retries} ${t.retries === 1 ? 'retry' : 'retries'}`);
  if (t.flips) parts.push(`${t.flips} ${t.flips === 1 ? 'flip' : 'flips'}`);
  const runs = `${t.runs} ${t.runs === 1 ? 'run' : 'runs'}`;
  return parts.length ? `${parts.join(', ')} over ${runs}` : runs;
}

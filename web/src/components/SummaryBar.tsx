// A run's summary as a stacked bar (passed / failed / error / skipped /
// xfailed / xpassed) with the counts in its accessible label and tooltip.
import { Tooltip } from '@patternfly/react-core';
import type { RunSummary } from '../api/types';

const segments: { key: keyof RunSummary; label: string; color: string }[] = [
  { key: 'passes', label: 'passed', color: 'var(--pf-t--global--color--status--success--default)' },
  { key: 'failures', label: 'failed', color: 'var(--pf-t--global--color--status--danger--default)' },
  { key: 'errors', label: 'errors', color: 'var(--pf-t--global--color--status--warning--default)' },
  { key: 'skips', label: 'skipped', color: 'var(--pf-t--global--color--nonstatus--gray--default)' },
  { key: 'xfailures', label: 'xfailed', color: 'var(--pf-t--global--color--nonstatus--purple--default)' },
  { key: 'xpasses', label: 'xpassed', color: 'var(--pf-t--global--color--nonstatus--teal--default)' },
];

/** The numbers a summary bar shows, also used by tests. */
export function summaryCounts(s: RunSummary | null | undefined) {
  return segments.map((seg) => ({ ...seg, value: Number(s?.[seg.key] ?? 0) || 0 }));
}

export function SummaryBar({ summary, width = '12rem' }: { summary: RunSummary | null | undefined; width?: string }) {
  const counts = summaryCounts(summary);
  const total = counts.reduce((a, c) => a + c.value, 0);
  const text = total
    ? counts
        .filter((c) => c.value)
        .map((c) => `${c.value} ${c.label}`)
        .join(', ')
    : 'no results';
  return (
    <Tooltip content={text}>
      <div
        role="img"
        aria-label={`Summary: ${text}`}
        tabIndex={0}
        style={{
          display: 'flex',
          width,
          height: '0.75rem',
          borderRadius: '0.375rem',
          overflow: 'hidden',
          background: 'var(--pf-t--global--background--color--secondary--default)',
        }}
      >
        {total > 0 &&
          counts.filter((c) => c.value).map((c) => <div key={String(c.key)} style={{ width: `${(c.value / total) * 100}%`, background: c.color }} />)}
      </div>
    </Tooltip>
  );
}

// A run's failures as numbers next to its summary bar ("3 failed · 1 error"),
// so they can be read and compared at a glance instead of estimated from
// the bar's colours; "no failures" when there are none.
import type { RunSummary } from '../../api/types';

export function failureCounts(s: RunSummary | null | undefined): { failed: number; errors: number } {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);
  return { failed: n(s?.failures), errors: n(s?.errors) };
}

export function FailureCounts({ summary }: { summary: RunSummary | null | undefined }) {
  const { failed, errors } = failureCounts(summary);
  if (!failed && !errors) {
    return (
      <span className="ibutsu-subtle" data-testid="run-failures" data-failed={0} data-errors={0}>
        no failures
      </span>
    );
  }
  return (
    <span data-testid="run-failures" data-failed={failed} data-errors={errors} style={{ whiteSpace: 'nowrap' }}>
      {failed > 0 && <span className="ibutsu-count-failed">{failed} failed</span>}
      {failed > 0 && errors > 0 && ' · '}
      {errors > 0 && (
        <span className="ibutsu-count-error">
          {errors} {errors === 1 ? 'error' : 'errors'}
        </span>
      )}
    </span>
  );
}

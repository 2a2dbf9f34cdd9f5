// A result's status as the result lists show it: the status label with the
// badges our markers add beside it (failure cluster, quarantined, flaky).
// One component, so the results page and a run's results tab cannot drift.
import type { Result } from '../api/types';
import { FlakyLabel } from './FlakyLabel';
import { QuarantinedLabel } from './QuarantinedLabel';
import { StatusLabel } from './StatusLabel';
import { ClusterBadge } from './TriageBadges';

export function ResultStatus({ result }: { result: Result }) {
  return (
    <>
      <StatusLabel status={result.result} /> <ClusterBadge result={result} />
      {result.quarantined && (
        <>
          {' '}
          <QuarantinedLabel />
        </>
      )}
      {result.flaky && (
        <>
          {' '}
          <FlakyLabel />
        </>
      )}
    </>
  );
}

// Triage marks of a failed or errored result (docs/triage.md): New (its
// failure fingerprint first appeared in this run of the project) or Known
// (the project had it in an earlier run).
import { Label } from '@patternfly/react-core';
import type { Result } from '../api/types';

export function ClusterBadge({ result, isCompact = true }: { result: Pick<Result, 'failure_cluster'>; isCompact?: boolean }) {
  const fc = result.failure_cluster;
  if (!fc) return null;
  return fc.status === 'new' ? (
    <Label isCompact={isCompact} color="red" data-testid="badge-new" title="This failure first appeared in this run">
      New
    </Label>
  ) : (
    <Label isCompact={isCompact} color="blue" data-testid="badge-known" title="This failure was seen in earlier runs of the project">
      Known
    </Label>
  );
}

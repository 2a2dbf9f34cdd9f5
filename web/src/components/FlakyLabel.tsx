// The "Flaky" badge on results whose test is currently flaky (our `flaky`
// marker; docs/triage.md#flaky-tests). Text and icon, not colour alone.
import { Label } from '@patternfly/react-core';
import { SyncAltIcon } from '@patternfly/react-icons';

export function FlakyLabel({ isCompact = true }: { isCompact?: boolean }) {
  return (
    <Label isCompact={isCompact} color="purple" variant="outline" icon={<SyncAltIcon />} data-testid="flaky-label">
      Flaky
    </Label>
  );
}

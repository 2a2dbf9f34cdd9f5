// The "Quarantined" badge of a failure whose test is quarantined in its
// project (docs/triage.md#quarantine). Icon and text, never colour alone.
import { Label, Tooltip } from '@patternfly/react-core';
import { LockIcon } from '@patternfly/react-icons';

export function QuarantinedLabel({ isCompact = true }: { isCompact?: boolean }) {
  return (
    <Tooltip content="This test is quarantined in its project: the failure is known and CI jobs may skip it.">
      <Label isCompact={isCompact} color="purple" icon={<LockIcon />} data-testid="quarantined-badge" tabIndex={0}>
        Quarantined
      </Label>
    </Tooltip>
  );
}

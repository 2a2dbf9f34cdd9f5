// A time in a list's row: how long ago ("3 hours ago") so the list reads at a
// glance, with the exact date in a tooltip that the keyboard can reach too.
import { Tooltip } from '@patternfly/react-core';
import { Td } from '@patternfly/react-table';
import { formatDate, formatRelative } from '../format';

/** The cell of a column (dataLabel) holding the time iso, relative to now (one now for the whole table). */
export function RelativeTimeCell({ dataLabel, iso, now }: { dataLabel: string; iso: string | null | undefined; now: number }) {
  return (
    <Td dataLabel={dataLabel} modifier="nowrap">
      <Tooltip content={formatDate(iso)}>
        <span tabIndex={0}>{formatRelative(iso, now)}</span>
      </Tooltip>
    </Td>
  );
}

// Loading, empty and error states as a full-width table row, so a table
// keeps its header (and column widths) while its rows load or fail.
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { type StateProps, stateView } from '../states';

/** A Tbody with the state row, or null when there are rows to show. */
export function TableState({ colSpan, emptyTitle = 'No items found', ...state }: StateProps & { colSpan: number }) {
  const body = stateView({ emptyTitle, ...state });
  if (!body) return null;
  return (
    <Tbody>
      <Tr>
        <Td colSpan={colSpan}>{body}</Td>
      </Tr>
    </Tbody>
  );
}

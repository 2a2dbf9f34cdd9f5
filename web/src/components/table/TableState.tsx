// Loading, empty and error states as a full-width table row, so a table
// keeps its header (and column widths) while its rows load or fail.
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { type StateProps, stateView } from '../states';

/** A Tbody with the state row, else the children (the table's rows: its Tbody, or one Tbody a row). */
export function TableState({ colSpan, emptyTitle = 'No items found', children, ...state }: StateProps & { colSpan: number; children?: React.ReactNode }) {
  const body = stateView({ emptyTitle, ...state });
  if (!body) return <>{children}</>;
  return (
    <Tbody>
      <Tr>
        <Td colSpan={colSpan}>{body}</Td>
      </Tr>
    </Tbody>
  );
}

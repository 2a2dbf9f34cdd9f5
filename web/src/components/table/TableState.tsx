// Loading, empty and error states as a full-width table row, so a table
// keeps its header (and column widths) while its rows load or fail.
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { type BadRequestText, Empty, ErrorState, Loading } from '../states';

interface Props {
  colSpan: number;
  loading?: boolean;
  error?: unknown;
  empty?: boolean;
  emptyTitle?: string;
  emptyBody?: React.ReactNode;
  onRetry?: () => void;
  /** How to word a 400 (see ErrorState). */
  badRequest?: BadRequestText;
}

/** A Tbody with the state row, or null when there are rows to show. */
export function TableState({ colSpan, loading, error, empty, emptyTitle = 'No items found', emptyBody, onRetry, badRequest }: Props) {
  let body: React.ReactNode = null;
  if (loading) body = <Loading />;
  else if (error) body = <ErrorState error={error} onRetry={onRetry} badRequest={badRequest} />;
  else if (empty) body = <Empty title={emptyTitle}>{emptyBody}</Empty>;
  if (!body) return null;
  return (
    <Tbody>
      <Tr>
        <Td colSpan={colSpan}>{body}</Td>
      </Tr>
    </Tbody>
  );
}

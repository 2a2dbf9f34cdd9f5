// The header row of a list table whose columns may sort on the server.
import { Th, Thead, Tr } from '@patternfly/react-table';
import type { SortKey } from '../filter/filters';
import { thSort, type SortColumn } from './sorting';

export interface ListColumn {
  title: string;
  sort?: SortColumn;
  minWidth?: string;
}

interface Props {
  columns: ListColumn[];
  sort: SortKey | null;
  onSort: (k: SortKey) => void;
}

export function SortableHeader({ columns, sort, onSort }: Props) {
  return (
    <Thead>
      <Tr>
        {columns.map((c, i) => (
          <Th
            key={c.title}
            style={c.minWidth ? { minWidth: c.minWidth } : undefined}
            modifier="nowrap"
            sort={c.sort ? thSort(c.sort, i, sort, onSort) : undefined}
          >
            {c.title}
          </Th>
        ))}
      </Tr>
    </Thead>
  );
}

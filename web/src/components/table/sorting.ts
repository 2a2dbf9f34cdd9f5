// Server-side sorting for PatternFly tables: the Th `sort` prop for a
// column that sorts by an API field.
import type { ThProps } from '@patternfly/react-table';
import type { SortKey } from '../filter/filters';

export interface SortColumn {
  /** The API sort field, e.g. "start_time" or "summary.pass_percent". */
  field: string;
  /** First click sorts this way (numbers and times read best descending). */
  firstDirection?: 'asc' | 'desc';
}

/**
 * The Th sort prop for the column at index sorting by col.field. Clicking
 * an inactive column sorts it in its first direction; clicking the active
 * one flips it.
 */
export function thSort(col: SortColumn, index: number, sort: SortKey | null, onSort: (k: SortKey) => void): ThProps['sort'] {
  const active = sort?.field === col.field;
  return {
    columnIndex: index,
    sortBy: {
      index: active ? index : undefined,
      direction: active ? (sort!.desc ? 'desc' : 'asc') : undefined,
      defaultDirection: col.firstDirection ?? 'asc',
    },
    onSort: (_e, _i, direction) => onSort({ field: col.field, desc: direction === 'desc' }),
  };
}

// The rows of a table whose every row opens a detail row below it (the
// flaky tests' evidence, a failure cluster's tests): one <Tbody> a row, its
// expand toggle first, the detail spanning the whole table. The open set
// stays with the page, so rows stay open across a reload of the data.
import { useState, type ReactNode } from 'react';
import { ExpandableRowContent, Tbody, Td, Tr } from '@patternfly/react-table';
import { toggled } from '../sets';

export interface ExpandableRowsProps<T> {
  rows: T[];
  rowKey: (row: T) => string;
  /** Names the rows' test ids and expand ids: "flaky" → flaky-row-0, flaky-0. */
  idPrefix: string;
  /** The table's column count, expand column included. */
  colSpan: number;
  open: ReadonlySet<string>;
  onToggle: (key: string) => void;
  /** The row's cells after the expand toggle. */
  cells: (row: T, i: number) => ReactNode;
  /** What the open row shows. */
  detail: (row: T, i: number) => ReactNode;
}

export function ExpandableRows<T>({ rows, rowKey, idPrefix, colSpan, open, onToggle, cells, detail }: ExpandableRowsProps<T>) {
  return (
    <>
      {rows.map((row, i) => {
        const key = rowKey(row);
        const isOpen = open.has(key);
        return (
          <Tbody key={key} isExpanded={isOpen}>
            <Tr data-testid={`${idPrefix}-row-${i}`}>
              <Td expand={{ rowIndex: i, isExpanded: isOpen, onToggle: () => onToggle(key), expandId: `${idPrefix}-${i}` }} />
              {cells(row, i)}
            </Tr>
            <Tr isExpanded={isOpen}>
              <Td colSpan={colSpan}>
                <ExpandableRowContent>{detail(row, i)}</ExpandableRowContent>
              </Td>
            </Tr>
          </Tbody>
        );
      })}
    </>
  );
}

/** The page's open set for ExpandableRows (spread its open and onToggle there): none open at first, a click toggles one. */
export function useOpenRows(): Pick<ExpandableRowsProps<unknown>, 'open' | 'onToggle'> {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  return { open, onToggle: (key: string) => setOpen((old) => toggled(old, key)) };
}

// The plain (unsorted) tables of the list pages: a compact table with its
// header row given as data, the same table behind a list's loading, error
// and empty states, and a row's action buttons.
import { Link } from 'react-router-dom';
import { Button, Flex, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { PlusCircleIcon } from '@patternfly/react-icons';
import { Table, Tbody, Td, Th, type ThProps, Thead, Tr } from '@patternfly/react-table';
import type { ApiState } from '../../api/useApi';
import { LoadStates, type StateProps } from '../states';
import { PaginationToolbarItem, PlainPagination } from './ListPagination';

/** A header cell: its title, or its title with Th's props (a width, an action column's screen-reader text). */
export type Column = string | ({ title?: string } & Omit<ThProps, 'children' | 'title'>);

interface DataTableProps {
  /** The table's accessible name. */
  label: string;
  'data-testid'?: string;
  /** The header cells in order; false leaves a column out. */
  columns: (Column | false)[];
  /** The body: a Tbody (and a TableState). */
  children: React.ReactNode;
}

function headerCell(c: Column, i: number) {
  if (typeof c === 'string') return <Th key={c}>{c}</Th>;
  const { title, ...props } = c;
  return (
    <Th key={title ?? i} {...props}>
      {title}
    </Th>
  );
}

/** A table's header row from its columns in order; false leaves a column out. For a table DataTable does not fit (a tree, no borders). */
export function TableHead({ columns }: { columns: (Column | false)[] }) {
  return (
    <Thead>
      <Tr>{columns.filter((c): c is Column => c !== false).map(headerCell)}</Tr>
    </Thead>
  );
}

/** A compact table with its header row. */
export function DataTable({ label, 'data-testid': testId, columns, children }: DataTableProps) {
  return (
    <Table aria-label={label} variant="compact" data-testid={testId}>
      <TableHead columns={columns} />
      {children}
    </Table>
  );
}

interface ListTableProps extends DataTableProps, StateProps {
  api?: ApiState<unknown>;
  /** Toolbar items above the table (an Add button, the paging). */
  toolbar?: React.ReactNode;
  /** The toolbar's "Clear all filters", for filter chips in it. */
  clearAllFilters?: () => void;
  /** Between the toolbar and the table: the outcome of a row's action. */
  notice?: React.ReactNode;
}

/**
 * A list's table under its toolbar, in place of its loading, error or empty
 * state (LoadStates): the children are the rows.
 */
export function ListTable({ toolbar, clearAllFilters, notice, label, 'data-testid': testId, columns, children, ...state }: ListTableProps) {
  return (
    <>
      {toolbar && (
        <Toolbar clearAllFilters={clearAllFilters}>
          <ToolbarContent>{toolbar}</ToolbarContent>
        </Toolbar>
      )}
      {notice}
      <LoadStates {...state}>
        <DataTable label={label} data-testid={testId} columns={columns}>
          <Tbody>{children}</Tbody>
        </DataTable>
      </LoadStates>
    </>
  );
}

/** A list toolbar's primary button, which adds an item. */
export function AddItemButton({ children, onClick, 'data-testid': testId }: { children: React.ReactNode; onClick: () => void; 'data-testid'?: string }) {
  return (
    <ToolbarItem>
      <Button variant="primary" icon={<PlusCircleIcon />} onClick={onClick} data-testid={testId}>
        {children}
      </Button>
    </ToolbarItem>
  );
}

/** A server-paginated list's page: where it is, and how to move. */
interface Paging {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  /** A new page size; the caller starts it at page 1. */
  onPageSize: (size: number) => void;
  /** Names the paginations: "<label> pagination (top)". */
  label: string;
}

interface PaginatedTableProps extends Omit<ListTableProps, 'empty' | 'notice'> {
  paging: Paging;
  /** The rows on this page: none is the empty state, and no bottom pagination. */
  rowCount: number;
}

/**
 * A server-paginated list table (PlainPagination): the toolbar ending in the
 * top pagination, the table or its state, and the bottom pagination while
 * the page has rows.
 */
export function PaginatedTable({ toolbar, paging: { label, ...paging }, rowCount, ...table }: PaginatedTableProps) {
  const pagination = (variant: 'top' | 'bottom') => <PlainPagination {...paging} variant={variant} ariaLabel={`${label} pagination (${variant})`} />;
  return (
    <>
      <ListTable
        {...table}
        empty={rowCount === 0}
        toolbar={
          <>
            {toolbar}
            <PaginationToolbarItem>{pagination('top')}</PaginationToolbarItem>
          </>
        }
      />
      {rowCount > 0 && pagination('bottom')}
    </>
  );
}

/** One button of a row's action cell. */
export interface RowAction {
  text: string;
  /** Names the row too ("Edit x"): the cells' buttons share their texts. */
  'aria-label': string;
  onClick?: () => void;
  /** A link instead of an action. */
  to?: string;
  danger?: boolean;
  isDisabled?: boolean;
}

/** A row's action cell: small secondary buttons, right-aligned on one line. */
export function RowActions({ actions }: { actions: RowAction[] }) {
  return (
    <Td isActionCell>
      <Flex gap={{ default: 'gapSm' }} flexWrap={{ default: 'nowrap' }} justifyContent={{ default: 'justifyContentFlexEnd' }}>
        {actions.map(({ text, to, danger, ...a }) => (
          <Button key={text} variant="secondary" size="sm" isDanger={danger} component={to ? (props: object) => <Link {...props} to={to} /> : undefined} {...a}>
            {text}
          </Button>
        ))}
      </Flex>
    </Td>
  );
}

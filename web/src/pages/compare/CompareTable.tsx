// One comparison category as a table: the test (linked to its target
// result), its base and target outcome or duration, optionally the change.
import { Link } from 'react-router-dom';
import { Tbody, Td, type ThProps, Tr } from '@patternfly/react-table';
import { DataTable } from '../../components/table/DataTable';
import { Empty } from '../../components/states';

export interface CompareRow {
  key: string;
  test: string;
  /** The target result's page, if there is one. */
  testTo: string | null;
  base: React.ReactNode;
  target: React.ReactNode;
  change?: React.ReactNode;
  /** Beside the test: a badge such as Flaky. */
  badge?: React.ReactNode;
}

interface Props {
  label: string;
  rows: CompareRow[];
  /** Shown instead of an empty table. */
  empty: string;
  testWidth?: ThProps['width'];
  withChange?: boolean;
}

/** A link when there is somewhere to go, else just the content. */
export function MaybeLink({ to, children }: { to: string | null; children: React.ReactNode }) {
  return to ? <Link to={to}>{children}</Link> : <>{children}</>;
}

export function CompareTable({ label, rows, empty, testWidth = 60, withChange = false }: Props) {
  if (rows.length === 0) return <Empty title="Nothing here">{empty}</Empty>;
  return (
    <DataTable label={label} columns={[{ title: 'Test', width: testWidth }, 'Base', 'Target', withChange && 'Change']}>
      <Tbody>
        {rows.map((r) => (
          <Tr key={r.key}>
            <Td dataLabel="Test" modifier="breakWord">
              <MaybeLink to={r.testTo}>{r.test}</MaybeLink>
              {r.badge && <> {r.badge}</>}
            </Td>
            <Td dataLabel="Base">{r.base}</Td>
            <Td dataLabel="Target">{r.target}</Td>
            {withChange && <Td dataLabel="Change">{r.change}</Td>}
          </Tr>
        ))}
      </Tbody>
    </DataTable>
  );
}

// The test results of the current project: the same filter builder, sorting
// and pagination as the run list (state in the URL, so a link such as
// ?filter=result=failed reproduces the view).
import { Link } from 'react-router-dom';
import { Tbody, Td, Tr } from '@patternfly/react-table';
import { useApi } from '../../api/useApi';
import type { ListPagination as PageInfo, Result } from '../../api/types';
import { useProject } from '../../project';
import { RESULT_FIELDS } from '../../components/filter/filters';
import { ProjectListPage, type ProjectListSpec, useProjectList } from '../../components/table/ProjectList';
import type { ListColumn } from '../../components/table/SortableHeader';
import { ResultStatus } from '../../components/ResultStatus';
import { formatDuration } from '../../components/format';
import { RelativeTimeCell } from '../../components/table/RelativeTimeCell';
import { useRunNames } from '../../components/run/useRunNames';

/** The free-text search: a substring of the test id (no index serves it; see SearchBox). */
const RESULT_SEARCH = {
  field: 'test_id',
  label: 'Search test IDs',
  hint: 'Finds text anywhere in the test ID, ignoring case; on large projects, filter by run or start time first.',
};

const columns: ListColumn[] = [
  { title: 'Test', sort: { field: 'test_id' }, minWidth: '14rem' },
  { title: 'Result', sort: { field: 'result' } },
  { title: 'Duration', sort: { field: 'duration', firstDirection: 'desc' } },
  { title: 'Run' },
  { title: 'Component', sort: { field: 'component' } },
  { title: 'Env', sort: { field: 'env' } },
  { title: 'Classification' },
  { title: 'Started', sort: { field: 'start_time', firstDirection: 'desc' } },
];

const EMPTY = { filtered: 'No result matches these filters; remove some to see more.', none: 'Results appear here once tests report them.' };

const PAGE: ProjectListSpec = { noun: 'results', fields: RESULT_FIELDS, search: RESULT_SEARCH, columns };

/** "product_failure" → "Product failure". */
export function classificationText(v: unknown): string {
  if (typeof v !== 'string' || !v) return '–';
  const s = v.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function ResultListPage() {
  const { base, projectId } = useProject();
  const page = useProjectList(PAGE);
  const res = useApi<{ results: Result[]; pagination: PageInfo }>(page.chooseProject ? null : 'result', { query: page.query });
  const results = res.data?.results ?? [];
  const runNameOf = useRunNames(
    results.map((r) => r.run_id),
    projectId,
    true,
  );
  const now = Date.now();

  return (
    <ProjectListPage page={page} api={res} rowCount={results.length} empty={EMPTY}>
      <Tbody>
        {results.map((r) => (
          <Tr key={r.id} data-testid="result-row">
            <Td dataLabel="Test" modifier="breakWord">
              <Link to={`${base}/results/${r.id}`}>{r.test_id || r.id}</Link>
            </Td>
            <Td dataLabel="Result" data-testid="result-status" data-status={r.result}>
              <ResultStatus result={r} />
            </Td>
            <Td dataLabel="Duration" data-testid="result-duration" data-seconds={r.duration ?? ''}>
              {formatDuration(r.duration)}
            </Td>
            <Td dataLabel="Run">
              {r.run_id ? (
                <Link to={`${base}/runs/${r.run_id}`} data-testid="result-run">
                  {runNameOf(r.run_id)}
                </Link>
              ) : (
                '–'
              )}
            </Td>
            <Td dataLabel="Component">{r.component || '–'}</Td>
            <Td dataLabel="Env">{r.env || '–'}</Td>
            <Td dataLabel="Classification">{classificationText(r.metadata?.classification)}</Td>
            <RelativeTimeCell dataLabel="Started" iso={r.start_time} now={now} />
          </Tr>
        ))}
      </Tbody>
    </ProjectListPage>
  );
}

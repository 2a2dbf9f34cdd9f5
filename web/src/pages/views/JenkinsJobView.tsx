// jenkins-job-view: one row per Jenkins build (runs grouped by job name and
// build number), newest first, paginated by the server, filterable by job,
// build, env and source; links to the build's runs, the Jenkins build and
// the job's analysis view.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Label, SearchInput, TextInput, ToolbarFilter, ToolbarGroup, Tooltip } from '@patternfly/react-core';
import { ExternalLinkAltIcon } from '@patternfly/react-icons';
import { Td, Tr } from '@patternfly/react-table';
import { useApi } from '../../api/useApi';
import type { JenkinsJob, Pagination as Pag, WidgetConfig } from '../../api/types';
import { formatDate, formatDuration, formatPercent } from '../../components/format';
import { SummaryBar } from '../../components/SummaryBar';
import { PaginatedTable } from '../../components/table/DataTable';
import { useParamState } from '../../components/urlParams';
import { useProject } from '../../project';
import { buildRunsPath, configuredFilters, jobFilters, passPercent } from './jenkins';

const KEYS = ['job', 'build', 'env', 'source'] as const;
type Key = (typeof KEYS)[number];
const LABELS: Record<Key, string> = { job: 'Job name', build: 'Build', env: 'Env', source: 'Source' };

export function JenkinsJobView({ view }: { view: WidgetConfig }) {
  const { projectId, base } = useProject();
  const [params, set] = useParamState();
  const page = Number(params.get('page')) || 1;
  const pageSize = Number(params.get('page_size')) || Number(view.params?.page_size) || 20;
  const filters = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<Key, string>;
  const [drafts, setDrafts] = useState(filters);

  const apply = (k: Key, v: string) => {
    setDrafts({ ...drafts, [k]: v });
    set({ [k]: v.trim() || null, page: 1 });
  };

  const list = useApi<{ jobs: JenkinsJob[]; pagination: Pag }>(`widget/${view.widget}`, {
    query: {
      additional_filters: [...configuredFilters(view.params?.additional_filters), ...jobFilters(filters)],
      run_limit: typeof view.params?.run_limit === 'number' ? view.params.run_limit : undefined,
      page,
      page_size: pageSize,
      project: projectId ?? (typeof view.params?.project === 'string' ? view.params.project : undefined),
    },
  });
  const { data } = list;
  const analysis = useApi<{ widgets: WidgetConfig[] }>('widget-config', {
    query: { filter: ['widget=jenkins-analysis-view', ...(projectId ? [`project_id=${projectId}`] : [])], pageSize: 1 },
  });
  const analysisId = analysis.data?.widgets?.[0]?.id;
  const jobs = data?.jobs ?? [];
  const total = data?.pagination.totalItems ?? 0;

  const textFilter = (k: Key, width = '10rem') => (
    <ToolbarFilter key={k} categoryName={LABELS[k]} labels={filters[k] ? [filters[k]] : []} deleteLabel={() => apply(k, '')}>
      {k === 'job' ? (
        <SearchInput
          aria-label="Filter by job name"
          placeholder="Job name"
          value={drafts.job}
          onChange={(_e, v) => setDrafts({ ...drafts, job: v })}
          onSearch={(_e, v) => apply('job', v)}
          onClear={() => apply('job', '')}
        />
      ) : (
        <TextInput
          aria-label={`Filter by ${LABELS[k].toLowerCase()}`}
          placeholder={LABELS[k]}
          value={drafts[k]}
          style={{ width }}
          onChange={(_e, v) => setDrafts({ ...drafts, [k]: v })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply(k, drafts[k]);
          }}
          onBlur={() => {
            if (drafts[k] !== filters[k]) apply(k, drafts[k]);
          }}
        />
      )}
    </ToolbarFilter>
  );

  return (
    <PaginatedTable
      clearAllFilters={() => {
        setDrafts({ job: '', build: '', env: '', source: '' });
        set({ job: null, build: null, env: null, source: null, page: 1 });
      }}
      toolbar={
        <ToolbarGroup variant="filter-group">
          {textFilter('job')}
          {textFilter('build', '7rem')}
          {textFilter('env', '8rem')}
          {textFilter('source', '8rem')}
        </ToolbarGroup>
      }
      paging={{ total, page, pageSize, onPage: (p) => set({ page: p }), onPageSize: (s) => set({ page_size: s, page: 1 }), label: 'Builds' }}
      rowCount={jobs.length}
      api={list}
      loadingLabel="Loading builds"
      emptyTitle="No builds found"
      emptyBody={
        KEYS.some((k) => filters[k])
          ? 'No Jenkins build matches the filters.'
          : 'No run in this project carries metadata.jenkins.job_name and build_number yet.'
      }
      label="Jenkins builds"
      data-testid="jenkins-builds"
      columns={['Job', 'Build', 'Started', 'Duration', 'Summary', 'Pass %', 'Source', 'Env', { screenReaderText: 'Links' }]}
    >
      {jobs.map((j) => {
        const pp = passPercent(j);
        return (
          <Tr key={j._id}>
            <Td dataLabel="Job">
              {analysisId && j.job_name ? (
                <Tooltip content="Analyse this job">
                  <Link to={`${base}/view/${analysisId}?job_name=${encodeURIComponent(j.job_name)}`}>{j.job_name}</Link>
                </Tooltip>
              ) : (
                j.job_name
              )}
            </Td>
            <Td dataLabel="Build">
              <Link to={buildRunsPath(base, j)} aria-label={`Runs of build ${j.build_number}`}>
                #{j.build_number}
              </Link>
            </Td>
            <Td dataLabel="Started">{formatDate(j.start_time)}</Td>
            <Td dataLabel="Duration">{formatDuration(j.duration)}</Td>
            <Td dataLabel="Summary">
              <SummaryBar summary={j.summary} width="10rem" />
            </Td>
            <Td dataLabel="Pass %">
              {pp === null ? (
                '–'
              ) : (
                <Label isCompact status={pp >= 90 ? 'success' : pp >= 70 ? 'warning' : 'danger'}>
                  {formatPercent(pp)}
                </Label>
              )}
            </Td>
            <Td dataLabel="Source">{j.source ?? '–'}</Td>
            <Td dataLabel="Env">{j.env ?? '–'}</Td>
            <Td dataLabel="Links" isActionCell>
              {j.build_url && (
                <Button
                  variant="link"
                  size="sm"
                  component="a"
                  href={j.build_url}
                  target="_blank"
                  rel="noopener noreferrer"
                  icon={<ExternalLinkAltIcon />}
                  iconPosition="end"
                  aria-label={`Jenkins build ${j.build_number} (opens a new tab)`}
                >
                  Jenkins
                </Button>
              )}
            </Td>
          </Tr>
        );
      })}
    </PaginatedTable>
  );
}

// A run (/project/:project_id/runs/:run_id and /runs/:run_id): summary
// tiles and metadata, its results as a list and as a tree by file, failure
// classification, artifacts and the raw run. The tab lives in the URL hash
// (#summary, #results, #tree, #classify, #artifacts, #json), as upstream.
import { useLocation, useNavigate, useParams, Link } from 'react-router-dom';
import {
  Breadcrumb, BreadcrumbItem, Flex, FlexItem, Label, PageSection, Tab, TabTitleText, Tabs, Title,
} from '@patternfly/react-core';
import { ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { Run } from '../../api/types';
import { useProject } from '../../project';
import { formatDate, formatDuration } from '../../components/format';
import { Empty, ErrorState, Loading } from '../../components/states';
import { SummaryBar } from '../../components/SummaryBar';
import { ArtifactsPanel } from '../../components/artifacts/ArtifactsPanel';
import { RunSummaryTab } from './run/RunSummaryTab';
import { RunResultsTab } from './run/RunResultsTab';
import { ResultsTreeTab } from './run/ResultsTreeTab';
import { ClassifyFailuresTab } from './run/ClassifyFailuresTab';
import { JsonBlock } from './run/JsonBlock';
import './run/run.css';

export const RUN_TABS = ['summary', 'results', 'tree', 'classify', 'artifacts', 'json'] as const;

/** The run's title: Jenkins job and build when known, else the short id. */
export function runTitle(run: Run): string {
  const j = run.metadata?.jenkins as Record<string, unknown> | undefined;
  if (j && (j.job_name || j.build_number)) return `${j.job_name ?? 'Run'} #${j.build_number ?? '?'}`;
  return `Run ${run.id.slice(0, 8)}`;
}

export function RunPage() {
  const { run_id = '' } = useParams();
  const { base, project } = useProject();
  const location = useLocation();
  const navigate = useNavigate();
  const { data: run, error, loading, reload } = useApi<Run>(`run/${run_id}`);
  const hash = location.hash.replace(/^#/, '');
  const tab = (RUN_TABS as readonly string[]).includes(hash) ? hash : 'summary';

  if (loading) return <PageSection><Loading label="Loading the run" /></PageSection>;
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
    return (
      <PageSection>
        <Empty title="Run not found">There is no run with the id {run_id}. <Link to={`${base}/runs`}>Back to the runs</Link></Empty>
      </PageSection>
    );
  }
  if (error || !run) return <PageSection><ErrorState error={error ?? 'No data'} onRetry={reload} /></PageSection>;

  return (
    <>
      <PageSection>
        <Breadcrumb style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
          <BreadcrumbItem render={() => <Link to={`${base}/runs`}>Test runs</Link>} />
          <BreadcrumbItem isActive>{runTitle(run)}</BreadcrumbItem>
        </Breadcrumb>
        <Flex alignItems={{ default: 'alignItemsCenter' }} spaceItems={{ default: 'spaceItemsMd' }}>
          <FlexItem>
            <Title headingLevel="h1">{runTitle(run)}</Title>
          </FlexItem>
          {run.component && <FlexItem><Label isCompact color="blue">{run.component}</Label></FlexItem>}
          {run.env && <FlexItem><Label isCompact color="teal">{run.env}</Label></FlexItem>}
          <FlexItem>
            <SummaryBar summary={run.summary} width="14rem" />
          </FlexItem>
          <FlexItem className="ibutsu-subtle">
            {formatDate(run.start_time)} · {formatDuration(run.duration)}
          </FlexItem>
        </Flex>
      </PageSection>
      <PageSection>
        <Tabs
          activeKey={tab}
          onSelect={(_e, k) => navigate({ search: location.search, hash: String(k) }, { replace: true })}
          aria-label="Run sections"
          mountOnEnter
          unmountOnExit
        >
          <Tab eventKey="summary" title={<TabTitleText>Summary</TabTitleText>}>
            <div className="ibutsu-tab-body"><RunSummaryTab run={run} base={base} projectTitle={project && project.id === run.project_id ? project.title : null} /></div>
          </Tab>
          <Tab eventKey="results" title={<TabTitleText>Results</TabTitleText>}>
            <div className="ibutsu-tab-body"><RunResultsTab run={run} base={base} /></div>
          </Tab>
          <Tab eventKey="tree" title={<TabTitleText>Results tree</TabTitleText>}>
            <div className="ibutsu-tab-body"><ResultsTreeTab run={run} base={base} /></div>
          </Tab>
          <Tab eventKey="classify" title={<TabTitleText>Classify failures</TabTitleText>}>
            <div className="ibutsu-tab-body"><ClassifyFailuresTab run={run} base={base} /></div>
          </Tab>
          <Tab eventKey="artifacts" title={<TabTitleText>Artifacts</TabTitleText>}>
            <div className="ibutsu-tab-body"><ArtifactsPanel runId={run.id} /></div>
          </Tab>
          <Tab eventKey="json" title={<TabTitleText>JSON</TabTitleText>}>
            <div className="ibutsu-tab-body"><JsonBlock value={run} id="run-json" /></div>
          </Tab>
        </Tabs>
      </PageSection>
    </>
  );
}

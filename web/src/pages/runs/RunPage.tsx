// A run (/project/:project_id/runs/:run_id and /runs/:run_id): summary
// tiles and metadata, its results as a list and as a tree by file, failure
// classification, artifacts and the raw run. The tab lives in the URL hash
// (#summary, #results, #tree, #classify, #clusters, #artifacts, #json), as upstream.
// A running run updates live from its event stream (counters, progress,
// arriving results with failures first) under a "Live" indicator.
import { useParams } from 'react-router-dom';
import { FlexItem, Label, PageSection } from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { Run } from '../../api/types';
import { useProject } from '../../project';
import { DetailHeader } from '../../components/DetailHeader';
import { DetailLoader } from '../../components/DetailLoader';
import { HashTabs } from '../../components/HashTabs';
import { SummaryBar } from '../../components/SummaryBar';
import { ArtifactsPanel } from '../../components/artifacts/ArtifactsPanel';
import { RunSummaryTab } from './run/RunSummaryTab';
import { RunResultsTab } from './run/RunResultsTab';
import { ResultsTreeTab } from './run/ResultsTreeTab';
import { ClassifyFailuresTab } from './run/ClassifyFailuresTab';
import { FailureClustersTab } from './run/FailureClustersTab';
import { JsonBlock } from './run/JsonBlock';
import { CompareWithPrevious } from './run/CompareWithPrevious';
import { runName } from '../../components/run/runName';
import { LiveIndicator, LivePanel } from './run/LivePanel';
import { useLiveRun } from './run/useLiveRun';
import './run/run.css';

export function RunPage() {
  const { run_id = '' } = useParams();
  const { base, project } = useProject();
  const { data: loaded, error, loading, reload } = useApi<Run>(`run/${run_id}`);
  // While the run is running its event stream keeps the page current.
  const { run: data, status, recent } = useLiveRun(loaded, reload);

  return (
    <DetailLoader kind="run" id={run_id} listPath={`${base}/runs`} data={data} error={error} loading={loading} reload={reload}>
      {(run) => (
        <>
          <DetailHeader
            crumbs={[{ to: `${base}/runs`, text: 'Test runs' }]}
            current={runName(run)}
            title={runName(run)}
            startTime={run.start_time}
            duration={run.duration}
          >
            <FlexItem>
              <LiveIndicator run={run} status={status} />
            </FlexItem>
            {run.component && (
              <FlexItem>
                <Label isCompact color="blue">
                  {run.component}
                </Label>
              </FlexItem>
            )}
            {run.env && (
              <FlexItem>
                <Label isCompact color="teal">
                  {run.env}
                </Label>
              </FlexItem>
            )}
            <FlexItem>
              <SummaryBar summary={run.summary} width="14rem" />
            </FlexItem>
            <FlexItem>
              <CompareWithPrevious run={run} base={base} />
            </FlexItem>
          </DetailHeader>
          {(run.state === 'running' || recent.length > 0) && (
            <PageSection>
              <LivePanel run={run} recent={recent} base={base} />
            </PageSection>
          )}
          <PageSection>
            <HashTabs
              aria-label="Run sections"
              tabs={[
                {
                  key: 'summary',
                  title: 'Summary',
                  body: <RunSummaryTab run={run} base={base} projectTitle={project && project.id === run.project_id ? project.title : null} />,
                },
                { key: 'results', title: 'Results', body: <RunResultsTab run={run} base={base} /> },
                { key: 'tree', title: 'Results tree', body: <ResultsTreeTab run={run} base={base} /> },
                { key: 'classify', title: 'Classify failures', body: <ClassifyFailuresTab run={run} base={base} /> },
                { key: 'clusters', title: 'Failure clusters', body: <FailureClustersTab run={run} base={base} /> },
                { key: 'artifacts', title: 'Artifacts', body: <ArtifactsPanel runId={run.id} /> },
                { key: 'json', title: 'JSON', body: <JsonBlock value={run} id="run-json" /> },
              ]}
            />
          </PageSection>
        </>
      )}
    </DetailLoader>
  );
}

// A result (/project/:project_id/results/:result_id and /results/:id):
// summary with classification, the test's history, artifacts (logs with
// search, images) and the raw result. The tab lives in the URL hash
// (#summary, #history, #artifacts, #json), as upstream.
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { Breadcrumb, BreadcrumbItem, Flex, FlexItem, PageSection, Tab, TabTitleText, Tabs, Title } from '@patternfly/react-core';
import { ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { Result } from '../../api/types';
import { useProject } from '../../project';
import { formatDate, formatDuration } from '../../components/format';
import { Empty, ErrorState, Loading } from '../../components/states';
import { StatusLabel } from '../../components/StatusLabel';
import { ArtifactsPanel } from '../../components/artifacts/ArtifactsPanel';
import { JsonBlock } from '../runs/run/JsonBlock';
import { ResultSummaryTab } from './result/ResultSummaryTab';
import { HistoryTab } from './result/HistoryTab';
import '../runs/run/run.css';

export const RESULT_TABS = ['summary', 'history', 'artifacts', 'json'] as const;

export function ResultPage() {
  const { result_id = '' } = useParams();
  const { base } = useProject();
  const location = useLocation();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useApi<Result>(`result/${result_id}`);
  const [result, setResult] = useState<Result | undefined>(data);
  useEffect(() => setResult(data), [data]);
  const hash = location.hash.replace(/^#/, '');
  const tab = (RESULT_TABS as readonly string[]).includes(hash) ? hash : 'summary';

  if (loading) return <PageSection><Loading label="Loading the result" /></PageSection>;
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
    return (
      <PageSection>
        <Empty title="Result not found">There is no result with the id {result_id}. <Link to={`${base}/results`}>Back to the results</Link></Empty>
      </PageSection>
    );
  }
  const r = result ?? data;
  if (error || !r) return <PageSection><ErrorState error={error ?? 'No data'} onRetry={reload} /></PageSection>;

  return (
    <>
      <PageSection>
        <Breadcrumb style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
          <BreadcrumbItem render={() => <Link to={`${base}/results`}>Test results</Link>} />
          {r.run_id && <BreadcrumbItem render={() => <Link to={`${base}/runs/${r.run_id}`}>Run {r.run_id!.slice(0, 8)}</Link>} />}
          <BreadcrumbItem isActive>Result</BreadcrumbItem>
        </Breadcrumb>
        <Flex alignItems={{ default: 'alignItemsCenter' }} spaceItems={{ default: 'spaceItemsMd' }}>
          <FlexItem style={{ minWidth: 0 }}>
            <Title headingLevel="h1" className="ibutsu-break">{r.test_id}</Title>
          </FlexItem>
          <FlexItem><StatusLabel status={r.result} isCompact={false} /></FlexItem>
          <FlexItem className="ibutsu-subtle">{formatDate(r.start_time)} · {formatDuration(r.duration)}</FlexItem>
        </Flex>
      </PageSection>
      <PageSection>
        <Tabs
          activeKey={tab}
          onSelect={(_e, k) => navigate({ search: location.search, hash: String(k) }, { replace: true })}
          aria-label="Result sections"
          mountOnEnter
          unmountOnExit
        >
          <Tab eventKey="summary" title={<TabTitleText>Summary</TabTitleText>}>
            <div className="ibutsu-tab-body"><ResultSummaryTab result={r} base={base} onChange={setResult} /></div>
          </Tab>
          <Tab eventKey="history" title={<TabTitleText>Test history</TabTitleText>}>
            <div className="ibutsu-tab-body"><HistoryTab result={r} base={base} /></div>
          </Tab>
          <Tab eventKey="artifacts" title={<TabTitleText>Artifacts</TabTitleText>}>
            <div className="ibutsu-tab-body"><ArtifactsPanel resultId={r.id} /></div>
          </Tab>
          <Tab eventKey="json" title={<TabTitleText>JSON</TabTitleText>}>
            <div className="ibutsu-tab-body"><JsonBlock value={r} id="result-json" /></div>
          </Tab>
        </Tabs>
      </PageSection>
    </>
  );
}

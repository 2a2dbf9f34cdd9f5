// A result (/project/:project_id/results/:result_id and /results/:id):
// summary with classification, the test's history, artifacts (logs with
// search, images) and the raw result. The tab lives in the URL hash
// (#summary, #history, #artifacts, #json), as upstream.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, FlexItem, PageSection } from '@patternfly/react-core';
import { LockIcon } from '@patternfly/react-icons';
import { useApi } from '../../api/useApi';
import type { Result } from '../../api/types';
import { useProject } from '../../project';
import { DetailHeader } from '../../components/DetailHeader';
import { DetailLoader } from '../../components/DetailLoader';
import { HashTabs } from '../../components/HashTabs';
import { StatusLabel } from '../../components/StatusLabel';
import { QuarantinedLabel } from '../../components/QuarantinedLabel';
import { QuarantineModal } from '../quarantine/QuarantineModal';
import { useCanQuarantine } from '../quarantine/QuarantinePage';
import { FlakyLabel } from '../../components/FlakyLabel';
import { ClusterBadge } from '../../components/TriageBadges';
import { ArtifactsPanel } from '../../components/artifacts/ArtifactsPanel';
import { useRunNames } from '../../components/run/useRunNames';
import { JsonBlock } from '../runs/run/JsonBlock';
import { ResultSummaryTab } from './result/ResultSummaryTab';
import { HistoryTab } from './result/HistoryTab';
import '../runs/run/run.css';

/** A saved result (PUT answers without our triage keys) keeps the page's marks; a classified one needs no suggestion. */
export function keepTriage(before: Result, saved: Result): Result {
  return {
    ...saved,
    failure_cluster: saved.failure_cluster ?? before.failure_cluster,
    suggested_classification: saved.metadata?.classification ? null : (saved.suggested_classification ?? before.suggested_classification),
  };
}

export function ResultPage() {
  const { result_id = '' } = useParams();
  const { base, projectId } = useProject();
  const { data, error, loading, reload } = useApi<Result>(`result/${result_id}`);
  const runNameOf = useRunNames([data?.run_id], projectId ?? data?.project_id ?? null);
  const [result, setResult] = useState<Result | undefined>(data);
  const [quarantining, setQuarantining] = useState(false);
  const canQuarantine = useCanQuarantine();
  useEffect(() => setResult(data), [data]);

  return (
    <DetailLoader kind="result" id={result_id} listPath={`${base}/results`} data={result ?? data} error={error} loading={loading} reload={reload}>
      {(r) => (
        <>
          <DetailHeader
            crumbs={[{ to: `${base}/results`, text: 'Test results' }, ...(r.run_id ? [{ to: `${base}/runs/${r.run_id}`, text: runNameOf(r.run_id) }] : [])]}
            current="Result"
            title={r.test_id}
            breakTitle
            startTime={r.start_time}
            duration={r.duration}
          >
            <FlexItem>
              <StatusLabel status={r.result} isCompact={false} />
            </FlexItem>
            {r.quarantined && (
              <FlexItem>
                <QuarantinedLabel isCompact={false} />
              </FlexItem>
            )}
            {canQuarantine && r.project_id && !r.quarantined && (r.result === 'failed' || r.result === 'error') && (
              <FlexItem>
                <Button variant="secondary" size="sm" icon={<LockIcon />} onClick={() => setQuarantining(true)} data-testid="quarantine-this-test">
                  Quarantine this test
                </Button>
              </FlexItem>
            )}
            {r.flaky && (
              <FlexItem>
                <Link to={`${base}/flaky`} aria-label="Flaky: see the project's flaky tests">
                  <FlakyLabel isCompact={false} />
                </Link>
              </FlexItem>
            )}
            {r.failure_cluster && (
              <FlexItem>
                <ClusterBadge result={r} isCompact={false} />
              </FlexItem>
            )}
          </DetailHeader>
          <PageSection>
            <HashTabs
              aria-label="Result sections"
              tabs={[
                { key: 'summary', title: 'Summary', body: <ResultSummaryTab result={r} base={base} onChange={(saved) => setResult(keepTriage(r, saved))} /> },
                { key: 'history', title: 'Test history', body: <HistoryTab result={r} base={base} /> },
                { key: 'artifacts', title: 'Artifacts', body: <ArtifactsPanel resultId={r.id} /> },
                { key: 'json', title: 'JSON', body: <JsonBlock value={r} id="result-json" /> },
              ]}
            />
          </PageSection>
          {r.project_id && (
            <QuarantineModal
              isOpen={quarantining}
              projectId={r.project_id}
              initialPattern={r.test_id}
              onClose={(saved) => {
                setQuarantining(false);
                if (saved) reload();
              }}
            />
          )}
        </>
      )}
    </DetailLoader>
  );
}

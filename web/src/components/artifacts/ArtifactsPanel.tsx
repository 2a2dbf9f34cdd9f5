// The artifacts of a result or a run: one tab per file, each previewed by
// ArtifactViewer (loaded only when its tab is opened).
import { useState } from 'react';
import { Tab, TabTitleText, Tabs } from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { Artifact, Pagination } from '../../api/types';
import { Empty, ErrorState, Loading } from '../states';
import { ArtifactViewer } from './ArtifactViewer';
import { isTextType } from './logSearch';

interface Props {
  resultId?: string;
  runId?: string;
}

export function ArtifactsPanel({ resultId, runId }: Props) {
  const { data, error, loading, reload } = useApi<{ artifacts: Artifact[]; pagination: Pagination }>('artifact', {
    query: { resultId, runId, pageSize: 100 },
  });
  const [active, setActive] = useState<string | null>(null);
  if (loading) return <Loading label="Loading artifacts" />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  const artifacts = [...(data?.artifacts ?? [])].sort((a, b) => a.filename.localeCompare(b.filename));
  if (!artifacts.length)
    return <Empty title="No artifacts">Logs, screenshots and other files uploaded with this {resultId ? 'result' : 'run'} appear here.</Empty>;
  const first = artifacts.find((a) => isTextType('', a.filename)) ?? artifacts[0];
  const key = active && artifacts.some((a) => a.id === active) ? active : first.id;
  return (
    <Tabs activeKey={key} onSelect={(_e, k) => setActive(String(k))} isSubtab aria-label="Artifacts" mountOnEnter unmountOnExit>
      {artifacts.map((a) => (
        <Tab key={a.id} eventKey={a.id} title={<TabTitleText>{a.filename}</TabTitleText>} aria-label={`Artifact ${a.filename}`}>
          <div style={{ paddingTop: 'var(--pf-t--global--spacer--md)' }}>
            <ArtifactViewer artifact={a} />
          </div>
        </Tab>
      ))}
    </Tabs>
  );
}

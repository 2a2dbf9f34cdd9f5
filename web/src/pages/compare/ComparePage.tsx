// Compare runs (/compare and /project/:id/compare): the comparison lives in
// the URL so it can be bookmarked and shared.
import { useSearchParams } from 'react-router-dom';
import { Content, PageSection, Title } from '@patternfly/react-core';
import { useProject } from '../../project';
import { CompareRuns } from './CompareRuns';
import { specFromParams, specToParams } from './compare';

export function ComparePage() {
  const { projectId } = useProject();
  const [params, setParams] = useSearchParams();
  const spec = specFromParams(params);
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Compare runs</Title>
        <Content component="p">See which tests started failing, which were fixed, which still fail and which got slower or faster.</Content>
      </PageSection>
      <PageSection>
        <CompareRuns key={projectId ?? ''} projectId={projectId} spec={spec} onCompare={(s) => setParams(specToParams(s))} />
      </PageSection>
    </>
  );
}

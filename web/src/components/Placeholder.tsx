// Temporary page body for routes whose page has not landed yet.
import { PageSection, Title } from '@patternfly/react-core';

export function Placeholder({ title }: { title: string }) {
  return (
    <PageSection>
      <Title headingLevel="h1">{title}</Title>
    </PageSection>
  );
}

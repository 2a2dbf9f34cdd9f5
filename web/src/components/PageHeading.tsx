// A list or form page's heading: the h1 and, under it, the paragraph that
// says what the page is for, in their own page section.
import { Content, PageSection, Title } from '@patternfly/react-core';

export function PageHeading({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <PageSection>
      <Title headingLevel="h1">{title}</Title>
      {children && <Content component="p">{children}</Content>}
    </PageSection>
  );
}

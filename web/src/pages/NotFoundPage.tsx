import { Link } from 'react-router-dom';
import { EmptyState, EmptyStateBody, PageSection } from '@patternfly/react-core';

export function NotFoundPage() {
  return (
    <PageSection>
      <EmptyState titleText="Page not found" headingLevel="h1">
        <EmptyStateBody>
          There is nothing at this address. <Link to="/">Go to the start page</Link>.
        </EmptyStateBody>
      </EmptyState>
    </PageSection>
  );
}

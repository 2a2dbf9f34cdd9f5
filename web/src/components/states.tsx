// Loading, empty and error states, one look everywhere.
import { Bullseye, EmptyState, EmptyStateBody, Spinner, Button, EmptyStateActions, EmptyStateFooter } from '@patternfly/react-core';
import { ExclamationCircleIcon, SearchIcon } from '@patternfly/react-icons';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Bullseye style={{ padding: '2rem' }}>
      <Spinner aria-label={label} />
    </Bullseye>
  );
}

export function Empty({ title = 'Nothing here yet', children }: { title?: string; children?: React.ReactNode }) {
  return (
    <EmptyState titleText={title} headingLevel="h3" icon={SearchIcon} variant="sm">
      {children && <EmptyStateBody>{children}</EmptyStateBody>}
    </EmptyState>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const msg = error instanceof Error ? error.message : String(error);
  return (
    <EmptyState titleText="Something went wrong" headingLevel="h3" icon={ExclamationCircleIcon} status="danger" variant="sm">
      <EmptyStateBody>{msg}</EmptyStateBody>
      {onRetry && (
        <EmptyStateFooter>
          <EmptyStateActions>
            <Button variant="primary" onClick={onRetry}>
              Try again
            </Button>
          </EmptyStateActions>
        </EmptyStateFooter>
      )}
    </EmptyState>
  );
}

// Loading, empty and error states, one look everywhere.
import { Bullseye, EmptyState, EmptyStateBody, Spinner, Button, EmptyStateActions, EmptyStateFooter } from '@patternfly/react-core';
import { ExclamationCircleIcon, SearchIcon } from '@patternfly/react-icons';
import { ApiError } from '../api/client';

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

/** How a page words a 400 it can explain (a list's filters, say). */
export interface BadRequestText {
  title: string;
  hint: string;
}

/**
 * A failed request with the server's message. A page that knows what a 400
 * means for it passes badRequest: the user's own input was refused, so the
 * title and hint say what to change and there is no retry; anything else is
 * "Something went wrong".
 */
export function ErrorState({ error, onRetry, badRequest }: { error: unknown; onRetry?: () => void; badRequest?: BadRequestText }) {
  const msg = error instanceof Error ? error.message : String(error);
  const refused = badRequest && error instanceof ApiError && error.status === 400 ? badRequest : null;
  if (refused) onRetry = undefined;
  return (
    <EmptyState
      titleText={refused ? refused.title : 'Something went wrong'}
      headingLevel="h3"
      icon={ExclamationCircleIcon}
      status={refused ? 'warning' : 'danger'}
      variant="sm"
    >
      <EmptyStateBody>
        <span data-testid="error-message">{msg}</span>
        {refused && <div>{refused.hint}</div>}
      </EmptyStateBody>
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

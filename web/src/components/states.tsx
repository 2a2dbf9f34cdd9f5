// Loading, empty and error states, one look everywhere, and the choice
// between them for a section (LoadStates) or a whole page (PageLoadState)
// that shows what one request loaded.
import { Bullseye, EmptyState, EmptyStateBody, Spinner, Button, EmptyStateActions, EmptyStateFooter, PageSection } from '@patternfly/react-core';
import { ExclamationCircleIcon, SearchIcon } from '@patternfly/react-icons';
import { ApiError } from '../api/client';
import type { ApiState } from '../api/useApi';

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

/** A page's own empty state (an h2) with what to do next: the body, then the action buttons. */
export function ActionEmptyState({
  title,
  icon,
  actions,
  children,
  'data-testid': testId,
}: {
  title: string;
  icon: React.ComponentType;
  actions: React.ReactNode;
  children: React.ReactNode;
  'data-testid'?: string;
}) {
  return (
    <EmptyState titleText={title} headingLevel="h2" icon={icon} data-testid={testId}>
      <EmptyStateBody>{children}</EmptyStateBody>
      <EmptyStateFooter>
        <EmptyStateActions>{actions}</EmptyStateActions>
      </EmptyStateFooter>
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

/** What a section shows in place of its content, and when. */
export interface StateProps {
  /** Loading with nothing to show yet (a reload keeps the old content). */
  loading?: boolean;
  error?: unknown;
  /** Loaded, and there is nothing. */
  empty?: boolean;
  emptyTitle?: string;
  emptyBody?: React.ReactNode;
  /** The spinner's accessible name. */
  loadingLabel?: string;
  onRetry?: () => void;
  /** How to word a 400 (see ErrorState). */
  badRequest?: BadRequestText;
}

/**
 * The spinner, error or empty state for these props, in that order, or null
 * when the content can show.
 */
export function stateView({ loading, error, empty, emptyTitle, emptyBody, loadingLabel, onRetry, badRequest }: StateProps): React.ReactNode {
  if (loading) return <Loading label={loadingLabel} />;
  if (error) return <ErrorState error={error} onRetry={onRetry} badRequest={badRequest} />;
  if (empty) return <Empty title={emptyTitle}>{emptyBody}</Empty>;
  return null;
}

/**
 * A loaded list's place on the page: its loading, error or empty state, else
 * the children. With api (a useApi result) the spinner shows until the first
 * answer and the error's retry reloads.
 */
export function LoadStates({ children, api, ...state }: StateProps & { api?: ApiState<unknown>; children: React.ReactNode }) {
  const fromApi = api && { loading: api.loading && !api.data, error: api.error, onRetry: api.reload };
  return stateView({ ...fromApi, ...state }) ?? <>{children}</>;
}

/**
 * A page's stand-in until its one resource is there: the spinner before the
 * first answer, then a failure (with a retry) in a page section, else
 * nothing. Render it while `!data || error`.
 */
export function PageLoadState({ data, error, loading, reload }: { data: unknown; error: unknown; loading: boolean; reload: () => void }) {
  if (loading && !data) return <Loading />;
  if (error)
    return (
      <PageSection>
        <ErrorState error={error} onRetry={reload} />
      </PageSection>
    );
  return null;
}

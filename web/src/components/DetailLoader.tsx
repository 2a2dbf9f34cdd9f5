// The loading, not-found and error states of a page showing one run or
// result; renders its children with the loaded item.
import { Link } from 'react-router-dom';
import { PageSection } from '@patternfly/react-core';
import { ApiError } from '../api/client';
import { Empty, ErrorState, Loading } from './states';

interface Props<T> {
  /** "run", "result": used in the texts. */
  kind: string;
  /** The id from the URL, shown when nothing has it. */
  id: string;
  /** The list to go back to. */
  listPath: string;
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  children: (item: T) => React.ReactNode;
}

export function DetailLoader<T>({ kind, id, listPath, data, error, loading, reload, children }: Props<T>) {
  if (loading)
    return (
      <PageSection>
        <Loading label={`Loading the ${kind}`} />
      </PageSection>
    );
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
    const title = `${kind.charAt(0).toUpperCase()}${kind.slice(1)} not found`;
    return (
      <PageSection>
        <Empty title={title}>
          There is no {kind} with the id {id}. <Link to={listPath}>Back to the {kind}s</Link>
        </Empty>
      </PageSection>
    );
  }
  if (error || !data)
    return (
      <PageSection>
        <ErrorState error={error ?? 'No data'} onRetry={reload} />
      </PageSection>
    );
  return <>{children(data)}</>;
}

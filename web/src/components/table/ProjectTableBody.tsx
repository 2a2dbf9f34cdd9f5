// The body of a list of a project's items (runs, results): a request to
// choose a project when none is chosen (or the server wants one), with links
// into the user's first projects, loading,
// error and empty states as a table row, else the rows.
import { needsProject } from './query';
import { ProjectChoices } from './ProjectChoices';
import { TableState } from './TableState';

/** A list's 400 is its filters (or sort) being refused: say so, with the server's reason. */
const FILTER_REFUSED = { title: 'These filters cannot be applied', hint: 'Change or remove the filter above.' };

interface Props {
  colSpan: number;
  /** No project is chosen and the user may see several. */
  chooseProject?: boolean;
  /** "runs", "results": what a chosen project would show. */
  noun: string;
  /** Loading with nothing to show yet. */
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  isEmpty: boolean;
  emptyTitle: string;
  emptyBody: string;
  /** The Tbody with the rows. */
  children: React.ReactNode;
}

export function ProjectTableBody({ colSpan, chooseProject, noun, loading, error, onRetry, isEmpty, emptyTitle, emptyBody, children }: Props) {
  const choose = (
    <TableState
      colSpan={colSpan}
      empty
      emptyTitle="Choose a project"
      emptyBody={
        <>
          Select a project in the masthead to see its {noun}, or open one here.
          <ProjectChoices path={noun} />
        </>
      }
    />
  );
  if (chooseProject) return choose;
  if (loading) return <TableState colSpan={colSpan} loading />;
  if (error) return needsProject(error) ? choose : <TableState colSpan={colSpan} error={error} onRetry={onRetry} badRequest={FILTER_REFUSED} />;
  if (isEmpty) return <TableState colSpan={colSpan} empty emptyTitle={emptyTitle} emptyBody={emptyBody} />;
  return <>{children}</>;
}

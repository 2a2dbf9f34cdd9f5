// Re-homing runs that belong to no project (imports sent without one, or
// runs of a deleted project): they appear in no project's lists, so
// superadmins find them with the filter project_id@n and move each with
// PUT /api/run/{id} {project_id}; the server moves the run's results with it
// in the same transaction.
import { api, errorText } from '../../api/client';

/** The runs-list filter that selects runs without project. */
export const UNASSIGNED_FILTER = 'project_id@n';

export interface MoveOutcome {
  moved: string[];
  failed: { id: string; error: string }[];
}

/** Moves the runs one by one (each its own transaction) and reports which moved. */
export async function moveRuns(
  ids: string[],
  projectId: string,
  put = (id: string) => api(`run/${id}`, { method: 'PUT', body: { project_id: projectId } }),
): Promise<MoveOutcome> {
  const out: MoveOutcome = { moved: [], failed: [] };
  for (const id of ids) {
    try {
      await put(id);
      out.moved.push(id);
    } catch (e) {
      out.failed.push({ id, error: errorText(e) });
    }
  }
  return out;
}

/** One line about a finished move. */
export function describeMove(o: MoveOutcome, projectTitle: string): string {
  const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
  if (o.failed.length === 0) return `Moved ${runs(o.moved.length)} to ${projectTitle}.`;
  const first = o.failed[0];
  return `Moved ${runs(o.moved.length)} to ${projectTitle}; ${runs(o.failed.length)} could not be moved (${first.id.slice(0, 8)}: ${first.error}).`;
}

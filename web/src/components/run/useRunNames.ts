// Readable names of runs a page only knows by id (the results list's Run
// column, a result's breadcrumb): one request for all of them, falling back
// to "Run 1a2b3c4d" while loading or when the runs cannot be read.
import { useMemo } from 'react';
import { useApi } from '../../api/useApi';
import type { Run } from '../../api/types';
import { runName, runShortName } from './runName';

/** A name for a run id from the loaded runs (runShortName when short), else its short id. */
export function nameFor(id: string, runs: Map<string, Run>, short = false): string {
  const r = runs.get(id);
  if (!r) return `Run ${id.slice(0, 8)}`;
  return short ? runShortName(r) : runName(r);
}

/**
 * Loads the runs with the given ids (GET /run?filter=id*a;b;c, with the
 * page's project when there is one — superadmins must name one) and
 * returns a name lookup (short names for tables with component and env columns).
 */
export function useRunNames(ids: (string | null | undefined)[], projectId: string | null, short = false): (id: string) => string {
  const unique = useMemo(() => [...new Set(ids.filter((x): x is string => !!x))].sort(), [ids]);
  const filter = unique.length ? [`id*${unique.join(';')}`, ...(projectId ? [`project_id=${projectId}`] : [])] : null;
  const { data } = useApi<{ runs: Run[] }>(filter ? 'run' : null, { query: { filter: filter ?? undefined, pageSize: Math.max(1, unique.length) } });
  const runs = useMemo(() => new Map((data?.runs ?? []).map((r) => [r.id, r])), [data]);
  return (id: string) => nameFor(id, runs, short);
}

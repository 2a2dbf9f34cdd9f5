// Keeps a loaded run current from its event stream: counters move with
// each result, the server's recomputed summary replaces them, the state
// turns finished, and the latest results (failures first) are kept for
// the live panel. The stream is open only while the run is running.
import { useCallback, useEffect, useState } from 'react';
import type { Run } from '../../../api/types';
import { countResult, isFailure, type LiveResult, type LiveRun, type LiveStatus, useEventStream } from '../../../api/live';

/** How many arrived results the live panel keeps. */
export const RECENT_MAX = 50;

export interface LiveRunState {
  run: Run | undefined;
  status: LiveStatus;
  /** Results that arrived while the page was open, newest first. */
  recent: LiveResult[];
}

export function useLiveRun(loaded: Run | undefined, reload: () => void): LiveRunState {
  const [run, setRun] = useState<Run | undefined>(loaded);
  const [recent, setRecent] = useState<LiveResult[]>([]);
  useEffect(() => setRun(loaded), [loaded]);

  const onEvent = useCallback(
    (type: string, data: unknown) => {
      switch (type) {
        case 'result.added': {
          const r = data as LiveResult;
          setRun((cur) => (cur ? { ...cur, summary: countResult(cur.summary, r.result) } : cur));
          setRecent((cur) => [r, ...cur].slice(0, RECENT_MAX));
          break;
        }
        case 'run.summary':
        case 'run.finished': {
          const e = data as LiveRun;
          setRun((cur) => (cur ? { ...cur, summary: e.summary ?? cur.summary, state: e.state, finished_at: e.finished_at, finished_by: e.finished_by } : cur));
          break;
        }
        case 'reset':
          reload();
          break;
      }
    },
    [reload],
  );
  const watching = loaded && loaded.state === 'running' && run?.state !== 'finished' ? loaded.id : null;
  const status = useEventStream('run', watching, onEvent);
  // Results, summaries or the finish sent after the run was read and
  // before the stream was subscribed reach neither (the server subscribes
  // before it answers, so "open" means subscribed): read the run again once
  // the stream is open. The reload keeps the same run watched, so the
  // status stays open and this runs once per opened stream.
  const streaming = status === 'open';
  useEffect(() => {
    if (streaming) reload();
  }, [streaming, reload]);
  // Until the effect above has copied a newly loaded run, show that one.
  return { run: run && loaded && run.id === loaded.id ? run : loaded, status, recent };
}

/** The results of the live panel: failures first, then the rest, each newest first. */
export function failuresFirst(recent: LiveResult[]): LiveResult[] {
  return [...recent.filter(isFailure), ...recent.filter((r) => !isFailure(r))];
}

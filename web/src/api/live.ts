// Live event streams (docs/notifications.md, "Events (live)"): a
// server-sent event stream of a run or a project, opened with a short-lived
// ticket because EventSource cannot send the Authorization header. The
// browser reconnects by itself with Last-Event-ID; when the ticket has
// expired by then, a new ticket is fetched and the stream resumes from the
// last event seen. After repeated failures the hook reports "failed" and
// the page falls back to what it did without live updates.
import { useEffect, useRef, useState } from 'react';
import { api, apiUrl } from './client';
import type { RunSummary } from './types';

export type LiveStatus = 'off' | 'connecting' | 'open' | 'failed';

/** The compact result of a result.added event. */
export interface LiveResult {
  id: string;
  run_id: string;
  test_id: string | null;
  result: string | null;
  duration: number | null;
  component?: string | null;
  start_time?: string;
}

/** A run event (run.started, run.updated, run.summary, run.finished). */
export interface LiveRun {
  id: string;
  project_id: string | null;
  state: 'running' | 'finished';
  finished_at: string | null;
  finished_by?: string | null;
  summary: RunSummary | null;
}

export const LIVE_EVENTS = ['result.added', 'run.summary', 'run.started', 'run.updated', 'run.finished', 'import.progress', 'import.done', 'reset'];

/** How many times a stream is reopened before the page falls back. */
const MAX_FAILURES = 3;

/**
 * Opens the stream of a run or project while id is set and calls onEvent
 * for each event (type, parsed data). Returns the connection status.
 */
export function useEventStream(kind: 'run' | 'project', id: string | null, onEvent: (type: string, data: unknown) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('off');
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    if (!id || typeof window.EventSource === 'undefined') {
      setStatus(id ? 'failed' : 'off');
      return;
    }
    // A new stream (another run or project) is not subscribed yet, whatever
    // the last one was: pages that read again on "open" rely on the change.
    setStatus('connecting');
    let closed = false;
    let source: EventSource | null = null;
    let lastId = '';
    let failures = 0;
    let retry: number | undefined;

    const open = async () => {
      // A retry of this stream keeps "open": nothing was missed before the
      // browser's Last-Event-ID resumes it.
      setStatus((s) => (s === 'open' ? s : 'connecting'));
      let ticket: string;
      try {
        ticket = (await api<{ ticket: string }>(`${kind}/${id}/events/ticket`, { method: 'POST' })).ticket;
      } catch {
        fail();
        return;
      }
      if (closed) return;
      const es = new EventSource(apiUrl(`${kind}/${id}/events`, { ticket, last_event_id: lastId || undefined }));
      source = es;
      es.onopen = () => {
        failures = 0;
        setStatus('open');
      };
      es.onerror = () => {
        // CONNECTING: the browser retries by itself (same ticket, which may
        // still be valid); CLOSED: it gave up (e.g. the ticket expired).
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          fail();
        }
      };
      for (const type of LIVE_EVENTS) {
        es.addEventListener(type, (e) => {
          const me = e as MessageEvent<string>;
          if (me.lastEventId) lastId = me.lastEventId;
          let data: unknown;
          try {
            data = JSON.parse(me.data);
          } catch {
            data = null;
          }
          handler.current(type, data);
        });
      }
    };
    const fail = () => {
      if (closed) return;
      failures += 1;
      if (failures >= MAX_FAILURES) {
        setStatus('failed');
        return;
      }
      retry = window.setTimeout(() => void open(), 1000 * failures);
    };
    void open();
    return () => {
      closed = true;
      window.clearTimeout(retry);
      source?.close();
    };
  }, [kind, id]);

  return status;
}

const COUNTER: Record<string, keyof RunSummary> = {
  passed: 'passes',
  failed: 'failures',
  error: 'errors',
  skipped: 'skips',
  xfailed: 'xfailures',
  xpassed: 'xpasses',
};

/**
 * A summary with one more result counted, until the server's recomputed
 * summary (run.summary) replaces it.
 */
export function countResult(s: RunSummary | null | undefined, result: string | null): RunSummary {
  const out: RunSummary = { ...(s ?? {}) };
  const n = (k: keyof RunSummary) => Number(out[k] ?? 0) || 0;
  out.tests = n('tests') + 1;
  const k = result ? COUNTER[result] : undefined;
  if (k) out[k] = n(k) + 1;
  const passes = n('passes');
  out.pass_percent = out.tests > 0 ? Math.min(100, Math.max(0, Math.floor((passes * 100) / out.tests))) : 0;
  return out;
}

/** Whether a result is one the "new failures" list shows. */
export function isFailure(r: Pick<LiveResult, 'result'>): boolean {
  return r.result === 'failed' || r.result === 'error';
}

// @vitest-environment jsdom
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../../api/types';
import { useLiveRun } from './useLiveRun';

/** A stand-in for the browser's EventSource (jsdom has none): the test opens it and sends events. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, (e: MessageEvent<string>) => void>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, fn);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  send(type: string, data: unknown) {
    this.listeners.get(type)?.(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

const running: Run = { id: 'r1', state: 'running', summary: { tests: 0 } } as Run;

/** The stream the hook opened, once it has fetched its ticket. */
async function stream(): Promise<FakeEventSource> {
  await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
  return FakeEventSource.opened[0];
}

beforeEach(() => {
  FakeEventSource.opened = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify({ ticket: 't' }), { headers: { 'Content-Type': 'application/json' } })),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useLiveRun', () => {
  it('reads the run again once its stream is open, and only then', async () => {
    // What was sent between the read and the subscription reached neither:
    // the reload after "open" is what brings it.
    const reload = vi.fn();
    const { result, rerender } = renderHook(({ loaded }) => useLiveRun(loaded, reload), { initialProps: { loaded: running } });
    const es = await stream();
    expect(result.current.status).toBe('connecting');
    expect(reload).not.toHaveBeenCalled();

    act(() => es.open());
    expect(result.current.status).toBe('open');
    expect(reload).toHaveBeenCalledTimes(1);

    // The reloaded run (a new object, still running) keeps the same stream: no loop.
    rerender({ loaded: { ...running, summary: { tests: 3, passes: 2, failures: 1 } } });
    expect(reload).toHaveBeenCalledTimes(1);
    expect(result.current.run?.summary?.tests).toBe(3);
    expect(FakeEventSource.opened).toHaveLength(1);

    // The reloaded run finished in the gap: the page shows it and closes the stream.
    rerender({ loaded: { ...running, state: 'finished', summary: { tests: 3, passes: 2, failures: 1 } } });
    expect(result.current.run?.state).toBe('finished');
    expect(result.current.status).toBe('off');
    expect(es.readyState).toBe(FakeEventSource.CLOSED);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('reads again once the stream of another running run opens', async () => {
    // The page stays mounted when it moves to another run: that run's
    // stream has its own gap, and "Live" waits for it to be subscribed.
    const reload = vi.fn();
    const { result, rerender } = renderHook(({ loaded }) => useLiveRun(loaded, reload), { initialProps: { loaded: running } });
    const first = await stream();
    act(() => first.open());
    expect(reload).toHaveBeenCalledTimes(1);

    rerender({ loaded: { ...running, id: 'r2' } });
    expect(result.current.status).toBe('connecting');
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(2));
    const second = FakeEventSource.opened[1];
    expect(second.url).toContain('/api/run/r2/events');
    expect(reload).toHaveBeenCalledTimes(1);
    act(() => second.open());
    expect(result.current.status).toBe('open');
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('counts arriving results and turns finished from the stream', async () => {
    const reload = vi.fn();
    const { result } = renderHook(() => useLiveRun(running, reload));
    const es = await stream();
    act(() => es.open());
    act(() => es.send('result.added', { id: 'x', run_id: 'r1', test_id: 't', result: 'failed', duration: 1 }));
    expect(result.current.run?.summary).toMatchObject({ tests: 1, failures: 1 });
    expect(result.current.recent).toHaveLength(1);
    act(() =>
      es.send('run.finished', { id: 'r1', project_id: null, state: 'finished', finished_at: '2026-01-01T00:00:00Z', summary: { tests: 1, failures: 1 } }),
    );
    expect(result.current.run?.state).toBe('finished');
    expect(result.current.status).toBe('off');
    expect(reload).toHaveBeenCalledTimes(1);
  });
});

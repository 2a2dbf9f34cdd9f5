// Live runs (docs/notifications.md, "Events (live)"): the run page opens
// the run's event stream and shows results as they are posted through the
// API — counters, the progress against the collected tests, new failures at
// the top — under a "Live" indicator, and "Finished" once the client says
// so; the runs list follows the project's stream and does not poll while it
// is open.
import assert from 'node:assert/strict';
import { apiCall, countRequests, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

async function liveProject(ctx, name) {
  const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
  const project = await call('POST', 'project', { name, title: 'E2E Live stream' });
  const run = await call('POST', 'run', {
    start_time: new Date().toISOString(),
    summary: { collected: 4 },
    metadata: { project: project.id, component: 'live', env: 'ci', jenkins: { job_name: 'live-job', build_number: '7' } },
  });
  const result = (test, outcome) =>
    call('POST', 'result', {
      test_id: test,
      result: outcome,
      duration: 0.5,
      start_time: new Date().toISOString(),
      run_id: run.id,
      metadata: { project: project.id, run: run.id, component: 'live' },
    });
  return { call, project, run, result };
}

/**
 * Opens the run's event stream from the test itself and records its
 * events ({type, data}) as they arrive; resolves once subscribed (the
 * server subscribes before it answers).
 */
async function observeRun(ctx, runId) {
  const { ticket } = await apiCall(ctx.baseURL, ctx.token, 'POST', `run/${runId}/events/ticket`);
  const ctrl = new AbortController();
  const res = await fetch(`${ctx.baseURL}/api/run/${runId}/events?ticket=${encodeURIComponent(ticket)}`, { signal: ctrl.signal });
  assert.equal(res.status, 200);
  const seen = [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const type = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (type) seen.push({ type, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      /* closed */
    }
  })();
  return { seen, close: () => ctrl.abort() };
}

export const tests = [
  {
    name: 'the run page shows results as they arrive and the finished state',
    fn: async (ctx) => {
      const { call, project, run, result } = await liveProject(ctx, 'e2e-live-run');
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      const events = countRequests(page, (r) => r.url().includes(`/api/run/${run.id}/events?`));
      await page.goto(`/project/${project.id}/runs/${run.id}`);
      await page.getByTestId('live-indicator').waitFor();
      assert.equal(await page.getByTestId('live-indicator').innerText(), 'Live');
      assert.ok(events.count >= 1, 'the page opened the run stream');
      assert.ok(!events.requests[0].url().includes(ctx.token), 'the long-lived token is not in the stream URL');
      assert.match(events.requests[0].url(), /[?&]ticket=/);

      await result('tests.live.test_a', 'passed');
      await result('tests.live.test_b', 'failed');
      await result('tests.live.test_c', 'passed');
      const items = page.getByTestId('live-result');
      await eventually(async () => assert.equal(await items.count(), 3));
      // New failures at the top.
      assert.equal(await items.first().getAttribute('data-result'), 'failed');
      assert.match(await items.first().innerText(), /tests\.live\.test_b/);
      await eventually(async () => assert.equal((await page.getByTestId('tile-failed-value').innerText()).trim(), '1'));
      assert.equal((await page.getByTestId('tile-passed-value').innerText()).trim(), '2');
      assert.match(await page.getByTestId('live-progress').innerText(), /3 of 4 tests/);
      await screenshots(page, 'run-live');

      // The client says the run is done: the indicator turns "Finished".
      await call('POST', `run/${run.id}/finish`);
      await eventually(async () => assert.equal(await page.getByTestId('run-state').innerText(), 'Finished'));
      await screenshots(page, 'run-live-finished');
    },
  },
  {
    name: 'a run that finishes before its stream opens shows finished',
    fn: async (ctx) => {
      // The page reads the run, then subscribes to its stream: results and
      // the finish sent in between reach neither unless the page reads the
      // run again once the stream is open. Hold the page's stream request
      // while they are sent; a stream of the test's own sees their events
      // (the delayed summary recomputation included) go by first.
      const { call, project, run, result } = await liveProject(ctx, 'e2e-live-run-gap');
      const observer = await observeRun(ctx, run.id);
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      const reads = countRequests(page, (r) => new URL(r.url()).pathname === `/api/run/${run.id}`);
      let release;
      const held = new Promise((resolve) => (release = resolve));
      let streams = 0;
      await page.route(/\/api\/run\/[^/]+\/events\?/, async (route) => {
        streams++;
        await held;
        await route.continue();
      });
      try {
        await page.goto(`/project/${project.id}/runs/${run.id}`);
        await eventually(async () => assert.equal(streams, 1));
        assert.equal(await page.getByTestId('run-state').innerText(), 'Running');
        await result('tests.live.test_a', 'passed');
        await result('tests.live.test_b', 'failed');
        await result('tests.live.test_c', 'passed');
        await eventually(() => assert.ok(observer.seen.some((e) => e.type === 'run.summary' && e.data?.summary?.tests === 3)), 15000);
        await call('POST', `run/${run.id}/finish`);
        await eventually(() => assert.ok(observer.seen.some((e) => e.type === 'run.finished')));
      } finally {
        observer.close();
        release();
      }
      // Without the reload the page stays "Live" on a finished run.
      await eventually(async () => assert.equal(await page.getByTestId('run-state').filter({ hasText: 'Finished' }).count(), 1));
      assert.equal((await page.getByTestId('tile-passed-value').innerText()).trim(), '2');
      assert.equal((await page.getByTestId('tile-failed-value').innerText()).trim(), '1');
      await screenshots(page, 'run-live-gap-finished');
      // One read on load and one once the stream opened: no reload loop.
      assert.equal(reads.count, 2, `run reads: ${reads.requests.map((r) => r.url()).join(', ')}`);
    },
  },
  {
    name: 'the runs list follows the project stream without polling',
    fn: async (ctx) => {
      const { call, project, run, result } = await liveProject(ctx, 'e2e-live-list');
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${project.id}/runs`);
      const indicator = page.getByTestId('live-indicator');
      await eventually(async () => assert.equal(await indicator.getAttribute('data-streaming'), 'true'));
      assert.match(await indicator.innerText(), /1 run receiving/);
      const lists = countRequests(page, (r) => new URL(r.url()).pathname === '/api/run');

      // A new run appears at once; a finished run leaves the live count.
      const later = await call('POST', 'run', { start_time: new Date().toISOString(), metadata: { project: project.id, component: 'later', env: 'ci' } });
      await eventually(async () => assert.equal(await page.getByTestId('run-row').count(), 2));
      await eventually(async () => assert.match(await indicator.innerText(), /2 runs receiving/));
      await result('tests.live.test_x', 'failed');
      await call('POST', `run/${later.id}/finish`);
      await eventually(async () => assert.match(await indicator.innerText(), /1 run receiving/));
      // The run's counters follow its recomputed summary (run.updated).
      const pass = page.locator(`[data-run-id="${run.id}"] [data-testid="run-pass"]`);
      await eventually(async () => assert.equal(await pass.getAttribute('data-percent'), '0'), 15000);
      await screenshots(page, 'runs-list-live-stream');

      // No polling while the stream is open: the one list request was the
      // reload for the new run; nothing else in more than a polling period.
      await page.waitForTimeout(11000);
      assert.equal(lists.count, 1, `list requests while streaming: ${lists.requests.map((r) => r.url()).join(', ')}`);
    },
  },
];

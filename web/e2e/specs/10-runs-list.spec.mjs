// The run list: filtering through the builder (URL and rows change),
// server-side sorting, pagination, the live-refresh indicator and the
// "choose a project" state.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

const rows = (page) => page.getByTestId('run-row');
/** The short ids of the runs shown, in order (rows carry their run's id; the Run column names the run). */
const runIds = (page) => rows(page).evaluateAll((els) => els.map((e) => e.dataset.runId.slice(0, 8)));

/** Waits until the seeded runs' summaries (and durations) have been computed. */
async function waitForSummaries(ctx) {
  const pid = ctx.data.project.id;
  await eventually(async () => {
    const r = await apiCall(ctx.baseURL, ctx.token, 'GET', `run?filter=project_id=${pid}&filter=duration@false&pageSize=1`);
    assert.equal(r.pagination.totalItems, 0, 'runs without a duration yet');
  }, 30000);
}

async function openRuns(ctx, query = '') {
  const page = await newPage(ctx);
  await loginFast(page, ctx);
  await page.goto(`/project/${ctx.data.project.id}/runs${query}`);
  await page.getByTestId('runs-table').waitFor();
  return page;
}

export const tests = [
  {
    name: 'filter the runs by component through the builder',
    fn: async (ctx) => {
      await waitForSummaries(ctx);
      const page = await openRuns(ctx);
      await eventually(async () => assert.equal(await rows(page).count(), 18));
      await screenshots(page, 'runs-list');

      const field = page.getByRole('combobox', { name: 'Filter field' });
      await field.fill('');
      await field.fill('compo');
      await page.getByRole('option', { name: /Component/ }).click();
      assert.equal(await field.inputValue(), 'component');
      const value = page.getByRole('combobox', { name: 'Filter value' });
      await value.click();
      // Suggestions are the project's distinct components.
      await page.getByRole('option', { name: 'frontend', exact: true }).waitFor();
      await screenshots(page, 'runs-filter-suggestions');
      await page.getByRole('option', { name: 'frontend', exact: true }).click();
      await page.getByRole('button', { name: 'Apply filter' }).click();

      await page.waitForURL((u) => u.searchParams.getAll('filter').includes('component=frontend'));
      await eventually(async () => assert.equal(await rows(page).count(), 6));
      const comps = await page.getByTestId('run-component').allInnerTexts();
      assert.deepEqual([...new Set(comps)], ['frontend']);
      await page.getByTestId('active-filters').getByText('equals frontend').waitFor();
      await screenshots(page, 'runs-list-filtered');

      // The URL reproduces the view.
      const again = await openRuns(ctx, new URL(page.url()).search);
      await eventually(async () => assert.equal(await rows(again).count(), 6));

      // Removing the label removes the filter.
      await page.getByRole('button', { name: 'Remove filter component equals frontend' }).click();
      await page.waitForURL((u) => !u.searchParams.has('filter'));
      await eventually(async () => assert.equal(await rows(page).count(), 18));
    },
  },
  {
    name: 'sort the runs by duration on the server',
    fn: async (ctx) => {
      await waitForSummaries(ctx);
      const page = await openRuns(ctx, '?pageSize=10');
      await eventually(async () => assert.equal(await rows(page).count(), 10));
      await page.getByRole('columnheader', { name: 'Duration' }).getByRole('button').click();
      await page.waitForURL((u) => u.searchParams.get('sort') === '-duration');
      const pid = ctx.data.project.id;
      const api = await apiCall(ctx.baseURL, ctx.token, 'GET', `run?filter=project_id=${pid}&sort=-duration&pageSize=10`);
      const want = api.runs.map((r) => r.id.slice(0, 8));
      await eventually(async () => assert.deepEqual(await runIds(page), want));
      const secs = await page.getByTestId('run-duration').evaluateAll((els) => els.map((e) => Number(e.dataset.seconds)));
      assert.deepEqual(
        secs,
        [...secs].sort((a, b) => b - a),
      );
      await screenshots(page, 'runs-list-sorted');

      // Clicking again flips the direction.
      await page.getByRole('columnheader', { name: 'Duration' }).getByRole('button').click();
      await page.waitForURL((u) => u.searchParams.get('sort') === 'duration');
      const asc = await apiCall(ctx.baseURL, ctx.token, 'GET', `run?filter=project_id=${pid}&sort=duration&pageSize=10`);
      await eventually(async () =>
        assert.deepEqual(
          await runIds(page),
          asc.runs.map((r) => r.id.slice(0, 8)),
        ),
      );

      // A numeric summary key sorts numerically.
      await page.getByRole('columnheader', { name: 'Pass rate' }).getByRole('button').click();
      await page.waitForURL((u) => u.searchParams.get('sort') === '-summary.pass_percent');
      await eventually(async () => {
        const pct = await page.getByTestId('run-pass').evaluateAll((els) => els.map((e) => Number(e.dataset.percent)));
        assert.equal(pct.length, 10);
        assert.deepEqual(
          pct,
          [...pct].sort((a, b) => b - a),
        );
        assert.ok(pct[0] > pct[9], 'pass rates should differ across the page');
      });
      await screenshots(page, 'runs-list-sorted-pass-rate');
    },
  },
  {
    name: 'paginate the runs',
    fn: async (ctx) => {
      const page = await openRuns(ctx, '?pageSize=10');
      await eventually(async () => assert.equal(await rows(page).count(), 10));
      assert.equal(await page.getByTestId('pagination-range-top').first().innerText(), '1 - 10 of 18');
      const first = await runIds(page);
      await page.getByRole('button', { name: 'Go to next page' }).first().click();
      await page.waitForURL((u) => u.searchParams.get('page') === '2');
      await eventually(async () => assert.equal(await rows(page).count(), 8));
      const second = await runIds(page);
      assert.equal(new Set([...first, ...second]).size, 18, 'pages overlap');
      await screenshots(page, 'runs-list-page-2');
    },
  },
  {
    name: 'live refresh while a run is receiving results',
    fn: async (ctx) => {
      // A project of its own, so other specs' counts stay as seeded.
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      const project = await call('POST', 'project', { name: 'e2e-live', title: 'E2E Live' });
      const run = await call('POST', 'run', { start_time: new Date().toISOString(), metadata: { project: project.id, component: 'live', env: 'ci' } });
      await call('POST', 'result', {
        test_id: 'tests.live.test_one',
        result: 'passed',
        duration: 1,
        start_time: new Date().toISOString(),
        run_id: run.id,
        metadata: { project: project.id, run: run.id, component: 'live' },
      });
      const old = await call('POST', 'run', {
        start_time: '2026-01-01T00:00:00Z',
        duration: 30,
        metadata: { project: project.id, component: 'old', env: 'ci' },
      });
      // Its client says it is complete (a new run is "running" until then or the quiet period).
      await call('POST', `run/${old.id}/finish`);

      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${project.id}/runs`);
      await page.getByTestId('live-indicator').waitFor();
      assert.match(await page.getByTestId('live-indicator').innerText(), /1 run receiving/);
      await eventually(async () => assert.equal(await rows(page).count(), 2));
      // The list refreshes by itself: a new run shows up without a reload.
      await call('POST', 'run', { start_time: new Date().toISOString(), metadata: { project: project.id, component: 'later', env: 'ci' } });
      await eventually(async () => assert.equal(await rows(page).count(), 3), 15000);
      await screenshots(page, 'runs-list-live');
    },
  },
  {
    name: 'a run started before the stream opens still shows up',
    fn: async (ctx) => {
      // The list is read, then the stream subscribes: a run started in
      // between reaches neither unless the page reads the list again once
      // the stream is open. Hold the stream's request to make that window
      // as wide as a loaded machine makes it.
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      const project = await call('POST', 'project', { name: 'e2e-live-gap', title: 'E2E Live Gap' });
      await call('POST', 'run', { start_time: new Date().toISOString(), metadata: { project: project.id, component: 'first', env: 'ci' } });
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      let release;
      const held = new Promise((resolve) => (release = resolve));
      await page.route(/\/api\/project\/[^/]+\/events\?/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`/project/${project.id}/runs`);
      await eventually(async () => assert.equal(await rows(page).count(), 1));
      await call('POST', 'run', { start_time: new Date().toISOString(), metadata: { project: project.id, component: 'second', env: 'ci' } });
      release();
      await page.waitForSelector('[data-testid="live-indicator"][data-streaming="true"]');
      await eventually(async () => assert.equal(await rows(page).count(), 2), 10000);
    },
  },
  {
    name: 'without a project a superadmin is asked to choose one',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/runs');
      await page.getByRole('heading', { name: 'Choose a project' }).waitFor();
      await page.getByText('Runs of one project at a time').waitFor();
      await screenshots(page, 'runs-list-no-project');
      // The state links into the projects, straight to their runs.
      await page.getByTestId('project-choices').getByRole('link').first().click();
      await page.waitForURL(/\/project\/[^/]+\/runs$/);
      await eventually(async () => assert.ok((await rows(page).count()) > 0));
    },
  },
];

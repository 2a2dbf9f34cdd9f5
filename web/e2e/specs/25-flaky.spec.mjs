// Flaky tests (docs/triage.md#flaky-tests): a test that failed and passed
// in one run and one whose outcome flipped four times over six builds are
// listed on the project's Flaky tests page (evidence on expanding), marked
// with a Flaky badge on the results list and the result page, and shown by
// the flaky-tests dashboard widget.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

/** Its own project, so other specs' counts stay as they are. */
async function seedFlaky(ctx) {
  const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
  const project = await call('POST', 'project', { name: 'flaky-e2e', title: 'Flaky E2E' });
  const t0 = Date.now() - 8 * 3600_000;
  const at = (h, s = 0) => new Date(t0 + h * 3600_000 + s * 1000).toISOString();
  const mkRun = (h, build) =>
    call('POST', 'run', {
      start_time: at(h),
      metadata: { project: project.id, component: 'checkout', jenkins: { job_name: 'nightly', build_number: String(build) } },
    });
  const add = (run, h, s, test, result) =>
    call('POST', 'result', {
      test_id: test,
      result,
      run_id: run.id,
      start_time: at(h, s),
      duration: 1.5,
      metadata: { project: project.id, component: 'checkout' },
    });
  const outcomes = ['passed', 'failed', 'passed', 'failed', 'passed', 'passed'];
  let retried;
  const runs = [];
  for (const [i, o] of outcomes.entries()) {
    const run = await mkRun(i, i + 1);
    runs.push(run);
    await add(run, i, 1, 'tests/test_search.py::test_search_suggestions', o);
    await add(run, i, 2, 'tests/test_cart.py::test_cart_total', 'passed');
    if (i === 5) {
      retried = await add(run, i, 3, 'tests/test_login.py::test_login_sso', 'failed');
      await add(run, i, 4, 'tests/test_login.py::test_login_sso', 'passed');
    }
  }
  // Detection runs after each run's summary; re-examining now keeps the spec quick.
  await call('PUT', `project/${project.id}/flaky-settings`, {});
  return { project, retried, runs };
}

export const tests = [
  {
    name: 'flaky tests page with evidence, badges on results, flaky-tests widget',
    fn: async (ctx) => {
      const { project, retried, runs } = await seedFlaky(ctx);
      const pid = project.id;
      await eventually(async () => {
        const l = await apiCall(ctx.baseURL, ctx.token, 'GET', `flaky?project=${pid}`);
        assert.deepEqual(
          l.flaky.map((t) => [t.test_id, t.score, t.retries, t.flips]),
          [
            ['tests/test_login.py::test_login_sso', 1, 1, 0],
            ['tests/test_search.py::test_search_suggestions', 0.8, 0, 4],
          ],
        );
      });
      const r = await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${retried.id}`);
      assert.equal(r.flaky, true);

      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/dashboard`);
      await page.getByRole('link', { name: 'Flaky tests' }).click();
      await page.waitForURL(new RegExp(`/project/${pid}/flaky$`));
      const table = page.getByTestId('flaky-table');
      await table.getByTestId('flaky-row-1').waitFor();
      assert.match(await table.getByTestId('flaky-row-0').textContent(), /test_login_sso.*checkout.*nightly.*100%.*1 retry over 1 run/);
      assert.match(await table.getByTestId('flaky-row-1').textContent(), /test_search_suggestions.*80%.*80%.*4 flips over 6 runs/);
      await table.getByTestId('flaky-row-1').getByRole('button').first().click();
      const evidence = table.getByTestId('flaky-evidence-1');
      await evidence.waitFor();
      assert.equal(await evidence.getByRole('row').count(), 6, 'a header and the five results around the four flips');
      assert.match(await evidence.textContent(), /Outcome flipped/);
      await screenshots(page, 'flaky-tests');

      // The evidence links to the result, whose page shows the badge.
      await table.getByTestId('flaky-row-0').getByRole('button').first().click();
      await table
        .getByTestId('flaky-evidence-0')
        .getByRole('link', { name: /Result failed/ })
        .click();
      await page.waitForURL(new RegExp(`/results/${retried.id}$`));
      await page.getByTestId('flaky-label').waitFor();
      await screenshots(page, 'result-flaky');

      // Results list: the flaky tests' rows carry the badge, the stable test's do not.
      await page.goto(`/project/${pid}/results`);
      await page.getByTestId('results-table').getByTestId('result-row').first().waitFor();
      const rows = page.getByTestId('results-table').getByTestId('result-row');
      const n = await rows.count();
      let badged = 0;
      for (let i = 0; i < n; i++) {
        const text = await rows.nth(i).textContent();
        const has = (await rows.nth(i).getByTestId('flaky-label').count()) > 0;
        assert.equal(has, !/test_cart_total/.test(text), text);
        if (has) badged++;
      }
      assert.equal(badged, 8, 'six search results and two login results');
      await screenshots(page, 'results-flaky');

      // The run page's results table carries the badge too.
      await page.goto(`/project/${pid}/runs/${retried.run_id}#results`);
      await eventually(async () => assert.equal(await page.getByTestId('flaky-label').count(), 3, 'two login results and one search result'));

      // The dashboard widget.
      const dash = await apiCall(ctx.baseURL, ctx.token, 'POST', 'dashboard', { title: 'Flakiness', project_id: pid });
      await apiCall(ctx.baseURL, ctx.token, 'POST', 'widget-config', {
        type: 'widget',
        widget: 'flaky-tests',
        title: 'Flaky tests',
        params: { project: pid, limit: 5 },
        project: pid,
        dashboard_id: dash.id,
      });
      await page.goto(`/project/${pid}/dashboard/${dash.id}`);
      const widget = page.getByTestId('flaky-tests-widget');
      await widget.waitFor();
      assert.deepEqual(await widget.getByRole('link').allTextContents(), [
        'tests/test_login.py::test_login_sso',
        'tests/test_search.py::test_search_suggestions',
      ]);
      await screenshots(page, 'dashboard-flaky-widget');

      // Compare runs: build 2's search failure is fixed in build 3, and the
      // test is flaky, so the Fixed list says so; the stable test is not marked.
      const cmp = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget/compare-runs-view?base_run=${runs[1].id}&target_run=${runs[2].id}`);
      assert.deepEqual(
        cmp.fixed.map((f) => [f.test_id, f.flaky]),
        [['tests/test_search.py::test_search_suggestions', true]],
      );
      assert.equal(cmp.counts.flaky_tests, 1);
      await page.goto(`/project/${pid}/compare?base=${runs[1].id}&target=${runs[2].id}`);
      await page.getByTestId('compare-result').waitFor();
      await page.getByRole('tab', { name: /Fixed/ }).click();
      const fixedRow = page.getByRole('row', { name: /test_search_suggestions/ });
      await fixedRow.getByTestId('flaky-label').waitFor();
      await screenshots(page, 'compare-flaky');
    },
  },
];

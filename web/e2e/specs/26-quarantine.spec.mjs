// Quarantine (docs/triage.md#quarantine): the project's quarantine page
// (add with reason and expiry, edit, remove), the Quarantined badge on the
// run page's results, the results list and the result page, the run
// summary's count, "Quarantine this test" from a result, and the CI text.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

/** A project of its own with one run: two API failures, a UI error, a pass. */
async function seedQuarantine(ctx, name) {
  const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
  const project = await call('POST', 'project', { name: `quarantine-${name}`, title: `Quarantine ${name}` });
  const run = await call('POST', 'run', { source: 'nightly', metadata: { project: project.id, component: 'orders', env: 'qa' } });
  const add = (test, outcome, fspath) =>
    call('POST', 'result', {
      test_id: test,
      result: outcome,
      duration: 2.5,
      run_id: run.id,
      metadata: { project: project.id, run: run.id, fspath, ...(outcome === 'passed' ? {} : { short_tb: `E   AssertionError in ${test}` }) },
    });
  const created = {};
  created.create = await add('TestOrders.test_create', 'failed', 'tests/api/test_orders.py');
  created.cancel = await add('TestOrders.test_cancel', 'failed', 'tests/api/test_orders.py');
  created.login = await add('test_login[chrome]', 'error', 'tests/ui/test_login.py');
  created.list = await add('TestOrders.test_list', 'passed', 'tests/api/test_orders.py');
  // A PUT of the run queues its summary (POST /result does not, as upstream).
  await call('PUT', `run/${run.id}`, { metadata: { project: project.id, component: 'orders', env: 'qa' } });
  await eventually(async () => assert.equal((await call('GET', `run/${run.id}`)).summary?.failures, 2), 20000);
  return { project, run, results: created, call };
}

async function open(ctx, url) {
  const page = await newPage(ctx);
  await loginFast(page, ctx);
  await page.goto(url);
  return page;
}

export const tests = [
  {
    name: 'quarantine page: add with reason and expiry, edit, remove; CI usage',
    fn: async (ctx) => {
      const { project, call } = await seedQuarantine(ctx, 'page');
      const page = await open(ctx, `/project/${project.id}/quarantine`);
      await page.getByRole('heading', { name: 'Quarantined tests', exact: true }).waitFor();
      await page.getByText('No quarantined tests').waitFor();
      // The sidebar leads here.
      assert.equal(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Quarantine' }).count(), 1);

      await page.getByTestId('quarantine-add').click();
      await page.locator('#quarantine-pattern').fill('TestOrders.test_create');
      await page.locator('#quarantine-reason').fill('Times out on the shared cluster, QE-123');
      await page.locator('#quarantine-owner').fill('team-orders');
      const next = new Date(Date.now() + 20 * 86400_000);
      const ymd = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, '0')}-${String(next.getDate()).padStart(2, '0')}`;
      await page.locator('#quarantine-expires').fill(ymd);
      await screenshots(page, 'quarantine-add');
      await page.getByTestId('quarantine-save').click();
      const table = page.getByTestId('quarantine-table');
      await table.waitFor();
      await eventually(async () => assert.equal(await table.getByTestId('quarantine-row').count(), 1));
      assert.match(await table.textContent(), /team-orders/);
      assert.match(await table.textContent(), /in 1\d days|in 20 days/);

      // A glob (through the API) and a bad pattern refused in the form.
      await call('POST', `project/${project.id}/quarantine`, { pattern: 'test_login*', reason: 'Login page rewrite' });
      await page.reload();
      await eventually(async () => assert.equal(await table.getByTestId('quarantine-row').count(), 2));
      await table.getByText('glob').waitFor();
      await page.getByTestId('quarantine-ci').getByRole('button').first().click();
      await page.getByText('Globs are not expanded').waitFor();
      await screenshots(page, 'quarantine-list');

      // Edit the reason.
      await page.getByRole('button', { name: 'Edit TestOrders.test_create' }).click();
      await page.locator('#quarantine-reason').fill('Times out on the shared cluster, QE-124');
      await page.getByTestId('quarantine-save').click();
      await eventually(async () => assert.match(await table.textContent(), /QE-124/));

      // The CI text: node ids for --deselect, the glob as a comment.
      const res = await fetch(`${ctx.baseURL}/api/project/${project.id}/quarantine.txt`, { headers: { Authorization: `Bearer ${ctx.token}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/plain/);
      const txt = await res.text();
      assert.match(txt, /^tests\/api\/test_orders\.py::TestOrders::test_create$/m);
      assert.match(txt, /^# test_login\* — Login page rewrite/m);

      // Remove the glob.
      await page.getByRole('button', { name: 'Remove test_login*' }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /Delete quarantine entry/ })
        .click();
      await eventually(async () => assert.equal(await table.getByTestId('quarantine-row').count(), 1));
    },
  },
  {
    name: 'quarantined badges on run and result pages, the run count, Quarantine this test',
    fn: async (ctx) => {
      const { project, run, results, call } = await seedQuarantine(ctx, 'badges');
      await call('POST', `project/${project.id}/quarantine`, { pattern: 'TestOrders.test_create', reason: 'Times out on the shared cluster' });
      await call('POST', `project/${project.id}/quarantine`, { pattern: 'test_login*', reason: 'Login page rewrite' });
      const api = await call('GET', `run/${run.id}`);
      assert.equal(api.quarantined, 2);
      assert.equal(api.summary?.quarantined, undefined);

      const page = await open(ctx, `/project/${project.id}/runs/${run.id}`);
      await eventually(async () => assert.equal(await page.getByTestId('tile-quarantined-value').textContent(), '2'));
      await screenshots(page, 'run-summary-quarantined');
      await page.goto(`/project/${project.id}/runs/${run.id}#results`);
      await eventually(async () => assert.equal(await page.getByTestId('quarantined-badge').count(), 2));
      await screenshots(page, 'run-quarantined');

      await page.goto(`/project/${project.id}/results?filter=run_id=${run.id}`);
      await eventually(async () => assert.equal(await page.getByTestId('quarantined-badge').count(), 2));

      // Quarantine the other failing test from its result page.
      await page.goto(`/project/${project.id}/results/${results.cancel.id}`);
      await page.getByTestId('quarantine-this-test').click();
      assert.equal(await page.locator('#quarantine-pattern').inputValue(), 'TestOrders.test_cancel');
      await page.locator('#quarantine-reason').fill('Cancel API is being replaced');
      await page.getByTestId('quarantine-save').click();
      await page.getByTestId('quarantined-badge').waitFor();
      assert.equal(await page.getByTestId('quarantine-this-test').count(), 0);
      await screenshots(page, 'result-quarantined');
      await eventually(async () => assert.equal((await call('GET', `run/${run.id}`)).quarantined, 3));
      // A passing result of a quarantined test is no quarantined failure.
      assert.equal((await call('GET', `result/${results.list.id}`)).quarantined, false);
    },
  },
];

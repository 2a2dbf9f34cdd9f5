// The run page's Failure clusters tab: a run whose failures share a trace
// (with different ids in the message) shows them as one cluster, known
// from an earlier classified run, beside a new one; expanding lists the
// tests; "Classify cluster" classifies every result of the cluster.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

const timeout = () =>
  `E   ConnectionError: GET /api/orders failed: request ${randomUUID()} timed out after 30s\n\ntests/api/test_orders.py:42: ConnectionError`;

/** An earlier run with the timeout classified, and a later one with it three times and a new failure. */
async function seedClusters(ctx) {
  const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
  const project = ctx.data.project.id;
  const t0 = Date.parse('2026-11-28T08:00:00Z');
  const mkRun = (at, build) =>
    call('POST', 'run', { start_time: new Date(at).toISOString(), metadata: { project, jenkins: { job_name: 'clusters-job', build_number: String(build) } } });
  const add = (run, at, test, tb, extra = {}) =>
    call('POST', 'result', {
      test_id: test,
      result: 'failed',
      run_id: run.id,
      start_time: new Date(at).toISOString(),
      metadata: { project, short_tb: tb, ...extra },
    });
  const early = await mkRun(t0, 1);
  await add(early, t0, 'tests.api.test_orders_list', timeout(), { classification: 'environment_failure' });
  const late = await mkRun(t0 + 86400_000, 2);
  for (const [i, t] of ['test_orders_list', 'test_orders_create', 'test_orders_delete'].entries()) {
    await add(late, t0 + 86400_000 + i * 1000, `tests.api.${t}`, timeout());
  }
  await add(late, t0 + 86400_000 + 5000, 'tests.ui.test_cart_total', 'E   assert 41 == 42\n\ntests/ui/test_cart.py:17: AssertionError');
  return late;
}

export const tests = [
  {
    name: 'clusters with new/known badges, tests on expanding, classify a cluster',
    fn: async (ctx) => {
      const run = await seedClusters(ctx);
      const api = await apiCall(ctx.baseURL, ctx.token, 'GET', `run/${run.id}/clusters`);
      assert.equal(api.failures, 4);
      assert.deepEqual(
        api.clusters.map((c) => [c.count, c.status]),
        [
          [3, 'known'],
          [1, 'new'],
        ],
      );

      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${ctx.data.project.id}/runs/${run.id}#clusters`);
      const table = page.getByTestId('clusters-table');
      await table.getByTestId('cluster-row-1').waitFor();
      assert.equal(await page.getByTestId('clusters-summary').textContent(), '4 failures in 2 clusters, 1 new');
      const first = table.getByTestId('cluster-row-0');
      assert.match(await first.textContent(), /ConnectionError/);
      assert.match(await first.textContent(), /Environment Failure/);
      await first.getByTestId('cluster-known').waitFor();
      await table.getByTestId('cluster-row-1').getByTestId('cluster-new').waitFor();

      // Expand the known cluster: its three tests, linked to their results.
      await first
        .getByRole('button', { name: /details|expand|Show tests/i })
        .first()
        .click();
      const tests = table.getByTestId('cluster-tests-0');
      await tests.waitFor();
      assert.deepEqual((await tests.getByRole('link').allTextContents()).sort(), [
        'tests.api.test_orders_create',
        'tests.api.test_orders_delete',
        'tests.api.test_orders_list',
      ]);
      assert.match(await table.getByTestId('cluster-text-0').textContent(), /request <uuid> timed out after <n>s/);
      await screenshots(page, 'run-clusters');

      // Classify the whole cluster in one request.
      await table.getByTestId('classify-cluster-0').click();
      await page.getByRole('menuitem', { name: 'Product Failure' }).click();
      await page.getByTestId('clusters-notice').waitFor();
      assert.match(await page.getByTestId('clusters-notice').textContent(), /Classified 3 results of ConnectionError as Product Failure/);
      await eventually(async () => {
        const rs = await apiCall(ctx.baseURL, ctx.token, 'GET', `result?filter=project_id=${ctx.data.project.id}&filter=run_id=${run.id}&pageSize=10`);
        const got = rs.results.map((r) => [r.test_id, r.metadata.classification ?? null]).sort();
        assert.deepEqual(got, [
          ['tests.api.test_orders_create', 'product_failure'],
          ['tests.api.test_orders_delete', 'product_failure'],
          ['tests.api.test_orders_list', 'product_failure'],
          ['tests.ui.test_cart_total', null],
        ]);
      });
    },
  },
];

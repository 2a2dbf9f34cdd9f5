// Known-failure classification (docs/triage.md): a failure whose
// fingerprint earlier results of the project were classified with shows
// New/Known badges and the suggestion with an Accept button on the result
// page and in the Failure clusters tab; accepting records the change in the
// result's classification history; with the project's automatic rule on, a
// new failure arrives classified and the history says the rule did it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

const timeout = () => `E   TimeoutError: POST /api/payments timed out: request ${randomUUID()} after 60s\n\ntests/api/test_payments.py:88: TimeoutError`;

async function seed(ctx) {
  const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
  const project = ctx.data.project.id;
  const t0 = Date.parse('2026-11-20T08:00:00Z');
  const mkRun = (at, build) =>
    call('POST', 'run', { start_time: new Date(at).toISOString(), metadata: { project, jenkins: { job_name: 'classify-job', build_number: String(build) } } });
  const add = (run, at, test, tb, extra = {}) =>
    call('POST', 'result', {
      test_id: test,
      result: 'failed',
      run_id: run.id,
      start_time: new Date(at).toISOString(),
      metadata: { project, short_tb: tb, ...extra },
    });
  const early = await mkRun(t0, 1);
  await add(early, t0, 'tests.api.test_payments_refund', timeout(), { classification: 'dependency_outage' });
  await add(early, t0 + 1000, 'tests.api.test_payments_capture', timeout(), { classification: 'dependency_outage' });
  await add(early, t0 + 2000, 'tests.api.test_payments_list', timeout(), { classification: 'dependency_outage' });
  const late = await mkRun(t0 + 86400_000, 2);
  const a = await add(late, t0 + 86400_000, 'tests.api.test_payments_refund', timeout());
  const b = await add(late, t0 + 86400_000 + 1000, 'tests.api.test_payments_capture', timeout());
  const fresh = await add(
    late,
    t0 + 86400_000 + 2000,
    'tests.ui.test_checkout_button',
    'E   assert "Pay" == "Pay now"\n\ntests/ui/test_checkout.py:31: AssertionError',
  );
  await call('POST', 'result', {
    test_id: 'tests.api.test_payments_list',
    result: 'passed',
    run_id: late.id,
    start_time: new Date(t0 + 86400_000 + 3000).toISOString(),
    metadata: { project },
  });
  return { early, late, a, b, fresh };
}

export const tests = [
  {
    name: 'suggested classification, accept, history and badges',
    fn: async (ctx) => {
      const { early, late, a, b, fresh } = await seed(ctx);
      const project = ctx.data.project.id;
      const got = await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${a.id}`);
      assert.equal(got.failure_cluster.status, 'known');
      assert.deepEqual([got.suggested_classification.classification, got.suggested_classification.based_on], ['dependency_outage', 3]);
      assert.equal((await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${fresh.id}`)).failure_cluster.status, 'new');

      const page = await newPage(ctx);
      await loginFast(page, ctx);

      // The result page: Known badge, the suggestion, Accept.
      await page.goto(`/project/${project}/results/${a.id}`);
      await page.getByTestId('classification-suggestion').waitFor();
      await page.getByTestId('badge-known').first().waitFor();
      assert.match(await page.getByTestId('classification-suggestion').textContent(), /3 results with the same failure are classified Dependency Outage/);
      await page.getByTestId('classification-history').getByText('Never classified here').waitFor();
      await screenshots(page, 'result-suggestion');
      await page.getByTestId('accept-suggestion').click();
      await page.getByTestId('classification-suggestion').waitFor({ state: 'detached' });
      const history = page.getByTestId('classification-history');
      await history.getByText('Dependency Outage').waitFor();
      assert.match(await history.textContent(), /\(unset\)/);
      await screenshots(page, 'result-classification-history');
      const stored = await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${a.id}`);
      assert.equal(stored.metadata.classification, 'dependency_outage');
      const changes = (await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${a.id}/classification-history`)).changes;
      assert.deepEqual(
        changes.map((c) => [c.old, c.new, c.by]),
        [[null, 'dependency_outage', 'user']],
      );

      // The clusters tab: the cluster still has an unclassified result, so it
      // suggests the classification; Accept classifies the rest of it.
      await page.goto(`/project/${project}/runs/${late.id}#clusters`);
      const table = page.getByTestId('clusters-table');
      await table.getByTestId('accept-cluster-0').waitFor();
      await screenshots(page, 'clusters-accept');
      await table.getByTestId('accept-cluster-0').click();
      await page.getByTestId('clusters-notice').waitFor();
      assert.match(await page.getByTestId('clusters-notice').textContent(), /Classified 2 results of TimeoutError as Dependency Outage/);
      await table.getByTestId('accept-cluster-0').waitFor({ state: 'detached' });
      assert.equal((await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${b.id}`)).metadata.classification, 'dependency_outage');

      // Badges on the run's results table and on the results list.
      await page.goto(`/project/${project}/runs/${late.id}#results`);
      await page.getByTestId('badge-new').first().waitFor();
      await page.getByTestId('badge-known').first().waitFor();
      await screenshots(page, 'run-results-badges');
      await page.goto(`/project/${project}/results?filter=run_id%3D${late.id}`);
      await page.getByTestId('result-row').first().waitFor();
      await eventually(async () => {
        assert.equal(await page.getByTestId('badge-known').count(), 2);
        assert.equal(await page.getByTestId('badge-new').count(), 1);
      });
      await screenshots(page, 'results-badges');

      // Compare the two runs per cluster: the timeout is still failing and
      // flaky (test_payments_list passes now), the assertion is new.
      const cmp = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget/compare-runs-view?base_run=${early.id}&target_run=${late.id}&project=${project}`);
      assert.deepEqual(cmp.clusters.counts, { new: 1, fixed: 0, still_failing: 1, flaky: 1 });
      await page.goto(`/project/${project}/compare?base=${early.id}&target=${late.id}`);
      await page.getByTestId('compare-result').waitFor();
      await page.getByRole('tab', { name: /Failure clusters/ }).click();
      assert.equal(await page.getByTestId('compare-clusters-summary').textContent(), '1 new, 1 still failing (1 flaky), 0 fixed');
      await page.getByTestId('compare-cluster-still_failing').getByTestId('compare-cluster-flaky').waitFor();
      assert.match(await page.getByTestId('compare-cluster-new').textContent(), /AssertionError/);
      await screenshots(page, 'compare-clusters');
    },
  },
  {
    name: 'automatic classification rule: the new failure arrives classified, the history says the rule',
    fn: async (ctx) => {
      const call = (m, p, body) => apiCall(ctx.baseURL, ctx.token, m, p, body);
      const project = ctx.data.project.id;
      const before = await call('GET', `project/${project}/triage-settings`);
      assert.equal(before.auto_classify, false);
      const run0 = await call('POST', 'run', { metadata: { project } });
      const tb = () =>
        `E   PermissionError: [Errno 13] Permission denied: '/tmp/tmp${randomUUID().slice(0, 8)}/cache'\n\ntests/test_cache.py:9: PermissionError`;
      await call('POST', 'result', {
        test_id: 'tests.test_cache.test_write',
        result: 'failed',
        run_id: run0.id,
        metadata: { project, short_tb: tb(), classification: 'environment_failure' },
      });
      // Switch the rule on where the clusters are.
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${project}/runs/${run0.id}#clusters`);
      await page.getByTestId('clusters-summary').waitFor();
      await page.locator('label[for="auto-classify"]').click();
      await eventually(async () => assert.equal((await call('GET', `project/${project}/triage-settings`)).auto_classify, true));
      await screenshots(page, 'clusters-auto-classify-on');
      try {
        const run1 = await call('POST', 'run', { metadata: { project } });
        const r = await call('POST', 'result', {
          test_id: 'tests.test_cache.test_write',
          result: 'failed',
          run_id: run1.id,
          metadata: { project, short_tb: tb() },
        });
        assert.equal(r.metadata.classification, 'environment_failure');
        await page.goto(`/project/${project}/results/${r.id}`);
        const history = page.getByTestId('classification-history');
        await history.getByText('Automatic rule').waitFor();
        await screenshots(page, 'result-classified-by-rule');
      } finally {
        await call('PUT', `project/${project}/triage-settings`, { auto_classify: false });
      }
    },
  },
];

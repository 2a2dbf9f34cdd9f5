// Compare runs: two seeded runs of the same component chosen in the run
// pickers (search by build number, paste an id), and the same pair chosen
// by filter sets; the counts shown must equal the widget's for the same
// parameters.
import assert from 'node:assert/strict';
import { apiCall, loginFast, newPage, screenshots } from '../lib.mjs';

/** The seeded run of a component in a build (runs are build-major, components frontend/backend/api). */
function runOf(ctx, build, component) {
  const i = (build - 1) * 3 + ['frontend', 'backend', 'api'].indexOf(component);
  return ctx.data.runs[i];
}

async function shownCounts(page) {
  const out = {};
  for (const [k, id] of [
    ['new_failures', 'count-new-failures'],
    ['fixed', 'count-fixed'],
    ['still_failing', 'count-still-failing'],
    ['duration_changes', 'count-duration-changes'],
  ]) {
    out[k] = Number(await page.getByTestId(id).innerText());
  }
  return out;
}

export const tests = [
  {
    name: 'compare two runs picked in the UI; counts match the API',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const base = runOf(ctx, 1, 'frontend');
      const target = runOf(ctx, 2, 'frontend');
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/compare`);
      await page.getByRole('heading', { name: 'Compare runs', level: 1 }).waitFor();
      await screenshots(page, 'compare-empty');

      // Base: search by build number and pick the frontend run of build 1.
      const baseBox = page.getByRole('combobox', { name: 'Base run' });
      await baseBox.click();
      await baseBox.fill('1');
      await page.getByRole('option', { name: /frontend · staging · e2e-job #1 ·/ }).click();
      // Target: paste the id.
      const targetBox = page.getByRole('combobox', { name: 'Target run' });
      await targetBox.click();
      await targetBox.fill(target.id);
      await page.getByRole('option', { name: /frontend · prod · e2e-job #2/ }).click();
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get('base') === base.id && u.searchParams.get('target') === target.id);
      await page.getByTestId('compare-result').waitFor();

      const api = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget/compare-runs-view?base_run=${base.id}&target_run=${target.id}&project=${pid}`);
      const shown = await shownCounts(page);
      assert.deepEqual(shown, {
        new_failures: api.counts.new_failures,
        fixed: api.counts.fixed,
        still_failing: api.counts.still_failing,
        duration_changes: api.counts.duration_changes,
      });
      assert.ok(api.counts.new_failures > 0 && api.counts.fixed > 0, 'the seeded pair has new failures and fixes');
      // The new-failures table lists the API's tests, linked to their results.
      const rows = page.getByRole('grid', { name: 'Tests' }).locator('tbody tr');
      assert.equal(await rows.count(), api.new_failures.length);
      const first = api.new_failures[0];
      assert.equal(await page.getByRole('link', { name: first.test_id }).getAttribute('href'), `/project/${pid}/results/${first.target_result_id}`);
      await screenshots(page, 'compare-new-failures');

      await page.getByRole('tab', { name: /Fixed/ }).click();
      assert.equal(await page.getByRole('grid', { name: 'Tests' }).locator('tbody tr').count(), api.fixed.length);
      await page.getByRole('tab', { name: /Duration changes/ }).click();
      await screenshots(page, 'compare-durations');
    },
  },
  {
    name: 'compare two filter sets; counts match the API',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const bf = 'component=backend,metadata.jenkins.build_number=3';
      const tf = 'component=backend,metadata.jenkins.build_number=4';
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/compare`);
      await page.getByRole('button', { name: 'Two filter sets' }).click();
      await page.locator('#compare-base-filter').fill(bf);
      await page.locator('#compare-target-filter').fill(tf);
      await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await page.getByTestId('compare-result').waitFor();
      const q = new URLSearchParams([
        ['additional_filters', bf],
        ['additional_filters', tf],
        ['project', pid],
      ]);
      const api = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget/compare-runs-view?${q}`);
      assert.equal(api.base_run.id, runOf(ctx, 3, 'backend').id);
      assert.equal(api.target_run.id, runOf(ctx, 4, 'backend').id);
      const shown = await shownCounts(page);
      assert.equal(shown.new_failures, api.counts.new_failures);
      assert.equal(shown.fixed, api.counts.fixed);
      assert.equal(shown.still_failing, api.counts.still_failing);
      await screenshots(page, 'compare-filters');
    },
  },
];

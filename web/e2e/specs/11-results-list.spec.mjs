// The result list: result=failed through the builder shows only failed
// rows with the API's count, sorting, and a link that reproduces the view.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

const rows = (page) => page.getByTestId('result-row');

async function openResults(ctx, query = '') {
  const page = await newPage(ctx);
  await loginFast(page, ctx);
  await page.goto(`/project/${ctx.data.project.id}/results${query}`);
  await page.getByTestId('results-table').waitFor();
  return page;
}

export const tests = [
  {
    name: 'filter the results by result=failed',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const page = await openResults(ctx);
      await eventually(async () => assert.equal(await rows(page).count(), 25));
      assert.equal(await page.getByTestId('pagination-range-top').first().innerText(), '1 - 25 of 180');
      await screenshots(page, 'results-list');

      const field = page.getByRole('combobox', { name: 'Filter field' });
      await field.fill('Result');
      await page
        .getByRole('option', { name: /^Result/ })
        .first()
        .click();
      assert.equal(await field.inputValue(), 'result');
      const value = page.getByRole('combobox', { name: 'Filter value' });
      await value.click();
      await page.getByRole('option', { name: 'failed', exact: true }).click();
      await page.getByRole('button', { name: 'Apply filter' }).click();
      await page.waitForURL((u) => u.searchParams.getAll('filter').includes('result=failed'));

      const api = await apiCall(ctx.baseURL, ctx.token, 'GET', `result?filter=project_id=${pid}&filter=result=failed&estimate=true&pageSize=25`);
      assert.ok(api.pagination.totalItems > 0);
      const n = api.pagination.totalItems;
      await eventually(async () => {
        assert.equal(await page.getByTestId('pagination-range-top').first().innerText(), `1 - ${Math.min(25, n)} of ${n}`);
        assert.equal(await rows(page).count(), Math.min(25, n));
        const statuses = await page.getByTestId('result-status').evaluateAll((els) => els.map((e) => e.dataset.status));
        assert.deepEqual([...new Set(statuses)], ['failed']);
      });
      await screenshots(page, 'results-list-failed');
    },
  },
  {
    name: 'sort the results and reproduce the view from its link',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const page = await openResults(ctx, '?filter=result%2Afailed%3Berror');
      await page.getByTestId('active-filters').getByText('is one of failed, error').waitFor();
      await page.getByRole('columnheader', { name: 'Duration' }).getByRole('button').click();
      await page.waitForURL((u) => u.searchParams.get('sort') === '-duration');
      const api = await apiCall(
        ctx.baseURL,
        ctx.token,
        'GET',
        `result?filter=project_id=${pid}&filter=${encodeURIComponent('result*failed;error')}&sort=-duration&pageSize=25`,
      );
      const want = api.results.map((r) => r.duration);
      await eventually(async () => {
        const got = await page.getByTestId('result-duration').evaluateAll((els) => els.map((e) => Number(e.dataset.seconds)));
        assert.deepEqual(got, want);
      });
      assert.deepEqual(
        want,
        [...want].sort((a, b) => b - a),
      );
      await screenshots(page, 'results-list-sorted');

      const link = new URL(page.url());
      const again = await openResults(ctx, link.search);
      await eventually(async () => {
        const got = await again.getByTestId('result-duration').evaluateAll((els) => els.map((e) => Number(e.dataset.seconds)));
        assert.deepEqual(got, want);
      });
      // A bad value is explained, not sent.
      await again.getByRole('combobox', { name: 'Filter field' }).fill('env');
      await again.getByRole('combobox', { name: 'Filter value' }).fill('a,b');
      await again.getByRole('button', { name: 'Apply filter' }).click();
      await again.getByTestId('filter-error').waitFor();
    },
  },
];

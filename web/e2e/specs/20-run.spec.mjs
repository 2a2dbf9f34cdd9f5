// The run page: summary tiles equal to the API's run summary and linking to
// the filtered results list, metadata with the Jenkins build, the results
// list, the tree by file path (keyboard), the artifacts and JSON tabs, the
// page without a project prefix and a missing run.
import assert from 'node:assert/strict';
import { a11y, apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

/** The newest seeded run that has failures (its summary is recomputed by then). */
async function runWithFailures(ctx) {
  for (const run of [...ctx.data.runs].reverse()) {
    const r = await apiCall(ctx.baseURL, ctx.token, 'GET', `run/${run.id}`);
    if ((r.summary?.failures ?? 0) > 0 && r.summary?.passes !== undefined) return r;
  }
  throw new Error('no seeded run with failures and a computed summary');
}

export const tests = [
  {
    name: 'summary tiles, metadata and links to the results list',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      const run = await eventually(() => runWithFailures(ctx), 20000);
      const pid = ctx.data.project.id;
      await page.goto(`/project/${pid}/runs/${run.id}`);
      await page.getByTestId('tile-failed').waitFor();
      const s = run.summary;
      const tile = async (k) => (await page.getByTestId(`tile-${k}-value`).textContent()).trim();
      for (const [k, v] of [
        ['passed', s.passes],
        ['failed', s.failures],
        ['error', s.errors],
        ['skipped', s.skips],
        ['xfailed', s.xfailures],
        ['xpassed', s.xpasses],
        ['total', s.tests],
      ]) {
        assert.equal(await tile(k), String(v ?? 0), `tile ${k}`);
      }
      const jenkins = run.metadata.jenkins;
      await page.getByRole('heading', { level: 1, name: `${jenkins.job_name} #${jenkins.build_number}` }).waitFor();
      const build = page.getByRole('link', { name: new RegExp(`^${jenkins.build_number}`) });
      assert.equal(await build.getAttribute('href'), jenkins.build_url);
      await screenshots(page, 'run-page');

      // The failed tile opens the results list filtered by run and outcome (keyboard).
      await page.getByTestId('tile-failed').getByRole('link').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === `/project/${pid}/results`);
      const url = new URL(page.url());
      assert.deepEqual(url.searchParams.getAll('filter'), [`run_id=${run.id}`, 'result=failed']);
      assert.match(url.search, new RegExp(`filter=run_id%3D${run.id}&filter=result%3Dfailed`));
    },
  },
  {
    name: 'results list, results tree, artifacts and JSON tabs',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      const run = await eventually(() => runWithFailures(ctx), 20000);
      const pid = ctx.data.project.id;
      await page.goto(`/project/${pid}/runs/${run.id}#results`);
      const table = page.locator('table[aria-label="Results of this run"]');
      await table.locator('tbody tr a').first().waitFor();
      assert.equal(await table.locator('tbody tr').count(), 10);
      await page.getByRole('button', { name: 'Failures' }).click();
      await eventually(async () => {
        const n = await table.locator('tbody tr').count();
        assert.equal(n, (run.summary.failures ?? 0) + (run.summary.errors ?? 0));
      });
      await screenshots(page, 'run-results');

      // The tree by file path: tests/<component>/test_*.py, failing folders open.
      await page.getByRole('tab', { name: 'Results tree' }).click();
      await page.waitForURL(/#tree$/);
      const tree = page.getByTestId('results-tree');
      await tree.getByTestId('tree-row-tests').waitFor();
      const comp = run.component;
      await tree.getByTestId(`tree-row-${comp}`).waitFor();
      // Keyboard: collapse and expand the top folder with its toggle.
      const toggle = tree.getByRole('button', { name: 'Collapse tests' });
      await toggle.focus();
      await page.keyboard.press('Enter');
      await tree.getByTestId(`tree-row-${comp}`).waitFor({ state: 'detached' });
      await tree.getByRole('button', { name: 'Expand tests' }).press('Enter');
      await page.getByRole('button', { name: 'Expand all' }).click();
      await eventually(async () => assert.equal(await tree.locator('tbody tr').count(), 1 + 1 + 10 + 10, 'tests/, the component, 10 files, 10 results'));
      const counts = await tree.getByTestId('tree-row-tests').textContent();
      assert.match(counts, new RegExp(`${run.summary.failures} failed`));
      await screenshots(page, 'run-tree');

      await page.getByRole('tab', { name: 'Artifacts' }).click();
      await page.getByText('No artifacts').waitFor();
      await a11y(page, 'run-artifacts-empty');
      await page.getByRole('tab', { name: 'JSON' }).click();
      await page.getByText(`"id": "${run.id}"`).waitFor();
      await screenshots(page, 'run-json');
    },
  },
  {
    name: 'run page without a project prefix, and a missing run',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      const run = ctx.data.runs[0];
      await page.goto(`/runs/${run.id}`);
      await page.getByTestId('tile-total').waitFor();
      await page.goto(`/project/${ctx.data.project.id}/runs/00000000-0000-4000-8000-000000000000`);
      await page.getByRole('heading', { name: 'Run not found' }).waitFor();
      page.allowProblem(/404/);
    },
  },
];

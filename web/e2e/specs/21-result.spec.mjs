// The result page: summary with traceback, parameters and markers; the
// classification dropdown saving through PUT; the test's history strip and
// duration chart; artifacts (log search with line numbers, inline image,
// download); the raw JSON.
import assert from 'node:assert/strict';
import { a11y, apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

export const tests = [
  {
    name: 'summary, classification and history',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      const r = ctx.data.failedResult;
      const pid = ctx.data.project.id;
      await page.goto(`/project/${pid}/results/${r.id}`);
      await page.getByRole('heading', { level: 1, name: r.test_id }).waitFor();
      await page.getByTestId('traceback').getByText('AssertionError: expected 200, got 500').first().waitFor();
      await page.locator('table[aria-label="Parameters"]').getByText(r.params.browser).waitFor();
      await page.getByText('tier1').waitFor();
      await screenshots(page, 'result-page');

      const puts = [];
      page.on('request', (q) => q.method() === 'PUT' && puts.push(q.url()));
      await page.getByRole('button', { name: /^Classification of/ }).click();
      await page.getByRole('menuitem', { name: 'Environment Failure' }).click();
      await eventually(async () => {
        const got = await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${r.id}`);
        assert.equal(got.metadata.classification, 'environment_failure');
      });
      assert.equal(puts.length, 1);
      await eventually(async () => assert.equal(await page.getByRole('button', { name: /^Classification of/ }).textContent(), 'Environment Failure'));

      await page.getByRole('tab', { name: 'Test history' }).click();
      const strip = page.getByTestId('history-strip');
      await strip.waitFor();
      // Six builds of this test in this component and environment? The seed has 6 builds per component, 3 per env.
      const all = await apiCall(
        ctx.baseURL,
        ctx.token,
        'GET',
        `result?filter=test_id=${r.test_id}&filter=project_id=${pid}&filter=component=${r.component}&filter=env=${r.env}&pageSize=50`,
      );
      await eventually(async () => assert.equal(await strip.getByRole('link').count(), all.results.length));
      await strip.locator('[aria-current="page"]').waitFor();
      await page.getByTestId('duration-chart').locator('svg').first().waitFor();
      // Builds are named on the strip, and the failure streak's first build is marked.
      assert.match(await strip.getByRole('link').first().getAttribute('aria-label'), /^e2e-job #\d+ · /);
      assert.match(await page.getByTestId('first-failure').innerText(), /^(First failed in|Failing in every result shown, since at least) e2e-job #\d+/);
      assert.equal(await strip.locator('[data-first-failure="true"]').count(), 1);
      await page.getByText(/^Same environment/).click();
      await eventually(async () => assert.ok((await strip.getByRole('link').count()) > all.results.length, 'more results across environments'));
      await screenshots(page, 'result-history');
      // Each square links to its result.
      const first = strip.getByRole('link').first();
      const href = await first.getAttribute('href');
      assert.match(href, new RegExp(`^/project/${pid}/results/[0-9a-f-]{36}$`));
    },
  },
  {
    name: 'artifacts: log search, image, download; JSON',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      const r = ctx.data.failedResult;
      await page.goto(`/project/${ctx.data.project.id}/results/${r.id}#artifacts`);
      const log = page.getByTestId('log-viewer');
      await log.waitFor();
      await log.locator('[data-line="1"]').getByText('INFO step 0: ok').waitFor();
      const search = page.getByRole('textbox', { name: 'Search test.log' });
      await search.fill('error connection');
      const current = log.locator('mark.ibutsu-log__match--current');
      await current.waitFor();
      assert.equal(await current.textContent(), 'ERROR connection refused'.slice(0, 'error connection'.length));
      const line = current.locator('xpath=ancestor::div[@data-line]');
      assert.equal(await line.getAttribute('data-line'), '151');
      await page.getByText(/^1 \/ 1(?!\d)/).waitFor();
      // Case-sensitive: no match.
      await page.getByRole('checkbox', { name: 'Match case' }).check();
      await page.getByText('No matches').waitFor({ state: 'attached' });
      await page.getByRole('checkbox', { name: 'Match case' }).uncheck();
      // "step 15" is on line 16 and "step 150".."step 159" on lines 151-160: 11 matches.
      await search.fill('step 15');
      await page.getByText(/^1 \/ 11(?!\d)/).waitFor();
      await search.press('Enter');
      await page.getByText(/^2 \/ 11(?!\d)/).waitFor();
      assert.equal(await current.locator('xpath=ancestor::div[@data-line]').getAttribute('data-line'), '151');
      await page.getByRole('button', { name: 'Previous match' }).click();
      await page.getByText(/^1 \/ 11(?!\d)/).waitFor();
      await search.fill('ERROR connection refused');
      await current.waitFor();
      await screenshots(page, 'result-artifact-log');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download test.log' }).click();
      assert.equal((await download).suggestedFilename(), 'test.log');

      await page.getByRole('tab', { name: 'Artifact screenshot.png' }).click();
      const img = page.getByTestId('artifact-image');
      await img.waitFor();
      await eventually(async () => assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0)));
      await screenshots(page, 'result-artifact-image');

      await page.getByRole('tab', { name: 'JSON' }).click();
      await page.getByText(`"id": "${r.id}"`).waitFor();
      await a11y(page, 'result-json');
    },
  },
  {
    name: 'a missing result',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/results/00000000-0000-4000-8000-000000000000`);
      await page.getByRole('heading', { name: 'Result not found' }).waitFor();
      page.allowProblem(/404/);
    },
  },
];

// Issue 20 points 7–10 in the browser, on a project of its own whose runs
// have no Jenkins metadata: a refused filter says why, relative start
// times, the free-text test id search, "select all N matching" in the
// classify tab, "compare with previous build", and run names (not UUIDs) in
// the runs list, breadcrumbs and headers, with no table overflow at 1440 px.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

const FAILURES = 30;
const DAY = 86400_000;

/** The triage project, created once: two runs of one series (no Jenkins), a recent one with 30 failures. */
async function triageData(ctx) {
  if (ctx.triage) return ctx.triage;
  const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
  const project = await call('POST', 'project', { name: 'triage-project', title: 'Triage Project' });
  const mkRun = (daysAgo) =>
    call('POST', 'run', {
      start_time: new Date(Date.now() - daysAgo * DAY).toISOString(),
      source: 'nightly-ci',
      metadata: { project: project.id, component: 'checkout', env: 'qa' },
    });
  const older = await mkRun(10);
  const newer = await mkRun(2);
  const result = (run, daysAgo, name, outcome) =>
    call('POST', 'result', {
      test_id: `tests.checkout.${name}`,
      result: outcome,
      duration: 1.5,
      start_time: new Date(Date.now() - daysAgo * DAY).toISOString(),
      run_id: run.id,
      metadata: {
        project: project.id,
        run: run.id,
        component: 'checkout',
        env: 'qa',
        ...(outcome === 'failed' ? { short_tb: `AssertionError in ${name}` } : {}),
      },
    });
  for (const name of ['test_alpha_login', 'test_beta_cart', 'test_gamma_pay']) await result(older, 10, name, 'passed');
  for (let i = 0; i < FAILURES; i++) await result(newer, 2, `test_case_${String(i).padStart(2, '0')}`, 'failed');
  await result(newer, 2, 'test_alpha_login', 'passed');
  // The summaries are recomputed in the background.
  await eventually(async () => {
    const r = await call('GET', `run/${newer.id}`);
    assert.equal(r.summary?.failures, FAILURES);
  }, 20000);
  ctx.triage = { project, older, newer };
  return ctx.triage;
}

async function open(ctx, url) {
  const page = await newPage(ctx);
  await loginFast(page, ctx);
  await page.goto(url);
  return page;
}

export const tests = [
  {
    name: 'a refused filter says what is wrong, in the builder and from the server',
    fn: async (ctx) => {
      const { project } = await triageData(ctx);
      // Typed in the URL, the server refuses it: its 400 message is shown.
      const page = await open(ctx, `/project/${project.id}/results?filter=${encodeURIComponent('duration>abc')}`);
      await page.getByText('These filters cannot be applied').waitFor();
      assert.match(await page.getByTestId('error-message').innerText(), /duration takes a number, not "abc"/);
      await screenshots(page, 'triage-filter-refused');
      // Typed in the builder, the UI refuses it before sending.
      await page.goto(`/project/${project.id}/results`);
      const field = page.getByRole('combobox', { name: 'Filter field' });
      await field.fill('duration');
      await page
        .getByRole('option', { name: /^Duration/ })
        .first()
        .click();
      await page.getByRole('combobox', { name: 'Filter value' }).fill('abc');
      await page.getByRole('button', { name: 'Apply filter' }).click();
      assert.match(await page.getByTestId('filter-error').innerText(), /takes a number/);
      assert.ok(!new URL(page.url()).searchParams.getAll('filter').length, 'the invalid filter reached the URL');
      // An invalid regular expression too.
      await field.fill('test_id');
      await page
        .getByRole('option', { name: /^Test ID/ })
        .first()
        .click();
      await page.getByRole('button', { name: /^Filter operator/ }).click();
      await page.getByRole('option', { name: /matches regex/ }).click();
      await page.getByRole('combobox', { name: 'Filter value' }).fill('(unclosed');
      await page.getByRole('button', { name: 'Apply filter' }).click();
      assert.match(await page.getByTestId('filter-error').innerText(), /not a valid regular expression/);
      await screenshots(page, 'triage-filter-invalid');
      // The browser logs the refused request; that 400 is what this test is about.
      page.allowProblem(/status of 400/);
    },
  },
  {
    name: 'relative start times: the last 7 days',
    fn: async (ctx) => {
      const { project } = await triageData(ctx);
      const page = await open(ctx, `/project/${project.id}/results`);
      const sent = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname === '/api/result') sent.push(u.searchParams.getAll('filter'));
      });
      await page.getByTestId('results-table').waitFor();
      const field = page.getByRole('combobox', { name: 'Filter field' });
      await field.fill('start');
      await page
        .getByRole('option', { name: /^Start time/ })
        .first()
        .click();
      await page.getByRole('combobox', { name: 'Time range' }).selectOption('-7d');
      await page.getByRole('button', { name: 'Apply filter' }).click();
      await page.waitForURL((u) => u.searchParams.getAll('filter').includes('start_time)-7d'));
      await page.getByTestId('active-filters').getByText('in the last 7 days').waitFor();
      // Only the recent run's 31 results; the API got an absolute time.
      await eventually(async () => assert.equal(await page.getByTestId('pagination-range-top').first().innerText(), `1 - 25 of ${FAILURES + 1}`));
      const abs = sent.flat().find((f) => f.startsWith('start_time)'));
      assert.match(abs, /^start_time\)\d{4}-\d\d-\d\dT\d\d:\d\d:00$/);
      assert.ok(Math.abs(Date.parse(abs.slice(11) + 'Z') - (Date.now() - 7 * DAY)) < 5 * 60_000, abs);
      // The results table fits 1440 px too.
      assert.equal(await page.getByTestId('results-table').evaluate((t) => t.parentElement.scrollWidth - t.parentElement.clientWidth), 0);
      await screenshots(page, 'triage-relative-date');
    },
  },
  {
    name: 'free-text search on test ids and run sources',
    fn: async (ctx) => {
      const { project } = await triageData(ctx);
      const page = await open(ctx, `/project/${project.id}/results`);
      const box = page.getByRole('textbox', { name: 'Search test IDs' });
      await box.fill('ALPHA');
      await box.press('Enter');
      await page.waitForURL((u) => u.searchParams.getAll('filter').includes('test_id%ALPHA'));
      await eventually(async () => {
        const ids = await page.getByTestId('result-row').locator('td[data-label="Test"]').allInnerTexts();
        assert.deepEqual(ids, ['tests.checkout.test_alpha_login', 'tests.checkout.test_alpha_login']);
      });
      // The Run column names the run, not a UUID prefix (names load after the rows).
      await eventually(async () => {
        const runs = await page.getByTestId('result-run').allInnerTexts();
        assert.ok(
          runs.every((t) => /^nightly-ci · \S/.test(t)),
          runs.join(' | '),
        );
      });
      await screenshots(page, 'triage-search');
      // The runs list searches the runs' sources.
      await page.goto(`/project/${project.id}/runs`);
      const runBox = page.getByRole('textbox', { name: 'Search run sources' });
      await runBox.fill('NIGHTLY');
      await runBox.press('Enter');
      await page.waitForURL((u) => u.searchParams.getAll('filter').includes('source%NIGHTLY'));
      await eventually(async () => assert.equal(await page.getByTestId('run-row').count(), 2));
      await runBox.fill('weekly');
      await runBox.press('Enter');
      await page.getByText('No runs found').waitFor();
    },
  },
  {
    name: 'select all N matching classifies every failure of the run',
    fn: async (ctx) => {
      const { project, newer } = await triageData(ctx);
      const page = await open(ctx, `/project/${project.id}/runs/${newer.id}#classify`);
      await page.getByTestId('failure-row-tests.checkout.test_case_00').waitFor();
      assert.equal(await page.locator('[data-testid^="failure-row-"]').count(), 25);
      await page.getByRole('button', { name: 'Bulk selection' }).click();
      await page.getByText(`Select all ${FAILURES} matching`).click();
      await page.getByTestId('all-matching-note').waitFor();
      await screenshots(page, 'triage-select-all');
      await page.getByTestId('classify-selected').click();
      await page.getByRole('menuitem', { name: 'Product Failure' }).click();
      await eventually(async () =>
        assert.match(await page.getByTestId('classify-notice').innerText(), new RegExp(`Classified ${FAILURES} results as Product Failure`)),
      );
      const api = await apiCall(
        ctx.baseURL,
        ctx.token,
        'GET',
        `result?filter=run_id=${newer.id}&filter=project_id=${project.id}&filter=result=failed&pageSize=100`,
      );
      assert.equal(api.results.length, FAILURES);
      assert.ok(api.results.every((r) => r.metadata.classification === 'product_failure'));
    },
  },
  {
    name: 'compare with the previous build of the same series',
    fn: async (ctx) => {
      const { project, older, newer } = await triageData(ctx);
      const page = await open(ctx, `/project/${project.id}/runs/${newer.id}`);
      const button = page.getByTestId('compare-previous');
      await button.waitFor();
      await screenshots(page, 'triage-run-header');
      await button.click();
      await page.waitForURL((u) => u.pathname.endsWith('/compare') && u.searchParams.get('base') === older.id && u.searchParams.get('target') === newer.id);
      await page.getByTestId('compare-result').waitFor();
      await eventually(async () => assert.equal(await page.getByTestId('count-new-failures').innerText(), String(FAILURES)));
      await screenshots(page, 'triage-compare-previous');
      // The first build of the series has nothing to compare with.
      await page.goto(`/project/${project.id}/runs/${older.id}`);
      await page.getByTestId('compare-previous').waitFor();
      assert.equal(await page.getByTestId('compare-previous').getAttribute('aria-disabled'), 'true');
    },
  },
  {
    name: 'runs are named, not numbered, at 1440 px: list, header, breadcrumbs',
    fn: async (ctx) => {
      const { project, newer } = await triageData(ctx);
      const page = await open(ctx, `/project/${project.id}/runs`);
      await eventually(async () => assert.equal(await page.getByTestId('run-row').count(), 2));
      const names = await page.getByTestId('run-name').allInnerTexts();
      assert.deepEqual(names, ['nightly-ci', 'nightly-ci']);
      const failures = await page.getByTestId('run-failures').evaluateAll((els) => els.map((e) => [e.dataset.failed, e.innerText]));
      assert.deepEqual(failures[0], [String(FAILURES), `${FAILURES} failed`]);
      assert.deepEqual(failures[1], ['0', 'no failures']);
      // No horizontal overflow at 1440 px, here and on the seeded Jenkins project.
      const overflow = () => page.getByTestId('runs-table').evaluate((t) => t.parentElement.scrollWidth - t.parentElement.clientWidth);
      assert.equal(await overflow(), 0);
      await screenshots(page, 'triage-runs-list');
      await page.goto(`/project/${ctx.data.project.id}/runs`);
      await eventually(async () => assert.equal(await page.getByTestId('run-row').count(), 18));
      assert.equal(await overflow(), 0);
      assert.match((await page.getByTestId('run-name').first().innerText()).trim(), /^e2e-job #6$/);
      await screenshots(page, 'triage-runs-list-jenkins');

      // The run page's header and breadcrumb, and a result's breadcrumb, name the run.
      await page.goto(`/project/${project.id}/runs/${newer.id}`);
      const title = await page.getByRole('heading', { level: 1 }).innerText();
      assert.match(title, /^nightly-ci · checkout · qa · /);
      assert.equal(await page.locator('.pf-v6-c-breadcrumb__item').last().innerText(), title);
      const res = await apiCall(ctx.baseURL, ctx.token, 'GET', `result?filter=run_id=${newer.id}&filter=project_id=${project.id}&pageSize=1`);
      await page.goto(`/project/${project.id}/results/${res.results[0].id}`);
      const crumb = page.locator('.pf-v6-c-breadcrumb').getByRole('link', { name: title });
      await crumb.waitFor();
      assert.equal(
        await page
          .locator('.pf-v6-c-breadcrumb')
          .getByText(/^Run [0-9a-f]{8}$/)
          .count(),
        0,
      );
      await screenshots(page, 'triage-result-breadcrumb');
    },
  },
];

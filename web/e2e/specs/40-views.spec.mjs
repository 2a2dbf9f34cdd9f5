// Views: a jenkins-job-view created through the API lists the six seeded
// builds (filterable, linked), and the other view types render — Jenkins
// analysis, compare-runs, and the accessibility views with their empty states.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

async function createView(ctx, widget, title, params = {}) {
  return apiCall(ctx.baseURL, ctx.token, 'POST', 'widget-config', { type: 'view', widget, title, params, project: ctx.data.project.id });
}

export const tests = [
  {
    name: 'jenkins-job-view lists the six builds',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const view = await createView(ctx, 'jenkins-job-view', 'E2E Jenkins builds', { additional_filters: 'job_name=e2e-job' });
      ctx.data.jobView = view;
      // Run summaries are recomputed a few seconds after the seeding wrote results.
      await eventually(async () => {
        const d = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget/jenkins-job-view?project=${pid}&additional_filters=job_name=e2e-job`);
        assert.equal(d.jobs.length, 6);
        assert.ok(
          d.jobs.every((j) => j.summary.tests === 30),
          'every build has its 30 results counted',
        );
      }, 20000);
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/view/${view.id}`);
      await page.getByRole('heading', { name: 'E2E Jenkins builds', level: 1 }).waitFor();
      const rows = page.getByTestId('jenkins-builds').locator('tbody tr');
      await eventually(async () => assert.equal(await rows.count(), 6));
      const builds = await rows.locator('td[data-label="Build"]').allInnerTexts();
      assert.deepEqual(builds, ['#6', '#5', '#4', '#3', '#2', '#1']);
      // The sidebar lists the view (navigable by default).
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'E2E Jenkins builds' }).waitFor();
      // Each build links to its runs.
      const href = await rows.first().getByRole('link', { name: 'Runs of build 6' }).getAttribute('href');
      assert.match(href, new RegExp(`^/project/${pid}/runs\\?filter=metadata.jenkins.job_name%3De2e-job&filter=metadata.jenkins.build_number%3D6$`));
      await screenshots(page, 'view-jenkins-job');

      // Filter by build number.
      const build = page.getByRole('textbox', { name: 'Filter by build' });
      await build.fill('3');
      await build.press('Enter');
      await eventually(async () => assert.deepEqual(await rows.locator('td[data-label="Build"]').allInnerTexts(), ['#3']));
      await page.waitForURL((u) => u.searchParams.get('build') === '3');
      // A job filter that matches nothing shows the empty state.
      const job = page.getByRole('textbox', { name: 'Filter by job name' });
      await job.fill('no-such-job');
      await job.press('Enter');
      await page.getByText('No builds found').waitFor();
      await screenshots(page, 'view-jenkins-job-empty');
    },
  },
  {
    name: 'jenkins-analysis-view shows heatmap, health and durations',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const view = await createView(ctx, 'jenkins-analysis-view', 'E2E Job analysis', { job_name: 'e2e-job', builds: 10 });
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/view/${view.id}`);
      await page.getByRole('heading', { name: 'E2E Job analysis', level: 1 }).waitFor();
      await page.getByRole('tab', { name: /Heatmap/ }).waitFor();
      await page.getByTestId('analysis-heatmap').waitFor();
      await screenshots(page, 'view-jenkins-analysis-heatmap');
      await page.getByRole('tab', { name: /Overall health/ }).click();
      await page.getByTestId('analysis-health').waitFor();
      await page.waitForTimeout(400);
      await screenshots(page, 'view-jenkins-analysis-health');
      await page.getByRole('tab', { name: /Build durations/ }).click();
      await page.getByTestId('analysis-durations').waitFor();
      await page.waitForTimeout(400);
      await screenshots(page, 'view-jenkins-analysis-durations');
    },
  },
  {
    name: 'compare-runs-view preconfigured with two filter sets',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const view = await createView(ctx, 'compare-runs-view', 'E2E Compare API builds', {
        additional_filters: ['component=api,metadata.jenkins.build_number=5', 'component=api,metadata.jenkins.build_number=6'],
      });
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/view/${view.id}`);
      await page.getByTestId('compare-result').waitFor();
      const q = new URLSearchParams([
        ['additional_filters', 'component=api,metadata.jenkins.build_number=5'],
        ['additional_filters', 'component=api,metadata.jenkins.build_number=6'],
        ['project', pid],
      ]);
      const api = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget/compare-runs-view?${q}`);
      assert.equal(Number(await page.getByTestId('count-new-failures').innerText()), api.counts.new_failures);
      await screenshots(page, 'view-compare-runs');
    },
  },
  {
    name: 'accessibility views render their empty states',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const dash = await createView(ctx, 'accessibility-dashboard-view', 'E2E Accessibility');
      const analysis = await createView(ctx, 'accessibility-analysis-view', 'E2E Accessibility analysis', { run_list: [ctx.data.runs[0].id] });
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/view/${dash.id}`);
      await page.getByText('No accessibility data').waitFor();
      await screenshots(page, 'view-accessibility-dashboard');
      await page.goto(`/project/${pid}/view/${analysis.id}`);
      await page.getByText('No accessibility results').waitFor();
      await screenshots(page, 'view-accessibility-analysis-empty');
      // With an axe summary uploaded to a run, the donut shows its counts.
      const run = ctx.data.runs[1];
      const fd = new FormData();
      fd.append('runId', run.id);
      fd.append('filename', 'axe_run_data.yaml');
      fd.append('file', new Blob(['passes: 42\nviolations: 6\n'], { type: 'text/yaml' }), 'axe_run_data.yaml');
      await apiCall(ctx.baseURL, ctx.token, 'POST', 'artifact', fd);
      await page.goto(`/project/${pid}/view/${analysis.id}?run_list=${run.id}`);
      await page.getByText('(87%)').waitFor(); // 42 of 48, one rounding rule (whole percent, down)
      await page.waitForTimeout(300);
      await screenshots(page, 'view-accessibility-analysis');
      // Clean up so other specs' sidebars stay short.
      for (const v of [dash, analysis]) await apiCall(ctx.baseURL, ctx.token, 'DELETE', `widget-config/${v.id}`);
    },
  },
];

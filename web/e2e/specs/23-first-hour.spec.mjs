// A newcomer's first hour (issue #20 points 4, 5, 11, 12): a user without
// projects gets "Create a project" and "Import" in the empty state; the new
// project's dashboard is seeded with widgets that render the project's
// numbers; the import dialog always sends a project (picked or created
// inline); views are added from the sidebar; the widget wizard speaks in
// labels, durations and suggestions, and Escape in a field keeps it open;
// a superadmin re-homes a run imported without project.
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { apiCall, countRequests, eventually, loginFast, loginUI, newPage, screenshots, waitForWidgetCard } from '../lib.mjs';

const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'junit-sample.xml');

/** Screenshots of a page that scrolls inside <main>: grow the viewport first. */
async function tallScreenshots(page, name) {
  const h = await page.evaluate(() => Math.max(900, (document.querySelector('main')?.scrollHeight ?? 0) + 120));
  await page.setViewportSize({ width: 1440, height: Math.min(h, 4000) });
  await screenshots(page, name);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Waits until an import is finished and returns its status. */
async function importDone(ctx, id) {
  return eventually(async () => {
    const s = await apiCall(ctx.baseURL, ctx.token, 'GET', `import/${id}`);
    assert.ok(['done', 'error'].includes(s.status), `import ${s.status}`);
    return s;
  }, 30000);
}

export const tests = [
  {
    name: 'a user without projects creates one from the empty state and imports into a project created in the dialog',
    fn: async (ctx) => {
      const user = { email: 'newcomer@example.com', password: 'newcomer-Password-1' };
      await apiCall(ctx.baseURL, ctx.token, 'POST', 'admin/user', { ...user, name: 'New Comer', is_active: true, is_superadmin: false });
      const session = await apiCall(ctx.baseURL, null, 'POST', 'login', user);
      const call = (m, p, b) => apiCall(ctx.baseURL, session.token, m, p, b);
      const page = await newPage(ctx);
      await loginUI(page, user.email, user.password);
      await page.goto('/');
      const empty = page.getByTestId('no-projects');
      await empty.getByRole('heading', { name: 'No projects yet' }).waitFor();
      await screenshots(page, 'first-hour-no-projects');

      // Import from the empty state: with no project the dialog starts on "create a new project", and Import says what is missing.
      await empty.getByRole('button', { name: 'Import test results' }).click();
      let dialog = page.getByRole('dialog', { name: 'Import test results' });
      await dialog.waitFor();
      await eventually(async () => assert.equal(await dialog.locator('#import-project').inputValue(), '__new'));
      await dialog.getByText('You have no project yet: this one is created first, with you as its owner.').waitFor();
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog.getByTestId('import-blocker').getByText('Choose a file to import.').waitFor();
      await dialog.getByText('Give the project a title.').waitFor();
      await screenshots(page, 'first-hour-import-no-project');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });

      // Create a project: the name follows the title.
      await empty.getByRole('button', { name: 'Create a project' }).click();
      const create = page.getByRole('dialog', { name: 'Create a project' });
      await create.getByLabel('Project title').fill('Newcomer QE');
      assert.equal(await create.getByLabel('Project name').inputValue(), 'newcomer-qe');
      await screenshots(page, 'first-hour-create-project');
      await create.getByRole('button', { name: 'Create project' }).click();
      await page.waitForURL(/\/project\/[0-9a-f-]{36}\/dashboard\/[0-9a-f-]{36}$/);
      const pid = page.url().split('/')[4];
      const project = await call('GET', `project/${pid}`);
      assert.equal(project.name, 'newcomer-qe');
      // Its dashboard is seeded; without data the widgets say so instead of failing.
      await eventually(async () => assert.equal(await page.locator('[data-widget-id]').count(), 4));
      assert.equal(await page.getByText('Something went wrong').count(), 0);
      await page.getByTestId('no-runs-yet').waitFor();
      await tallScreenshots(page, 'first-hour-new-project-dashboard');

      // The dashboard says how to get data in; its Import opens the dialog on this project. Create another one inline instead.
      const hint = page.getByTestId('no-runs-yet');
      await hint.getByRole('button', { name: 'Import test results' }).click();
      dialog = page.getByRole('dialog', { name: 'Import test results' });
      await eventually(async () => assert.equal(await dialog.locator('#import-project').inputValue(), pid));
      await dialog.locator('#import-project').selectOption('__new');
      await dialog.getByLabel('Project title').fill('Newcomer imports');
      await dialog.locator('input[type=file]').setInputFiles(fixture);
      await screenshots(page, 'first-hour-import-create-inline');
      const uploads = countRequests(page, (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/import');
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog.getByTestId('import-done').waitFor({ timeout: 30000 });
      const created = (await call('GET', 'project?filter=name=newcomer-imports')).projects;
      assert.equal(created.length, 1, 'the inline project was created');
      assert.equal(uploads.count, 1);
      await dialog.getByRole('button', { name: 'View the imported run' }).click();
      await page.waitForURL(new RegExp(`/project/${created[0].id}/runs/[0-9a-f-]{36}$`));
      // The upload named the new project: the run is in it (playwright does not record a file upload's body).
      const run = await call('GET', `run/${page.url().split('/').pop()}`);
      assert.equal(run.project_id, created[0].id);
    },
  },
  {
    name: "the seeded default dashboard renders the project's numbers",
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      const project = await call('GET', `project/${pid}`);
      const { widgets } = await call('GET', `widget-config?filter=dashboard_id=${project.default_dashboard_id}`);
      assert.deepEqual(
        widgets.map((w) => w.widget),
        ['result-summary', 'filter-heatmap', 'run-matrix', 'result-aggregator'],
      );
      // Run summaries are computed in the background after seeding.
      await eventually(async () => {
        const s = await call('GET', `widget/result-summary?project=${pid}`);
        const r = await call('GET', `result?filter=project_id=${pid}&pageSize=1`);
        assert.equal(s.total, r.pagination.totalItems);
      }, 30000);
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/dashboard/${project.default_dashboard_id}`);
      const card = (w) => page.locator(`[data-widget-id="${w.id}"]`);
      for (const w of widgets) {
        await waitForWidgetCard(card(w), w.widget);
        assert.equal(await card(w).getByText('Something went wrong').count(), 0, `${w.widget} shows an error`);
        assert.equal(await card(w).getByText('No data').count(), 0, `${w.widget} is empty`);
      }
      const [summary, trend] = widgets;
      const api = await call('GET', `widget/result-summary?project=${pid}`);
      // The donut's chunk and the heatmap may still be drawing: wait for the numbers.
      await eventually(async () => {
        const legend = await card(summary)
          .locator('[data-testid="widget-legend"] li')
          .evaluateAll((lis) =>
            Object.fromEntries(lis.map((li) => [li.getAttribute('data-key'), Number(li.querySelector('.ibutsu-legend__value').textContent)])),
          );
        for (const k of ['passed', 'failed', 'error', 'skipped']) assert.equal(legend[k] ?? 0, api[k], k);
      }, 20000);
      await eventually(async () => {
        const groups = await card(trend)
          .locator('[data-testid="heatmap"] tbody tr')
          .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-group')).sort());
        assert.deepEqual(groups, ['api', 'backend', 'frontend']);
      }, 20000);
      await tallScreenshots(page, 'first-hour-seeded-dashboard');
    },
  },
  {
    name: 'add a Jenkins analysis view from the sidebar, with the job name suggested',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/runs`);
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      await nav.getByRole('button', { name: 'Add view' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a view' });
      await dialog.locator('#add-view-type').selectOption('jenkins-analysis-view');
      assert.equal(await dialog.locator('#add-view-name').inputValue(), 'Jenkins job analysis');
      const job = dialog.locator('#widget-param-job_name');
      await job.fill('e2e');
      await dialog.getByRole('option', { name: 'e2e-job' }).click();
      assert.equal(await job.inputValue(), 'e2e-job');
      await dialog.locator('#widget-param-builds').fill('10');
      await screenshots(page, 'first-hour-add-view');
      await dialog.getByRole('button', { name: 'Add view' }).click();
      await page.waitForURL(new RegExp(`/project/${pid}/view/[0-9a-f-]{36}$`));
      const id = page.url().split('/').pop();
      await page.getByRole('heading', { name: 'Jenkins job analysis', level: 1 }).waitFor();
      await page.getByTestId('analysis-heatmap').waitFor();
      await nav.getByRole('link', { name: 'Jenkins job analysis' }).waitFor();
      const view = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget-config/${id}`);
      assert.equal(view.type, 'view');
      assert.equal(view.project_id, pid);
      assert.deepEqual(view.params, { job_name: 'e2e-job', builds: 10, project: pid });
      await screenshots(page, 'first-hour-added-view');
      await apiCall(ctx.baseURL, ctx.token, 'DELETE', `widget-config/${id}`);
    },
  },
  {
    name: 'the widget wizard: labels, a duration in words, field suggestions, Escape in a field keeps it open',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      const d = await call('POST', 'dashboard', { title: 'E2E wizard words', project_id: pid });
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/dashboard/${d.id}`);
      await page.getByRole('button', { name: 'Add widget' }).first().click();
      const wizard = page.getByRole('dialog', { name: 'Add widget' });
      await wizard.locator('[data-widget-type="result-aggregator"]').click();
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      // Labels, not API names; the time window in words.
      const days = wizard.getByLabel('Time window');
      assert.equal(await days.inputValue(), '90 days');
      assert.equal(await wizard.getByText('days', { exact: true }).count(), 0, 'no raw parameter name as a label');
      await days.fill('12 hourz');
      await wizard.getByText(/^Time window: enter a duration/).waitFor();
      await days.fill('12 hours');
      // Escape inside a field leaves the wizard open.
      await days.press('Escape');
      await page.waitForTimeout(200);
      assert.equal(await wizard.isVisible(), true, 'Escape in a field closed the wizard');
      // Group by: suggestions from the project's fields; Escape closes only the menu.
      const group = wizard.getByRole('combobox', { name: 'Group by' });
      await group.fill('');
      await group.fill('env');
      await wizard.getByRole('option', { name: /^env/ }).first().waitFor();
      await screenshots(page, 'first-hour-wizard-params');
      await group.press('Escape');
      await page.waitForTimeout(200);
      assert.equal(await wizard.isVisible(), true, 'Escape in the suggestions closed the wizard');
      assert.equal(await wizard.getByRole('option').count(), 0, 'the menu closed');
      await page.getByRole('button', { name: 'Next', exact: true }).click();
      await wizard.locator('#widget-title').fill('Results by environment, last 12 hours');
      await wizard.getByRole('button', { name: 'Save widget' }).click();
      await wizard.waitFor({ state: 'detached' });
      const { widgets } = await call('GET', `widget-config?filter=dashboard_id=${d.id}`);
      assert.equal(widgets.length, 1);
      assert.equal(widgets[0].params.days, 0.5, '12 hours saved as 0.5 days');
      assert.equal(widgets[0].params.group_field, 'env');

      // Editing shows the saved value in words; Escape outside the fields closes the wizard.
      const wcard = page.locator(`[data-widget-id="${widgets[0].id}"]`);
      await wcard.getByRole('button', { name: /^Actions for/ }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit widget' });
      assert.equal(await edit.getByLabel('Time window').inputValue(), '12 hours');
      await edit.getByRole('button', { name: 'Back' }).focus();
      await page.keyboard.press('Escape');
      await edit.waitFor({ state: 'detached' });
      await call('DELETE', `dashboard/${d.id}`);
    },
  },
  {
    name: 'a superadmin finds a run imported without project and moves it into a project',
    fn: async (ctx) => {
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      // Upstream accepts an import without project (the UI no longer sends one).
      const fd = new FormData();
      fd.append('importFile', new Blob([readFileSync(fixture)], { type: 'application/xml' }), 'junit-sample.xml');
      const started = await call('POST', 'import', fd);
      const status = await importDone(ctx, started.id);
      assert.equal(status.status, 'done');
      const runId = [status.metadata?.run_id].flat()[0]; // a one-element array when done
      assert.ok(runId, 'the import made a run');
      assert.equal((await call('GET', `run/${runId}`)).project_id ?? null, null, 'the run has no project');

      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/admin/unassigned-runs');
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Unassigned runs' }).waitFor();
      const table = page.getByRole('grid', { name: 'Unassigned runs' }).or(page.getByRole('table', { name: 'Unassigned runs' }));
      const row = table.locator('tbody tr').filter({ has: page.locator(`a[href="/runs/${runId}"]`) });
      await row.waitFor();
      await row.getByRole('checkbox').check();
      const target = page.getByRole('combobox', { name: 'Target project' });
      await target.fill('Other');
      await page.getByRole('option', { name: /Other Project/ }).click();
      await screenshots(page, 'first-hour-unassigned-runs');
      await page.getByRole('button', { name: 'Move 1 selected run' }).click();
      await page.getByTestId('rehome-notice').getByText('Moved 1 run to Other Project.').waitFor();
      const run = await call('GET', `run/${runId}`);
      assert.equal(run.project_id, ctx.data.other.id);
      const results = await call('GET', `result?filter=run_id=${runId}&filter=project_id=${ctx.data.other.id}&pageSize=50`);
      assert.equal(results.pagination.totalItems, run.summary.tests, 'every result moved with the run');
      await row.waitFor({ state: 'detached' });
      await screenshots(page, 'first-hour-unassigned-runs-moved');
    },
  },
];

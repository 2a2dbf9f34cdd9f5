// The newcomer's first hour (issue #20 "Done when"): a server started for
// the first time — an empty database whose only user is the bootstrap
// superadmin — then, through the UI only: log in, create a project, import
// a JUnit XML file with failures through the masthead's Import dialog, open
// the run and read why a test failed, in the classify tab's Reason column
// and on the result page. Screenshots (and axe checks) at each step.
import assert from 'node:assert/strict';
import path from 'node:path';
import { apiCall, eventually, loginUI, newPage, screenshots } from '../lib.mjs';

const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'junit-sample.xml');
/** A failure of the fixture: test_wrong_password's <failure message=…>. */
const failure = { test: 'test_wrong_password', reason: 'AssertionError: expected 401, got 500' };

export const tests = [
  {
    name: 'first start: log in, create a project, import JUnit, see why a test failed',
    fn: async (ctx) => {
      const server = await ctx.freshBackend();
      try {
        const page = await newPage(ctx, { baseURL: server.baseURL });
        const token = (await apiCall(server.baseURL, null, 'POST', 'login', server.admin)).token;
        const before = await apiCall(server.baseURL, token, 'GET', 'project');
        assert.equal(before.projects.length, 0, 'a fresh server has no project');

        // 1. Log in as the bootstrap superadmin; nothing exists yet.
        await loginUI(page, server.admin.email, server.admin.password);
        await page.getByRole('heading', { name: 'No projects yet' }).waitFor();
        await screenshots(page, 'newcomer-1-no-projects');

        // 2. Create a project through the administration pages.
        await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Projects' }).click();
        await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
        await page.getByText('There are no projects yet.').waitFor();
        await screenshots(page, 'newcomer-2-admin-projects');
        await page.getByRole('button', { name: 'Add project' }).click();
        await page.locator('#project-title').fill('My Product');
        await page.locator('#project-name').fill('my-product');
        await screenshots(page, 'newcomer-3-new-project');
        await page.getByRole('button', { name: 'Create', exact: true }).click();
        await page.waitForURL('**/admin/projects');
        await page.getByRole('link', { name: 'My Product' }).waitFor();
        const created = await apiCall(server.baseURL, token, 'GET', 'project');
        assert.deepEqual(
          created.projects.map((p) => p.name),
          ['my-product'],
        );
        const pid = created.projects[0].id;

        // 3. Choose it in the project selector.
        const selector = page.getByRole('combobox', { name: 'Select a project' });
        await selector.click();
        await page.getByRole('option', { name: /My Product/ }).click();
        await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Test Runs' }).click();
        await page.waitForURL(`**/project/${pid}/runs`);
        await page.getByTestId('runs-table').waitFor();
        await screenshots(page, 'newcomer-4-empty-runs');

        // 4. Import the JUnit file into it.
        await page.getByRole('button', { name: 'Import', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: 'Import test results' });
        await dialog.waitFor();
        await eventually(async () => assert.equal(await dialog.locator('#import-project').inputValue(), pid));
        await dialog.locator('input[type=file]').setInputFiles(fixture);
        await eventually(async () => assert.equal(await dialog.locator('#import-file-filename').inputValue(), 'junit-sample.xml'));
        await screenshots(page, 'newcomer-5-import');
        await dialog.getByRole('button', { name: 'Import', exact: true }).click();
        await dialog.getByTestId('import-done').waitFor({ timeout: 30000 });
        await screenshots(page, 'newcomer-6-import-done');

        // 5. Open the run: the failures are counted.
        await dialog.getByRole('button', { name: 'View the imported run' }).click();
        await page.waitForURL(new RegExp(`/project/${pid}/runs/[0-9a-f-]{36}$`));
        await eventually(async () => assert.equal((await page.getByTestId('tile-failed-value').textContent()).trim(), '3'));
        assert.equal((await page.getByTestId('tile-error-value').textContent()).trim(), '1');
        await screenshots(page, 'newcomer-7-run');

        // 6. The classify tab says why each test failed.
        await page.getByRole('tab', { name: 'Classify failures' }).click();
        const row = page.locator('table[aria-label="Failures of this run"] tbody tr', { hasText: failure.test });
        await row.waitFor();
        const reason = row.locator('td[data-label="Reason"]');
        await eventually(async () => assert.match(await reason.innerText(), new RegExp(failure.reason)));
        assert.ok(await reason.isVisible(), 'the reason is on screen');
        await screenshots(page, 'newcomer-8-classify');

        // 7. So does the result page, without opening an artifact.
        await row.getByRole('link', { name: new RegExp(failure.test) }).click();
        await page.waitForURL(new RegExp(`/project/${pid}/results/[0-9a-f-]{36}$`));
        const headline = page.getByTestId('failure-reason');
        await headline.waitFor();
        assert.match(await headline.innerText(), new RegExp(failure.reason));
        assert.ok(await headline.isVisible(), 'the failure message is on screen');
        await screenshots(page, 'newcomer-9-result');
      } finally {
        await server.stop();
      }
    },
  },
];

// Import (issue #7 "Done when"): log in, import the JUnit fixture through
// the masthead's modal, wait for done, follow the link to the run, check
// the tiles against the API's run summary, classify two failures in bulk
// with exactly one request, then open a result with artifacts: search the
// log and see the image.
import assert from 'node:assert/strict';
import path from 'node:path';
import { apiCall, countRequests, eventually, loginUI, newPage, screenshots } from '../lib.mjs';

const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'junit-sample.xml');

export const tests = [
  {
    name: 'import JUnit XML, open the run, classify failures in bulk, view artifacts',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginUI(page, ctx.admin.email, ctx.admin.password);
      // Import into the second project so the E2E Project's data stays as seeded for other specs.
      const project = ctx.data.other;
      await page.goto(`/project/${project.id}/runs`);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Import test results' });
      await dialog.waitFor();
      await eventually(async () => assert.equal(await dialog.locator('#import-project').inputValue(), project.id));
      // Import is never disabled silently: without a file it says what is missing.
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog.getByTestId('import-blocker').getByText('Choose a file to import.').waitFor();
      await screenshots(page, 'import-modal');

      // The dialog lists the formats the server reads (GET /api/import/formats).
      await dialog
        .getByTestId('import-formats')
        .getByText(/JUnit XML.*go test -json.*TAP.*CTRF JSON/)
        .waitFor();
      // A file no importer recognises is refused by the server (415), which names the formats.
      await dialog.locator('input[type=file]').setInputFiles({ name: 'notes.xml.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog
        .getByTestId('import-error')
        .getByText(/Supported formats: JUnit XML/)
        .waitFor();
      await dialog.getByRole('button', { name: 'Import another file' }).click();
      await eventually(async () => assert.equal(await dialog.locator('#import-project').inputValue(), project.id));

      await dialog.locator('input[type=file]').setInputFiles(fixture);
      await eventually(async () => assert.equal(await dialog.locator('#import-file-filename').inputValue(), 'junit-sample.xml'));
      const uploads = countRequests(page, (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/import');
      const polls = countRequests(page, (r) => r.method() === 'GET' && /\/api\/import\/[0-9a-f-]{36}$/.test(new URL(r.url()).pathname));
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      await dialog.getByTestId('import-done').waitFor({ timeout: 30000 });
      assert.equal(uploads.count, 1, 'one upload');
      assert.ok(polls.count >= 1, 'the status was polled');
      const auth = uploads.requests[0].headers().authorization;
      assert.match(auth ?? '', /^Bearer /, 'the upload carries the bearer token');
      await screenshots(page, 'import-modal-done');
      page.allowProblem(/status of 415/); // the browser logged the refused upload above

      await dialog.getByRole('button', { name: 'View the imported run' }).click();
      await page.waitForURL(new RegExp(`/project/${project.id}/runs/[0-9a-f-]{36}$`));
      const runId = page.url().split('/').pop();
      const run = await apiCall(ctx.baseURL, ctx.token, 'GET', `run/${runId}`);
      assert.equal(run.project_id, project.id);
      const s = run.summary;
      assert.deepEqual([s.tests, s.failures, s.errors, s.skips], [8, 3, 1, 1], 'the fixture summary');
      const tile = async (k) => (await page.getByTestId(`tile-${k}-value`).textContent()).trim();
      await page.getByTestId('tile-failed').waitFor();
      assert.equal(await tile('failed'), String(s.failures));
      assert.equal(await tile('error'), String(s.errors));
      assert.equal(await tile('skipped'), String(s.skips));
      assert.equal(await tile('xfailed'), String(s.xfailures ?? 0));
      assert.equal(await tile('xpassed'), String(s.xpasses ?? 0));
      assert.equal(await tile('total'), String(s.tests));
      // The summary counts the imported cases, passes and pass_percent included.
      assert.deepEqual([s.passes, s.pass_percent], [3, 37], 'passes and pass_percent of an imported run');
      assert.equal(await tile('passed'), String(s.passes));
      await screenshots(page, 'run-imported');

      // Classify two failures with one bulk request.
      await page.getByRole('tab', { name: 'Classify failures' }).click();
      await page.waitForURL(/#classify$/);
      const rows = page.locator('table[aria-label="Failures of this run"] tbody tr');
      await eventually(async () => assert.equal(await rows.count(), 4, '3 failures and 1 error'));
      const bulk = countRequests(page, (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/results/bulk-update');
      const puts = countRequests(page, (r) => r.method() === 'PUT' && new URL(r.url()).pathname.startsWith('/api/result/'));
      const picked = [];
      for (const i of [0, 1]) {
        const row = rows.nth(i);
        picked.push(await row.getByRole('link').textContent());
        await row.getByRole('checkbox').check();
      }
      await page.getByTestId('classify-selected').click();
      await page.getByRole('menuitem', { name: 'Product Failure' }).click();
      await page.getByTestId('classify-notice').getByText('Classified 2 results as Product Failure').waitFor();
      assert.equal(bulk.count, 1, 'exactly one bulk request');
      assert.equal(puts.count, 0, 'no per-row PUTs');
      const sent = JSON.parse(bulk.requests[0].postData());
      assert.equal(sent.ids.length, 2);
      for (const id of sent.ids) {
        const r = await apiCall(ctx.baseURL, ctx.token, 'GET', `result/${id}`);
        assert.equal(r.metadata.classification, 'product_failure', `${r.test_id} classified`);
        assert.ok(picked.includes(r.test_id), `${r.test_id} was one of the selected rows`);
      }
      // The table shows the new classification.
      await eventually(async () =>
        assert.equal(
          await rows
            .nth(0)
            .getByRole('button', { name: /Classification of/ })
            .textContent(),
          'Product Failure',
        ),
      );
      await screenshots(page, 'run-classify');

      // A result with artifacts: search the log, see the image.
      await page.goto(`/project/${ctx.data.project.id}/results/${ctx.data.failedResult.id}#artifacts`);
      const log = page.getByTestId('log-viewer');
      await log.waitFor();
      await page.getByRole('textbox', { name: 'Search test.log' }).fill('ERROR connection refused');
      const current = log.locator('mark.ibutsu-log__match--current');
      await current.waitFor();
      assert.equal(await current.textContent(), 'ERROR connection refused');
      assert.ok(await current.isVisible(), 'the match is scrolled into view');
      await page.getByRole('tab', { name: 'Artifact screenshot.png' }).click();
      const img = page.getByTestId('artifact-image');
      await img.waitFor();
      await eventually(async () => assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the image decoded'));
    },
  },
  {
    name: "a broken report: the import fails and shows the server's error",
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginUI(page, ctx.admin.email, ctx.admin.password);
      await page.goto(`/project/${ctx.data.other.id}/runs`);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Import test results' });
      await dialog
        .locator('input[type=file]')
        .setInputFiles({ name: 'broken.xml', mimeType: 'application/xml', buffer: Buffer.from('<testsuites><testsuite name="x"><testcase') });
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      const err = dialog.getByTestId('import-error');
      await err.waitFor({ timeout: 30000 });
      assert.match(await err.textContent(), /Import failed/);
      await screenshots(page, 'import-modal-error');
      // Start over, then close with Escape (keyboard).
      await dialog.getByRole('button', { name: 'Import another file' }).click();
      await eventually(async () => assert.equal(await dialog.locator('#import-file-filename').inputValue(), ''));
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    },
  },
];

// Webhooks: the project's owner adds a subscription pointing at a receiver
// on this machine (allowlisted by WEBHOOK_ALLOW in run.mjs), sends a test
// event, checks that the receiver got it signed, and sees it in the
// delivery log; then edits and deletes the webhook.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { apiCall, eventually, loginFast, newPage, screenshots } from '../lib.mjs';

const secret = 'e2e-webhook-secret-0123456789';

/** A receiver on 127.0.0.1 that records what it is sent. */
async function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { got, url: `http://127.0.0.1:${server.address().port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

export const tests = [
  {
    name: 'webhooks: add, send a test event, read the delivery log, delete',
    fn: async (ctx) => {
      const rcv = await receiver();
      try {
        const pid = ctx.data.project.id;
        const page = await newPage(ctx);
        await loginFast(page, ctx);
        await page.goto(`/project/${pid}/dashboard`);
        await page.getByRole('link', { name: 'Webhooks' }).click();
        await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
        await page.getByText('No webhooks').waitFor();
        await screenshots(page, 'webhooks-empty');

        await page.getByRole('button', { name: 'Add webhook' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.locator('#webhook-name').fill('E2E receiver');
        await dialog.locator('#webhook-url').fill(rcv.url);
        await dialog.locator('#webhook-secret').fill(secret);
        await dialog.getByLabel('Import failed').check();
        await screenshots(page, 'webhooks-add');
        await dialog.getByRole('button', { name: 'Add webhook' }).click();
        await dialog.waitFor({ state: 'hidden' });
        const row = page.getByRole('row', { name: /E2E receiver/ });
        await row.waitFor();
        await page.getByText('Nothing sent yet').waitFor();

        await row.getByRole('button', { name: 'Send test event to E2E receiver' }).click();
        await page.getByTestId('webhook-notice').waitFor();
        const req = await eventually(() => {
          assert.equal(rcv.got.length, 1);
          return rcv.got[0];
        }, 20000);
        const ts = req.headers['x-ibutsu-timestamp'];
        const want = 'v1=' + createHmac('sha256', secret).update(`${ts}.${req.body}`).digest('hex');
        assert.equal(req.headers['x-ibutsu-signature'], want, 'signature');
        assert.equal(req.headers['x-ibutsu-event'], 'webhook.test');
        const body = JSON.parse(req.body);
        assert.equal(body.type, 'webhook.test');
        assert.equal(body.id, req.headers['idempotency-key']);
        assert.equal(body.project.id, pid);

        const log = page.getByRole('grid', { name: 'Deliveries of E2E receiver' });
        await log.getByText('Delivered').waitFor({ timeout: 15000 });
        await log.getByText('204', { exact: true }).waitFor();
        await screenshots(page, 'webhooks-log');

        const hooks = await apiCall(ctx.baseURL, ctx.token, 'GET', `project/${pid}/webhooks`);
        assert.equal(hooks.webhooks.length, 1);
        assert.deepEqual(hooks.webhooks[0].events, ['run.finished', 'import.failed']);
        assert.equal(hooks.webhooks[0].has_secret, true);
        assert.ok(!JSON.stringify(hooks).includes(secret), 'the secret is never shown');

        await row.getByRole('button', { name: 'Edit E2E receiver' }).click();
        await dialog.locator('#webhook-enabled').press('Space');
        assert.equal(await dialog.locator('#webhook-enabled').isChecked(), false);
        await dialog.getByRole('button', { name: 'Save' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await row.getByText('Disabled').waitFor();

        await row.getByRole('button', { name: 'Delete E2E receiver' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Delete webhook' }).click();
        await page.getByText('No webhooks').waitFor();
      } finally {
        await rcv.close();
      }
    },
  },
];

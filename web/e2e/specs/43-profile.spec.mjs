// Profile and API tokens: rename, change a password (as the member, so the
// admin's login keeps working for other specs), create a token in the UI,
// read it from the ClipboardCopy and use it with curl, then delete it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { apiCall, eventually, loginFast, loginUI, newPage, screenshots } from '../lib.mjs';

export const tests = [
  {
    name: 'profile: change the name',
    fn: async (ctx) => {
      const before = await apiCall(ctx.baseURL, ctx.token, 'GET', 'user');
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/profile/user');
      await page.locator('#profile-name').waitFor();
      await screenshots(page, 'profile');
      await page.locator('#profile-name').fill('E2E Admin');
      await page.getByRole('button', { name: 'Save name' }).click();
      await page.getByText('Name saved').waitFor();
      const me = await apiCall(ctx.baseURL, ctx.token, 'GET', 'user');
      assert.equal(me.name, 'E2E Admin');
      await page.getByRole('button', { name: 'User menu' }).getByText('E2E Admin').waitFor();
      await apiCall(ctx.baseURL, ctx.token, 'PUT', 'user', { name: before.name });
    },
  },
  {
    name: 'profile: a member changes their password',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginUI(page, 'member@example.com', 'member-Password-1');
      await page.goto('/profile/user');
      await page.locator('#profile-password').fill('member-Password-2');
      await page.locator('#profile-password2').fill('member-Password-x');
      await page.getByText('The passwords do not match.').waitFor();
      await page.locator('#profile-password2').fill('member-Password-2');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Password changed').waitFor();
      // The change ended the old session token; the page signed in again,
      // so the next page still loads instead of falling back to /login.
      await page.goto('/profile/tokens');
      await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
      assert.ok(!page.url().includes('/login'), page.url());
      const s = await apiCall(ctx.baseURL, null, 'POST', 'login', { email: 'member@example.com', password: 'member-Password-2' });
      assert.ok(s.token);
      await apiCall(ctx.baseURL, s.token, 'PUT', 'user', { password: 'member-Password-1' });
    },
  },
  {
    name: 'tokens: create in the UI, use with curl, delete',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/profile/tokens');
      await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
      await page.getByText('No API tokens').waitFor();
      await screenshots(page, 'tokens-empty');
      await page.getByRole('button', { name: 'Add token' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#token-name').fill('e2e-curl');
      assert.match(await dialog.getByRole('textbox', { name: 'Expiry date' }).inputValue(), /^\d{4}-\d{2}-\d{2}$/);
      await dialog.getByRole('button', { name: 'Pick the expiry date' }).click();
      await page.getByRole('button', { name: /Previous month/ }).waitFor();
      await screenshots(page, 'tokens-add');
      await dialog.getByRole('button', { name: 'Pick the expiry date' }).click();
      await page.getByRole('button', { name: /Previous month/ }).waitFor({ state: 'hidden' });
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const tokenBox = dialog.getByRole('textbox', { name: 'API token' });
      await tokenBox.waitFor();
      const token = await tokenBox.inputValue();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT');
      await screenshots(page, 'tokens-created');

      const out = execFileSync('curl', ['-fsS', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${token}`, `${ctx.baseURL}/api/project`], {
        encoding: 'utf8',
      });
      const [body, code] = [out.slice(0, out.lastIndexOf('\n')), out.slice(out.lastIndexOf('\n') + 1)];
      assert.equal(code, '200');
      assert.ok(
        JSON.parse(body).projects.some((p) => p.id === ctx.data.project.id),
        'E2E Project listed',
      );

      await dialog.getByRole('button', { name: 'Done' }).click();
      const row = page.getByRole('row', { name: /e2e-curl/ });
      await row.waitFor();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.mouse.move(0, 0);
      await screenshots(page, 'tokens');
      await row.getByRole('button', { name: 'Delete token e2e-curl' }).click();
      const confirm = page.getByRole('dialog');
      await confirm.getByRole('button', { name: 'Delete token' }).click();
      await page.getByText('No API tokens').waitFor();
      const list = await apiCall(ctx.baseURL, ctx.token, 'GET', 'user/token');
      assert.equal(list.tokens.length, 0);
      // A deleted token no longer authenticates.
      await eventually(async () => {
        const code = execFileSync(
          'curl',
          ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Authorization: Bearer ${token}`, `${ctx.baseURL}/api/project`],
          { encoding: 'utf8' },
        );
        assert.equal(code, '401');
      }, 5000);
    },
  },
];

// The shell: logging in through the form, the masthead and sidebar, the
// project selector, the theme switch, and 401 → back to the login page.
import assert from 'node:assert/strict';
import { a11y, eventually, loginUI, newPage, screenshots } from '../lib.mjs';

export const tests = [
  {
    name: 'login page, wrong password, then log in',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Log in to your account' }).waitFor();
      await screenshots(page, 'login');
      await page.locator('#login-email').fill(ctx.admin.email);
      await page.locator('#login-password').fill('wrong-password');
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.getByTestId('login-error').waitFor();
      page.allowProblem(/401|status of 401/);
      await loginUI(page, ctx.admin.email, ctx.admin.password);
      await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    },
  },
  {
    name: 'project selector navigates into the project',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginUI(page, ctx.admin.email, ctx.admin.password);
      const input = page.getByRole('combobox', { name: 'Select a project' });
      await input.click();
      await input.fill('E2E');
      await page.getByRole('option', { name: /E2E Project/ }).click();
      await page.waitForURL(new RegExp(`/project/${ctx.data.project.id}/`));
      await eventually(async () => assert.equal(await input.inputValue(), 'E2E Project'));
      await screenshots(page, 'shell');
      await page.getByRole('button', { name: /user menu/ }).click();
      await page.getByRole('menuitem', { name: 'API tokens' }).waitFor();
      await a11y(page, 'user-menu-open');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'a 401 from the API returns to the login page',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await page.goto('/login');
      await page.evaluate(() => {
        const s = { email: 'x@example.com', token: 'not-a-valid-token' };
        localStorage.setItem('ibutsu.session', JSON.stringify(s));
        localStorage.setItem('ibutsu.token', s.token);
      });
      await page.goto(`/project/${ctx.data.project.id}/runs`);
      await page.waitForURL(/\/login\?next=/);
      page.allowProblem(/401/);
    },
  },
  {
    name: 'sign-up and forgot-password pages',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await page.goto('/sign-up');
      await page.getByRole('heading', { name: 'Create an account' }).waitFor();
      await screenshots(page, 'sign-up');
      await page.goto('/forgot-password');
      await page.getByRole('heading', { name: 'Recover your account' }).waitFor();
      await screenshots(page, 'forgot-password');
    },
  },
];

// Accessibility: the axe-core check itself (a page with a known violation
// must fail, with a readable message), and the pages no other spec takes a
// screenshot of — page not found, project not found, run and result not
// found, password reset. Every other page is checked by screenshots().
import assert from 'node:assert/strict';
import { axeViolations } from '../axe.mjs';
import { loginFast, newPage, screenshots } from '../lib.mjs';

const missing = '00000000-0000-4000-8000-000000000000';

export const tests = [
  {
    name: 'axe reports a violation with its rule, selector and help URL',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Log in to your account' }).waitFor();
      await page.evaluate(() => {
        const b = document.createElement('button');
        b.id = 'axe-canary';
        document.querySelector('main')?.append(b);
        const t = document.createElement('table');
        t.id = 'axe-canary-table';
        t.innerHTML = '<thead><tr><th></th><th>Name</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody>';
        document.querySelector('main')?.append(t);
      });
      const found = await axeViolations(page, 'login with a canary');
      const text = found.join('\n');
      assert.match(text, /button-name \(critical\) on login with a canary/);
      assert.match(text, /#axe-canary\b/);
      assert.match(text, /help: https:\/\/dequeuniversity\.com\/rules\/axe\/[\d.]+\/button-name/);
      assert.match(text, /empty-table-header \(minor\) on login with a canary/, 'header cells without a name are reported');
      assert.equal(found.length, 2, text);
    },
  },
  {
    name: 'not-found pages and the password reset page',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/no-such-page');
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await screenshots(page, 'page-not-found');
      await page.goto(`/project/${missing}/runs`);
      await page.getByRole('heading', { name: 'Project not found' }).waitFor();
      await screenshots(page, 'project-not-found');
      const pid = ctx.data.project.id;
      await page.goto(`/project/${pid}/runs/${missing}`);
      await page.getByRole('heading', { name: 'Run not found' }).waitFor();
      await screenshots(page, 'run-not-found');
      await page.goto(`/project/${pid}/results/${missing}`);
      await page.getByRole('heading', { name: 'Result not found' }).waitFor();
      await screenshots(page, 'result-not-found');
      page.allowProblem(/404/);

      const anon = await newPage(ctx);
      await anon.goto('/reset-password/not-a-real-code');
      await anon.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await screenshots(anon, 'reset-password');
    },
  },
];

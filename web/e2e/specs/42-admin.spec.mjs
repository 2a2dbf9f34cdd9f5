// Administration: the user list and edit page (adding ctx.data.member to
// "E2E Project"), the project list and edit page (retention), and deleting
// a project through the type-the-name confirmation.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, loginUI, newPage, screenshots } from '../lib.mjs';

export const tests = [
  {
    name: 'admin adds a member to a project through the user page',
    fn: async (ctx) => {
      const { member, project } = ctx.data;
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/admin/users');
      await page.getByRole('grid', { name: 'Users' }).waitFor();
      await screenshots(page, 'admin-users');

      await page.getByRole('textbox', { name: 'Search users by name' }).fill('Member');
      await page.keyboard.press('Enter');
      await eventually(async () => assert.equal(await page.getByRole('grid', { name: 'Users' }).locator('tbody tr').count(), 1));
      await page.getByRole('link', { name: 'Member User' }).click();
      await page.waitForURL(`**/admin/users/${member.id}`);
      await page.getByTestId('no-projects').waitFor();

      const box = page.getByRole('combobox', { name: 'Add to project' });
      await box.click();
      await box.fill('E2E');
      await page.getByRole('option', { name: /E2E Project/ }).click();
      await page.getByRole('button', { name: 'Remove E2E Project' }).waitFor();
      await screenshots(page, 'admin-user-edit');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL('**/admin/users');

      const after = await apiCall(ctx.baseURL, ctx.token, 'GET', `admin/user/${member.id}`);
      assert.ok(
        after.projects.some((p) => p.id === project.id),
        'member is in E2E Project',
      );
      assert.equal(after.is_active, true);
      assert.equal(after.is_superadmin, false);
    },
  },
  {
    name: 'admin edits a project: retention',
    fn: async (ctx) => {
      const { project } = ctx.data;
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/admin/projects');
      await page.getByRole('grid', { name: 'Projects' }).waitFor();
      await screenshots(page, 'admin-projects');
      await page.getByRole('link', { name: 'E2E Project' }).click();
      await page.waitForURL(`**/admin/projects/${project.id}`);
      await page.locator('#project-name').waitFor();
      assert.equal(await page.locator('#project-name').inputValue(), 'e2e-project');
      await page.locator('#retention-run_days').fill('30');
      await page.locator('#retention-result_days').fill('0');
      await page.locator('#retention-artifact_days').fill('-3');
      await page.getByText('Enter a whole number of days').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled(), true);
      await page.locator('#retention-artifact_days').fill('');
      await screenshots(page, 'admin-project-edit');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL('**/admin/projects');
      const p = await apiCall(ctx.baseURL, ctx.token, 'GET', `admin/project/${project.id}`);
      assert.deepEqual(p.retention, { run_days: 30, result_days: 0, artifact_days: null, import_days: null });
      await page.getByRole('grid', { name: 'Projects' }).getByText('30 days / keep forever').waitFor();
    },
  },
  {
    name: 'admin deletes a project after typing its name',
    fn: async (ctx) => {
      const doomed = await apiCall(ctx.baseURL, ctx.token, 'POST', 'admin/project', { name: 'doomed-project', title: 'Doomed Project' });
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/admin/projects?q=Doomed');
      await page.getByRole('button', { name: 'Delete doomed-project' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      const confirm = dialog.getByRole('button', { name: 'Delete project' });
      assert.equal(await confirm.isDisabled(), true);
      await dialog.getByRole('textbox').fill('doomed');
      assert.equal(await confirm.isDisabled(), true);
      await dialog.getByRole('textbox').fill('doomed-project');
      await screenshots(page, 'admin-project-delete');
      await confirm.click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText('No projects found').waitFor();
      await assert.rejects(apiCall(ctx.baseURL, ctx.token, 'GET', `admin/project/${doomed.id}`), /404/);
    },
  },
  {
    name: 'new project form',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/admin/projects/new');
      await page.locator('#project-title').fill('Created In UI');
      await page.locator('#project-name').fill('created-in-ui');
      await page.locator('#retention-import_days').fill('7');
      const owner = page.getByRole('combobox', { name: 'Owner' });
      await owner.click();
      await owner.fill('member@');
      await page.getByRole('option', { name: /Member User/ }).click();
      await screenshots(page, 'admin-project-new');
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.waitForURL('**/admin/projects');
      const list = await apiCall(ctx.baseURL, ctx.token, 'GET', 'admin/project?filter=name=created-in-ui');
      assert.equal(list.projects.length, 1);
      assert.equal(list.projects[0].retention.import_days, 7);
      assert.equal(list.projects[0].owner_id, ctx.data.member.id);
      await apiCall(ctx.baseURL, ctx.token, 'DELETE', `admin/project/${list.projects[0].id}`);
    },
  },
  {
    name: 'non-admins see a message instead of the admin pages',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginUI(page, 'member@example.com', 'member-Password-1');
      for (const path of ['/admin/users', `/admin/users/${ctx.data.member.id}`, '/admin/projects', `/admin/projects/${ctx.data.project.id}`]) {
        await page.goto(path);
        await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
      }
      await screenshots(page, 'admin-forbidden');
    },
  },
];

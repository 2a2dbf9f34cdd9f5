// Dashboards and widgets: the project picker at "/", the project's default
// dashboard, creating a dashboard, adding a jenkins-heatmap and a
// result-aggregator through the wizard on the seeded Jenkins runs, checking
// that the page shows exactly the numbers GET /api/widget/... returns, then
// editing and deleting widgets and the dashboard.
import assert from 'node:assert/strict';
import { apiCall, eventually, loginFast, newPage, screenshots, waitForWidgetCard } from '../lib.mjs';

const pct = (p) => `${Math.round(p * 100) / 100}%`;

/** Screenshots of the whole dashboard: the page scrolls inside <main>, so grow the viewport first. */
async function tallScreenshots(page, name) {
  const h = await page.evaluate(() => {
    const main = document.querySelector('main');
    return Math.max(900, (main?.scrollHeight ?? 0) + 120);
  });
  await page.setViewportSize({ width: 1440, height: Math.min(h, 4000) });
  await screenshots(page, name);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** The heatmap as the page shows it: group → trend and cells (text, link). */
async function heatmapDom(card) {
  return card.locator('[data-testid="heatmap"]').evaluate((table) => {
    const columns = [...table.querySelectorAll('thead th[data-column]')].map((th) => th.getAttribute('data-column'));
    const rows = {};
    for (const tr of table.querySelectorAll('tbody tr')) {
      const tds = [...tr.querySelectorAll('td')];
      rows[tr.getAttribute('data-group')] = {
        trend: tds[0].getAttribute('data-trend'),
        cells: tds.slice(1).map((td) => ({ text: td.textContent.trim(), href: td.querySelector('a')?.getAttribute('href') ?? null })),
      };
    }
    return { columns, rows };
  });
}

/** What the heatmap must show for an API answer (builds ascending, one cell per build). */
function expectedHeatmap(api, pid) {
  const builds = new Set();
  for (const entries of Object.values(api.heatmap)) for (const e of entries.slice(1)) builds.add(e[3]);
  const columns = [...builds].sort((a, b) => Number(a) - Number(b));
  const rows = {};
  for (const [group, entries] of Object.entries(api.heatmap)) {
    const slope = entries[0][0];
    const byBuild = new Map(entries.slice(1).map((e) => [e[3], e]));
    rows[group] = {
      trend: slope === 100 ? 'perfect' : slope < 0 ? 'down' : slope <= 1 ? 'flat' : 'up',
      cells: columns.map((b) => {
        const e = byBuild.get(b);
        if (!e) return { text: '', href: null };
        if (typeof e[0] !== 'number') return { text: 'n/a (build failed)', href: null };
        return { text: pct(e[0]), href: `/project/${pid}/runs/${e[1]}` };
      }),
    };
  }
  return { columns, rows };
}

/** Run summaries are computed in the background after seeding: wait until every result is counted. */
async function waitForSummaries(ctx) {
  const pid = ctx.data.project.id;
  await eventually(async () => {
    const s = await apiCall(ctx.baseURL, ctx.token, 'GET', `widget/result-summary?project=${pid}`);
    const r = await apiCall(ctx.baseURL, ctx.token, 'GET', `result?filter=project_id=${pid}&pageSize=1`);
    assert.equal(s.total, r.pagination.totalItems);
  }, 30000);
}

async function openDashboard(page, ctx, dashboardId) {
  await page.goto(`/project/${ctx.data.project.id}/dashboard/${dashboardId}`);
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}

async function nextStep(page) {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
}

export const tests = [
  {
    name: 'project picker at "/" opens the project\'s default dashboard',
    fn: async (ctx) => {
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto('/');
      const card = page.getByTestId('project-card').filter({ hasText: 'E2E Project' });
      await card.waitFor();
      await screenshots(page, 'dashboard-project-picker');
      const project = await apiCall(ctx.baseURL, ctx.token, 'GET', `project/${ctx.data.project.id}`);
      assert.ok(project.default_dashboard_id, 'a new project has a default dashboard');
      await card.getByRole('link', { name: 'E2E Project', exact: true }).click();
      await page.waitForURL(new RegExp(`/project/${project.id}/dashboard/${project.default_dashboard_id}$`));
      const toggle = page.getByRole('button', { name: 'Select a dashboard' });
      await eventually(async () => assert.equal((await toggle.textContent()).trim(), project.defaultDashboard?.title ?? 'Default Dashboard'));
      // The default dashboard starts with the seeded widgets (23-first-hour checks their numbers).
      await eventually(async () => assert.equal(await page.locator('[data-widget-id]').count(), 4));
      await screenshots(page, 'dashboard-default');
    },
  },
  {
    name: 'create a dashboard, add a heatmap and a result aggregator through the wizard, numbers match the API',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await page.goto(`/project/${pid}/dashboard`);
      await page.waitForURL(/\/dashboard\/[0-9a-f-]{36}$/);
      const defaultUrl = page.url();

      // New dashboard (the modal validates the title).
      await page.getByRole('button', { name: 'New dashboard' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New dashboard' });
      await dialog.getByRole('button', { name: 'Create' }).click();
      await dialog.getByText('Give the dashboard a title.').waitFor();
      await dialog.getByLabel('Title').fill('E2E quality');
      await dialog.getByLabel('Description').fill('Pipeline health of e2e-job');
      await dialog.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL((u) => /\/dashboard\/[0-9a-f-]{36}$/.test(u.pathname) && u.href !== defaultUrl);
      const dashboardId = page.url().split('/').pop();
      const created = await call('GET', `dashboard/${dashboardId}`);
      assert.equal(created.title, 'E2E quality');
      assert.equal(created.project_id, pid);
      await eventually(async () => assert.equal((await page.getByRole('button', { name: 'Select a dashboard' }).textContent()).trim(), 'E2E quality'));
      await page.getByText('Pipeline health of e2e-job').waitFor();

      // Wizard, widget 1: jenkins-heatmap.
      await page.getByRole('button', { name: 'Add widget' }).first().click();
      const wizard = page.getByRole('dialog', { name: 'Add widget' });
      await wizard.getByRole('radio', { name: 'Jenkins Pipeline Heatmap' }).waitFor();
      await screenshots(page, 'dashboard-wizard-type');
      await wizard.locator('[data-widget-type="jenkins-heatmap"]').click(); // the whole card selects
      assert.equal(await wizard.getByRole('radio', { name: 'Jenkins Pipeline Heatmap' }).isChecked(), true);
      await nextStep(page);
      const job = wizard.locator('#widget-param-job_name');
      await job.waitFor();
      assert.equal(await wizard.locator('#widget-param-builds').inputValue(), '5');
      assert.equal(await wizard.locator('#widget-param-group_field').inputValue(), 'component');
      assert.equal(await wizard.locator('#widget-param-project').inputValue(), pid);
      assert.equal(await wizard.locator('#widget-param-count_skips').isChecked(), true);
      await nextStep(page); // job_name is required: stays, with a message
      await wizard.getByText('Jenkins job is required.').waitFor();
      await wizard.locator('#widget-param-builds').fill('2.5');
      await wizard.getByText('Number of builds must be a whole number.').waitFor();
      await screenshots(page, 'dashboard-wizard-params-invalid');
      await wizard.locator('#widget-param-builds').fill('5');
      await job.fill('e2e-job');
      await screenshots(page, 'dashboard-wizard-params');
      await nextStep(page);
      const title = wizard.locator('#widget-title');
      assert.equal(await title.inputValue(), 'Jenkins Pipeline Heatmap');
      await title.fill('e2e-job heatmap');
      await wizard.getByTestId('widget-preview').locator('[data-testid="heatmap"] tbody tr').first().waitFor();
      await screenshots(page, 'dashboard-wizard-preview');
      await wizard.getByRole('button', { name: 'Save widget' }).click();
      await wizard.waitFor({ state: 'detached' });

      // Wizard, widget 2: result-aggregator, chosen with the keyboard.
      await page.getByRole('button', { name: 'Add widget' }).first().click();
      const wizard2 = page.getByRole('dialog', { name: 'Add widget' });
      const radio = wizard2.getByRole('radio', { name: 'Result Aggregation' });
      await radio.focus();
      await page.keyboard.press('Space');
      assert.equal(await radio.isChecked(), true);
      await nextStep(page);
      assert.equal(await wizard2.locator('#widget-param-group_field').inputValue(), 'result');
      assert.equal(await wizard2.locator('#widget-param-days').inputValue(), '90 days');
      await nextStep(page);
      await wizard2.locator('#widget-title').fill('Results by outcome');
      await wizard2.getByTestId('widget-preview').getByTestId('widget-legend').waitFor();
      await wizard2.getByRole('button', { name: 'Save widget' }).click();
      await wizard2.waitFor({ state: 'detached' });

      // What was saved.
      const { widgets } = await call('GET', `widget-config?filter=dashboard_id=${dashboardId}`);
      assert.equal(widgets.length, 2);
      const hm = widgets.find((w) => w.widget === 'jenkins-heatmap');
      const ra = widgets.find((w) => w.widget === 'result-aggregator');
      assert.deepEqual(hm.params, { job_name: 'e2e-job', builds: 5, group_field: 'component', count_skips: true, project: pid });
      assert.equal(hm.title, 'e2e-job heatmap');
      assert.equal(hm.type, 'widget');
      assert.equal(ra.params.group_field, 'result');
      assert.ok(hm.weight < ra.weight, 'the second widget comes after the first');

      // The heatmap shows the API's numbers, each cell linking to its run.
      const hmCard = page.locator(`[data-widget-id="${hm.id}"]`);
      await hmCard.locator('[data-testid="heatmap"] tbody tr').first().waitFor();
      const hmApi = await call('GET', `widget/jenkins-heatmap?job_name=e2e-job&builds=5&group_field=component&count_skips=true&project=${pid}`);
      assert.deepEqual(Object.keys(hmApi.heatmap).sort(), ['api', 'backend', 'frontend']);
      const want = expectedHeatmap(hmApi, pid);
      assert.equal(want.columns.length, 5);
      assert.deepEqual(await heatmapDom(hmCard), want);

      // The aggregator's legend shows the API's counts.
      const raCard = page.locator(`[data-widget-id="${ra.id}"]`);
      await raCard.getByTestId('widget-legend').waitFor();
      const raApi = await call('GET', `widget/result-aggregator?group_field=result&days=90&for_filter=false&project=${pid}`);
      const legend = await raCard
        .locator('[data-testid="widget-legend"] li')
        .evaluateAll((lis) => lis.map((li) => ({ key: li.getAttribute('data-key'), value: Number(li.querySelector('.ibutsu-legend__value').textContent) })));
      assert.deepEqual(
        legend,
        raApi.map((r) => ({ key: r._id, value: r.count })),
      );
      const total = raApi.reduce((a, r) => a + r.count, 0);
      assert.ok(total >= ctx.data.results.length, 'every seeded result is counted');
      assert.equal((await raCard.locator('.ibutsu-chart svg').first().textContent()).includes(String(total)), true, 'the donut shows the total');

      await tallScreenshots(page, 'dashboard-widgets');

      // A heat cell opens its run.
      const firstCell = want.rows.api.cells.find((c) => c.href);
      await hmCard.locator(`a[href="${firstCell.href}"]`).click();
      await page.waitForURL((u) => u.pathname === firstCell.href);
      ctx.dashboardE2E = { dashboardId, hm, ra };
    },
  },
  {
    name: 'edit a widget, one broken widget, delete a widget and the dashboard',
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      // Own data, so this test also runs alone.
      await waitForSummaries(ctx);
      const d = await call('POST', 'dashboard', { title: 'E2E scratch', project_id: pid });
      const hm = await call('POST', 'widget-config', {
        type: 'widget',
        widget: 'jenkins-heatmap',
        title: 'Scratch heatmap',
        weight: 1,
        dashboard_id: d.id,
        project_id: pid,
        params: { job_name: 'e2e-job', builds: 5, group_field: 'component', count_skips: true, project: pid },
      });
      const summary = await call('POST', 'widget-config', {
        type: 'widget',
        widget: 'result-summary',
        title: 'Summary',
        weight: 2,
        dashboard_id: d.id,
        project_id: pid,
        params: { project: pid },
      });
      // Stored without its required job_name: the API answers 400 for it.
      const broken = await call('POST', 'widget-config', {
        type: 'widget',
        widget: 'jenkins-heatmap',
        title: 'Broken heatmap',
        weight: 3,
        dashboard_id: d.id,
        project_id: pid,
        params: { builds: 5, group_field: 'component' },
      });
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await openDashboard(page, ctx, d.id);

      // The broken widget shows its error; the others still render.
      const brokenCard = page.locator(`[data-widget-id="${broken.id}"]`);
      await brokenCard.getByText('Something went wrong').waitFor();
      await brokenCard.getByText(/job_name/).waitFor();
      page.allowProblem(/400/);
      const sumCard = page.locator(`[data-widget-id="${summary.id}"]`);
      await sumCard.getByTestId('widget-legend').waitFor();
      const sumApi = await call('GET', `widget/result-summary?project=${pid}`);
      const sumLegend = await sumCard
        .locator('[data-testid="widget-legend"] li')
        .evaluateAll((lis) =>
          Object.fromEntries(lis.map((li) => [li.getAttribute('data-key'), Number(li.querySelector('.ibutsu-legend__value').textContent)])),
        );
      for (const k of ['passed', 'failed', 'error', 'skipped', 'xfailed', 'xpassed']) assert.equal(sumLegend[k] ?? 0, sumApi[k], k);
      await tallScreenshots(page, 'dashboard-broken-widget');

      // Edit: the wizard reopens on the parameters with the saved values.
      const hmCard = page.locator(`[data-widget-id="${hm.id}"]`);
      await hmCard.locator('[data-testid="heatmap"] tbody tr').first().waitFor();
      await hmCard.getByRole('button', { name: 'Actions for Scratch heatmap' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const wizard = page.getByRole('dialog', { name: 'Edit widget' });
      assert.equal(await wizard.locator('#widget-param-job_name').inputValue(), 'e2e-job');
      await wizard.locator('#widget-param-builds').fill('3');
      await screenshots(page, 'dashboard-wizard-edit');
      await nextStep(page);
      assert.equal(await wizard.locator('#widget-title').inputValue(), 'Scratch heatmap');
      await wizard.getByRole('button', { name: 'Save changes' }).click();
      await wizard.waitFor({ state: 'detached' });
      const saved = await call('GET', `widget-config/${hm.id}`);
      assert.equal(saved.params.builds, 3);
      const hmApi = await call('GET', `widget/jenkins-heatmap?job_name=e2e-job&builds=3&group_field=component&count_skips=true&project=${pid}`);
      await eventually(async () => assert.deepEqual(await heatmapDom(hmCard), expectedHeatmap(hmApi, pid)));
      assert.equal((await heatmapDom(hmCard)).columns.length, 3);

      // Delete a widget (confirmation first).
      await brokenCard.getByRole('button', { name: 'Actions for Broken heatmap' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete widget?' });
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await brokenCard.waitFor({ state: 'detached' });
      const left = await call('GET', `widget-config?filter=dashboard_id=${d.id}`);
      assert.deepEqual(left.widgets.map((w) => w.id).sort(), [hm.id, summary.id].sort());

      // Make it the project's default (then put the original default back for the other specs).
      const before = await call('GET', `project/${pid}`);
      await page.getByRole('button', { name: 'Dashboard actions' }).click();
      await page.getByRole('menuitem', { name: 'Make default' }).click();
      await eventually(async () => assert.equal((await call('GET', `project/${pid}`)).default_dashboard_id, d.id));
      await page.getByRole('button', { name: 'Select a dashboard' }).click();
      await page
        .getByRole('option', { name: /E2E scratch/ })
        .getByText('default')
        .waitFor();
      await page.keyboard.press('Escape');
      await call('PUT', `project/${pid}`, { default_dashboard_id: before.default_dashboard_id });

      // Delete the dashboard: back to the project's default one.
      await page.getByRole('button', { name: 'Dashboard actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete dashboard' }).click();
      const confirmDash = page.getByRole('dialog', { name: 'Delete dashboard?' });
      await confirmDash.getByText('E2E scratch').waitFor();
      await screenshots(page, 'dashboard-delete-confirm');
      await confirmDash.getByRole('button', { name: 'Delete' }).click();
      const project = await call('GET', `project/${pid}`);
      await page.waitForURL(new RegExp(`/dashboard/${project.default_dashboard_id}$`));
      await assert.rejects(call('GET', `dashboard/${d.id}`), /404/);
      const gone = await call('GET', `widget-config?filter=dashboard_id=${d.id}`);
      assert.equal(gone.widgets.length, 0);
    },
  },
  {
    name: "every widget type renders the API's numbers on one dashboard",
    fn: async (ctx) => {
      const pid = ctx.data.project.id;
      const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
      const d = await call('POST', 'dashboard', { title: 'E2E all widgets', project_id: pid });
      const defs = [
        ['jenkins-heatmap', { job_name: 'e2e-job', builds: 6, group_field: 'component', count_skips: true, project: pid }],
        ['result-summary', { project: pid }],
        ['filter-heatmap', { additional_filters: 'metadata.jenkins.job_name=e2e-job', builds: 4, group_field: 'component', project: pid }],
        ['result-aggregator', { group_field: 'env', days: 90, project: pid }],
        ['jenkins-bar-chart', { job_name: 'e2e-job', builds: 30, project: pid }],
        ['run-aggregator', { group_field: 'component', weeks: 52, project: pid }],
        ['importance-component', { job_name: 'e2e-job', components: 'frontend,backend', builds: 3, group_field: 'component', project: pid }],
        ['jenkins-line-chart', { job_name: 'e2e-job', builds: 30, project: pid }],
        ['run-matrix', { columns: ['component', 'env'], limit: 6, project: pid }],
      ];
      const configs = [];
      for (const [i, [widget, params]] of defs.entries()) {
        configs.push(
          await call('POST', 'widget-config', { type: 'widget', widget, title: widget, params, weight: i + 1, dashboard_id: d.id, project_id: pid }),
        );
      }
      const query = (params) =>
        Object.entries(params)
          .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${encodeURIComponent(x)}`))
          .join('&');
      const apiData = async (c) => call('GET', `widget/${c.widget}?${query(c.params)}`);
      const card = (c) => page.locator(`[data-widget-id="${c.id}"]`);
      /** The visually hidden table behind a chart: row label → cell texts. */
      const chartTable = (c) =>
        card(c)
          .locator('table.pf-v6-screen-reader')
          .evaluate((t) =>
            Object.fromEntries(
              [...t.querySelectorAll('tbody tr')].map((tr) => [tr.querySelector('th').textContent, [...tr.querySelectorAll('td')].map((td) => td.textContent)]),
            ),
          );

      await waitForSummaries(ctx);
      const page = await newPage(ctx);
      await loginFast(page, ctx);
      await openDashboard(page, ctx, d.id);
      for (const c of configs) {
        await waitForWidgetCard(card(c), c.widget);
        assert.equal(await card(c).getByText('Something went wrong').count(), 0, `${c.widget} shows an error`);
        assert.equal(await card(c).getByText('No data').count(), 0, `${c.widget} is empty`);
      }
      const byId = Object.fromEntries(configs.map((c) => [c.widget, c]));

      // jenkins-heatmap with 6 builds: one column per build, numbers as the API's.
      const hm = byId['jenkins-heatmap'];
      assert.deepEqual(await heatmapDom(card(hm)), expectedHeatmap(await apiData(hm), pid));

      // filter-heatmap: each group's cells, newest last.
      const fh = byId['filter-heatmap'];
      const fhApi = await apiData(fh);
      const fhDom = await heatmapDom(card(fh));
      for (const [group, entries] of Object.entries(fhApi.heatmap)) {
        assert.deepEqual(
          fhDom.rows[group].cells.filter((x) => x.href).map((x) => x.text),
          entries.slice(1).map((e) => pct(e[0])),
          group,
        );
      }

      // result-summary: legend counts.
      const rs = byId['result-summary'];
      const rsApi = await apiData(rs);
      const rsDom = await card(rs)
        .locator('[data-testid="widget-legend"] li')
        .evaluateAll((lis) => Object.fromEntries(lis.map((li) => [li.getAttribute('data-key'), Number(li.getAttribute('data-value'))])));
      assert.ok(Object.keys(rsDom).length > 0, 'result-summary has a legend');
      for (const k of Object.keys(rsDom)) assert.equal(rsDom[k], rsApi[k], k);

      // result-aggregator by env.
      const ra = byId['result-aggregator'];
      const raApi = await apiData(ra);
      const raDom = await card(ra)
        .locator('[data-testid="widget-legend"] li')
        .evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-key'), Number(li.getAttribute('data-value'))]));
      assert.deepEqual(
        raDom,
        raApi.map((r) => [r._id, r.count]),
      );

      // jenkins-bar-chart and run-aggregator: the chart's data table.
      const bc = byId['jenkins-bar-chart'];
      const bcApi = await apiData(bc);
      const bcDom = await chartTable(bc);
      assert.deepEqual(
        Object.keys(bcDom),
        Object.keys(bcApi.passed).sort((a, b) => a - b),
      );
      for (const [build, cells] of Object.entries(bcDom)) assert.equal(Number(cells[0]), bcApi.passed[build], `passed in build ${build}`);
      const ag = byId['run-aggregator'];
      const agApi = await apiData(ag);
      const agDom = await chartTable(ag);
      for (const [group, cells] of Object.entries(agDom)) assert.equal(cells[0], `${agApi.passed[group]}%`, `passed share of ${group}`);

      // jenkins-line-chart: hours per build.
      const lc = byId['jenkins-line-chart'];
      const lcApi = await apiData(lc);
      const lcDom = await chartTable(lc);
      for (const [build, cells] of Object.entries(lcDom)) assert.equal(cells[0], `${Math.round(lcApi.duration[build] * 100) / 100} h`);

      // importance-component: the fraction as a percent.
      const ic = byId['importance-component'];
      const icApi = await apiData(ic);
      const fe = icApi.table_data.find((t) => t.component === 'frontend');
      const feDom = await card(ic)
        .locator('[data-component="frontend"] tbody tr')
        .evaluateAll((trs) =>
          Object.fromEntries(trs.map((tr) => [tr.querySelector('th').textContent, [...tr.querySelectorAll('td')].map((td) => td.textContent)])),
        );
      const builds = [...fe.bnums].sort((a, b) => a - b);
      assert.deepEqual(
        feDom.critical,
        builds.map((b) => pct(fe.data[b].critical.percentage * 100)),
      );

      // run-matrix: one row per run, cells as the API's.
      const rm = byId['run-matrix'];
      const rmApi = await apiData(rm);
      const rmDom = await card(rm)
        .locator('[data-testid="run-matrix"] tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      assert.deepEqual(
        rmDom,
        rmApi.rows.map((r) => r.cells.map((x) => (x ? pct(x.percent) : '–'))),
      );

      await tallScreenshots(page, 'dashboard-all-widgets');
      await call('DELETE', `dashboard/${d.id}`);
    },
  },
];

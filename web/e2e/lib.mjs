// Shared helpers for the browser end-to-end tests: an API client for seeding
// and asserting, page setup that fails the test on any console error or
// accessibility violation, and screenshots of a page in both themes (each
// one checked with axe-core).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { checkA11y } from './axe.mjs';

export const artifactsDir = path.resolve(import.meta.dirname, 'artifacts');
export const screenshotsDir = path.join(artifactsDir, 'screenshots');
mkdirSync(screenshotsDir, { recursive: true });

/** Calls the backend's API directly (seeding, and checking what the UI shows). */
export async function apiCall(baseURL, token, method, p, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(baseURL + '/api/' + p.replace(/^\//, ''), { method, headers, body: payload });
  const text = await res.text();
  let data = text;
  try {
    data = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return data;
}

/**
 * Opens a new page that records console errors, failed requests and axe
 * violations; call page.assertClean() at the end of a test (done by the runner).
 * baseURL defaults to the seeded backend's.
 */
export async function newPage(ctx, { baseURL = ctx.baseURL } = {}) {
  const page = await ctx.browser.newPage({ baseURL, viewport: { width: 1440, height: 900 } });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    // PatternFly warns about markup without accessible names (e.g. "Th: Table headers must have an accessible name").
    else if (m.type() === 'warning' && /accessib|aria-label/i.test(m.text())) problems.push(`accessibility warning: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.axeViolations = [];
  page.assertClean = () => {
    if (page.axeViolations.length) {
      throw new assert.AssertionError({ message: `accessibility violations:\n${page.axeViolations.join('\n')}` });
    }
    assert.deepEqual(problems, [], 'the page logged errors');
  };
  page.allowProblem = (re) => {
    for (let i = problems.length - 1; i >= 0; i--) if (re.test(problems[i])) problems.splice(i, 1);
  };
  ctx.pages.push(page);
  return page;
}

/** Logs in through the UI's login form. */
export async function loginUI(page, email, password) {
  await page.goto('/login');
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Logs in by putting a session into localStorage (fast path for later tests). */
export async function loginFast(page, ctx) {
  await page.goto('/login');
  await page.evaluate((s) => {
    localStorage.setItem('ibutsu.session', JSON.stringify(s));
    localStorage.setItem('ibutsu.token', s.token);
  }, ctx.adminSession);
}

/**
 * Shows the page in the light and then the dark theme, calling fn(theme) in
 * each; restores the user's theme. Colour transitions are switched off
 * meanwhile: a contrast check must not see a colour halfway between themes.
 */
async function inBothThemes(page, fn) {
  await page.evaluate(() => {
    const s = document.createElement('style');
    s.id = 'e2e-no-transitions';
    s.textContent = '*, *::before, *::after { transition: none !important; }';
    document.head.append(s);
    if (!s.sheet?.cssRules.length) throw new Error('the no-transitions style was not applied (Content-Security-Policy?)');
  });
  for (const theme of ['light', 'dark']) {
    // Only CSS follows the theme's class (nothing in the app watches it), so
    // the page shows the theme once it has rendered a frame with it: wait
    // for two frames rather than a fixed 100 ms (26 s over the suite).
    await page.evaluate(async (t) => {
      document.documentElement.classList.toggle('pf-v6-theme-dark', t === 'dark');
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const fading = document.getAnimations().filter((a) => a instanceof CSSTransition);
      if (fading.length) throw new Error(`${fading.length} colour transitions still running with transitions off`);
    }, theme);
    await fn(theme);
  }
  await page.evaluate(() => {
    const t = localStorage.getItem('ibutsu.theme');
    document.documentElement.classList.toggle('pf-v6-theme-dark', t === 'dark');
    document.getElementById('e2e-no-transitions')?.remove();
  });
}

/** Time spent in screenshots (the PNGs alone, not their axe checks), for the runner's summary. */
export const screenshotStats = { count: 0, ms: 0 };

/** Saves name-light.png and name-dark.png of the current page and checks both with axe. */
export async function screenshots(page, name) {
  await inBothThemes(page, async (theme) => {
    const started = Date.now();
    await page.screenshot({ path: path.join(screenshotsDir, `${name}-${theme}.png`), fullPage: true });
    screenshotStats.count++;
    screenshotStats.ms += Date.now() - started;
    await checkA11y(page, `${name} (${theme} theme)`);
  });
}

/** Checks the current page with axe in both themes (for states not worth a screenshot). */
export async function a11y(page, name) {
  await inBothThemes(page, (theme) => checkA11y(page, `${name} (${theme} theme)`));
}

/**
 * Retries an async assertion until it passes or timeoutMs runs out
 * (playwright-core has no expect(); this is its polling part).
 */
export async function eventually(fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Waits until a dashboard card is on the page and done loading. A card that is
 * not rendered yet has no spinner either, so "no spinner" alone is not enough.
 */
export async function waitForWidgetCard(card, name, timeoutMs = 20000) {
  await eventually(async () => {
    assert.equal(await card.count(), 1, `${name} card is not on the page`);
    assert.equal(await card.locator('.pf-v6-c-spinner').count(), 0, `${name} still loading`);
  }, timeoutMs);
}

/**
 * Counts the requests a page sends that match pred, from now on:
 * `const c = countRequests(page, (r) => ...); ... c.count, c.requests`.
 */
export function countRequests(page, pred) {
  const out = { count: 0, requests: [] };
  page.on('request', (r) => {
    if (pred(r)) {
      out.count++;
      out.requests.push(r);
    }
  });
  return out;
}

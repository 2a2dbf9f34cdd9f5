// Accessibility checks for the browser end-to-end tests: axe-core's WCAG 2.0
// and 2.1 level A and AA rules, run on a page as it is on screen (lib.mjs's
// screenshots() runs them in both themes for every page state it captures).
// Violations are collected on the page and fail the test at its end, so one
// run lists everything a test found, each with its rule id, the element's
// selector and the rule's help URL.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const axeSource = readFileSync(axePath, 'utf8');

/** The WCAG levels every page must meet. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/**
 * Best-practice rules checked too: empty-table-header is issue #20's
 * "header cells without an accessible name", which no WCAG tag covers.
 */
export const axeExtraRules = ['empty-table-header'];

/**
 * Violations we cannot fix in our code, each limited to one rule and the
 * elements matching (or inside) a selector, with the reason. Keep it short:
 * an entry belongs here only when the markup is PatternFly's or Victory's.
 */
export const axeExceptions = [];

/** Counts the checks run in this process, so the runner can tell a suite that never checked. */
export const axeStats = { runs: 0, pages: new Set(), ms: 0 };

/**
 * Runs axe on the page's current DOM and returns the violations that are
 * not listed in axeExceptions, as readable lines. Throws when axe did not
 * run or returned no passed rules (a check that checked nothing).
 */
export async function axeViolations(page, label) {
  const started = Date.now();
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) {
    // Evaluated through the DevTools protocol: the app's Content-Security-Policy does not apply.
    await page.evaluate(axeSource);
  }
  const results = await page.evaluate(
    async ({ tags, extra, exceptions }) => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        rules: Object.fromEntries(extra.map((id) => [id, { enabled: true }])),
        // Judge one-character text too: a tile's "1" in yellow at 2.2:1 was only "needs review".
        checks: { 'color-contrast': { options: { ignoreLength: true } } },
        resultTypes: ['violations'],
      });
      const waived = (rule, target) => {
        if (target.length !== 1) return false; // inside an iframe or shadow root: never waived
        const el = document.querySelector(target[0]);
        return !!el && exceptions.some((x) => x.rule === rule && el.closest(x.selector));
      };
      return {
        engine: r.testEngine?.name,
        version: r.testEngine?.version,
        url: r.url,
        passes: r.passes.length,
        violations: r.violations
          .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.filter((n) => !waived(v.id, n.target)).map((n) => ({ target: n.target.join(' >>> '), summary: n.failureSummary, html: n.html })),
          }))
          .filter((v) => v.nodes.length > 0),
      };
    },
    { tags: axeTags, extra: axeExtraRules, exceptions: axeExceptions.map(({ rule, selector }) => ({ rule, selector })) },
  );
  assert.equal(results.engine, 'axe-core', `axe did not run on ${label}`);
  assert.ok(results.passes > 0, `axe ran no passing rule on ${label}: nothing was checked`);
  axeStats.runs++;
  axeStats.ms += Date.now() - started;
  axeStats.pages.add(label);
  return results.violations.map((v) => formatViolation(v, label, results));
}

function formatViolation(v, label, results) {
  const lines = [`axe ${results.version}: ${v.id} (${v.impact}) on ${label} at ${results.url}: ${v.help}`, `  help: ${v.helpUrl}`];
  for (const n of v.nodes.slice(0, 8)) {
    lines.push(`  - ${n.target}`);
    lines.push(`      ${n.html.slice(0, 200).replace(/\s+/g, ' ')}`);
    for (const s of (n.summary ?? '').split('\n').slice(0, 4)) lines.push(`      ${s.trim()}`);
  }
  if (v.nodes.length > 8) lines.push(`  … and ${v.nodes.length - 8} more elements`);
  return lines.join('\n');
}

/**
 * Checks the page and records its violations on page.axeViolations; the
 * runner's page.assertClean() fails the test with them.
 */
export async function checkA11y(page, label) {
  const found = await axeViolations(page, label);
  page.axeViolations.push(...found);
  return found;
}

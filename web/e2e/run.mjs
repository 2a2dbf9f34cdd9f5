// Browser end-to-end test runner: builds the backend with the embedded UI,
// starts it on a free port against a fresh embedded database (SQLite, tasks
// in-process), seeds data through the API, then runs every specs/*.spec.mjs
// in Debian's Chromium through playwright-core. Screenshots land in
// e2e/artifacts/screenshots; every screenshot's page is also checked with
// axe-core (e2e/axe.mjs) in both themes.
//
//   node e2e/run.mjs [name-filter[,name-filter...]]
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 keeps the data dir,
// E2E_HEADED=1 shows the browser.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { apiCall, artifactsDir, screenshotStats } from './lib.mjs';
import { axeStats } from './axe.mjs';
import { seed } from './seed.mjs';

const webDir = path.resolve(import.meta.dirname, '..');
const repoDir = path.resolve(webDir, '..');
const filter = process.argv[2] ?? '';
const filters = filter.split(',').filter(Boolean);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitHealthy(url, child, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`backend exited with ${child.exitCode}`);
    try {
      const r = await fetch(url + '/api/health');
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('backend did not become healthy');
}

/** Logs how long each step of the run took, so a slow CI stage shows where its time went. */
function phase(name, started) {
  console.log(`e2e: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const suiteStarted = Date.now();
  if (!existsSync(path.join(webDir, 'dist', 'index.html'))) {
    execFileSync('npm', ['run', 'build'], { cwd: webDir, stdio: 'inherit' });
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ibutsu-e2e-'));
  const bin = path.join(tmp, 'backend');
  console.log('e2e: building backend with the embedded UI');
  let started = Date.now();
  execFileSync('go', ['build', '-tags', 'embedui', '-o', bin, './cmd/backend'], { cwd: repoDir, stdio: 'inherit' });
  phase('building the backend', started);

  const admin = { email: 'admin@example.com', password: 'e2e-Admin-password-1' };
  const backends = [];
  /**
   * Starts a backend on a fresh, empty embedded database whose only user is
   * the bootstrap superadmin; stop() ends it. The suite's seeded backend is
   * the first; a spec that needs a first-start server calls ctx.freshBackend().
   */
  const startBackend = async (name, superadmin) => {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const env = { ...process.env };
    for (const k of Object.keys(env)) {
      if (/^(POSTGRES|DATABASE_URL|REDIS|CELERY|IBUTSU_|APP_CONFIG|SQLITE_PATH)/.test(k)) delete env[k];
    }
    const dataDir = path.join(tmp, name);
    Object.assign(env, {
      PORT: String(port),
      IBUTSU_DATA_DIR: dataDir,
      IBUTSU_SUPERADMIN_EMAIL: superadmin.email,
      IBUTSU_SUPERADMIN_PASSWORD: superadmin.password,
      FRONTEND_URL: baseURL,
      BACKEND_URL: baseURL + '/api',
      LOG_LEVEL: 'warn',
      // 29-webhooks sends to a receiver on this machine, which outbound
      // safety refuses unless allowlisted.
      WEBHOOK_ALLOW: '127.0.0.1/32',
    });
    mkdirp(dataDir);
    const logFile = path.join(artifactsDir, name === 'var' ? 'backend.log' : `backend-${name}.log`);
    const out = openSync(logFile, 'w');
    const child = spawn(bin, [], { cwd: tmp, env, stdio: ['ignore', out, out] });
    backends.push(child);
    try {
      await waitHealthy(baseURL, child);
    } catch (e) {
      child.kill('SIGTERM');
      throw e;
    }
    const stop = async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
    return { baseURL, admin: superadmin, logFile, stop };
  };
  started = Date.now();
  const { baseURL, logFile } = await startBackend('var', admin);
  phase('starting the backend', started);
  let browser;
  let failed = 0;
  let fresh = 0;
  try {
    const adminSession = await apiCall(baseURL, null, 'POST', 'login', admin);
    const ctx = { baseURL, admin, adminSession, token: adminSession.token, repoDir, webDir, pages: [] };
    ctx.freshBackend = () => startBackend(`fresh-${++fresh}`, { email: 'first-admin@example.com', password: 'e2e-First-admin-1' });
    started = Date.now();
    ctx.data = await seed(ctx);
    phase('seeding', started);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: process.env.E2E_HEADED !== '1',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    ctx.browser = browser;

    const specDir = path.join(import.meta.dirname, 'specs');
    const specs = readdirSync(specDir)
      .filter((f) => f.endsWith('.spec.mjs'))
      .sort();
    for (const file of specs) {
      const specStarted = Date.now();
      let ran = 0;
      const mod = await import(path.join(specDir, file));
      for (const t of mod.tests ?? []) {
        const name = `${file.replace('.spec.mjs', '')} › ${t.name}`;
        if (filters.length && !filters.some((f) => name.includes(f))) continue;
        ctx.pages = [];
        ran++;
        const start = Date.now();
        try {
          await t.fn(ctx);
          for (const p of ctx.pages) p.assertClean();
          console.log(`ok   ${name} (${Date.now() - start} ms)`);
        } catch (e) {
          failed++;
          console.log(`FAIL ${name} (${Date.now() - start} ms)\n${e?.stack ?? e}`);
          for (const [i, p] of ctx.pages.entries()) {
            await p.screenshot({ path: path.join(artifactsDir, `failure-${file}-${i}.png`), fullPage: true }).catch(() => undefined);
          }
        } finally {
          for (const p of ctx.pages) await p.close().catch(() => undefined);
        }
      }
      if (ran) phase(file, specStarted);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    for (const child of backends) child.kill('SIGTERM');
    if (process.env.E2E_KEEP !== '1') rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`e2e: axe-core checked ${axeStats.pages.size} page states in ${axeStats.runs} runs (${(axeStats.ms / 1000).toFixed(1)} s)`);
  console.log(`e2e: ${screenshotStats.count} screenshots (${(screenshotStats.ms / 1000).toFixed(1)} s)`);
  phase('the whole run', suiteStarted);
  if (!filter && axeStats.pages.size < 100) {
    console.log('e2e: the accessibility checks covered fewer page states than the suite shows; did screenshots() stop checking?');
    failed++;
  }
  if (failed) {
    console.log(`e2e: ${failed} test(s) failed; backend log: ${logFile}`);
    process.exit(1);
  }
  console.log(`e2e: all tests passed; screenshots in ${path.relative(process.cwd(), artifactsDir)}/screenshots`);
}

function mkdirp(p) {
  execFileSync('mkdir', ['-p', p]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

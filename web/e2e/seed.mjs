// Seed data for the end-to-end tests, written through the public API the
// way CI jobs write it: a project, Jenkins-like runs (job name and build
// number in metadata, several components), results with failures,
// parameters and tracebacks, artifacts (a log and an image), and a second
// user who is not yet in the project.
import { apiCall } from './lib.mjs';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAKklEQVR42mP8z8Dwn4EIwDiqkL4KGRgYGBgYGBgYGBgYGBgYGBgYGBgYAG2wB/8o4pXdAAAAAElFTkSuQmCC',
  'base64',
);

const components = ['frontend', 'backend', 'api'];
const tests = [
  'test_login',
  'test_logout',
  'test_search',
  'test_checkout',
  'test_profile',
  'test_upload',
  'test_download',
  'test_settings',
  'test_admin',
  'test_reports',
];

export async function seed(ctx) {
  const call = (m, p, b) => apiCall(ctx.baseURL, ctx.token, m, p, b);
  const project = await call('POST', 'project', { name: 'e2e-project', title: 'E2E Project' });
  const other = await call('POST', 'project', { name: 'other-project', title: 'Other Project' });

  const runs = [];
  const results = [];
  const t0 = Date.parse('2026-11-20T08:00:00Z');
  for (let build = 1; build <= 6; build++) {
    for (const [ci, component] of components.entries()) {
      const start = new Date(t0 + (build * 3 + ci) * 3600_000).toISOString();
      const run = await call('POST', 'run', {
        start_time: start,
        metadata: {
          project: project.id,
          component,
          env: build % 2 ? 'staging' : 'prod',
          jenkins: { job_name: 'e2e-job', build_number: String(build), build_url: `https://jenkins.example.com/job/e2e-job/${build}/` },
        },
      });
      runs.push(run);
      for (const [ti, name] of tests.entries()) {
        // Deterministic outcomes: later builds fix some tests, break others.
        let outcome = 'passed';
        if ((ti + build + ci) % 7 === 0) outcome = 'failed';
        else if ((ti * build + ci) % 11 === 0) outcome = 'error';
        else if (ti === 9 && build % 3 === 0) outcome = 'skipped';
        const res = await call('POST', 'result', {
          test_id: `tests.${component}.${name}`,
          result: outcome,
          start_time: new Date(Date.parse(start) + ti * 1000).toISOString(),
          duration: 0.5 + ((ti * 7 + build * 3 + ci) % 10) / 4,
          run_id: run.id,
          params: { browser: ti % 2 ? 'firefox' : 'chromium' },
          metadata: {
            project: project.id,
            component,
            env: build % 2 ? 'staging' : 'prod',
            run: run.id,
            fspath: `tests/${component}/test_${name.replace('test_', '')}.py`,
            markers: [{ name: 'tier1' }],
            importance: ti % 3 === 0 ? 'critical' : 'medium',
            jenkins: { job_name: 'e2e-job', build_number: String(build) },
            ...(outcome === 'failed' || outcome === 'error'
              ? {
                  short_tb: `AssertionError: ${name} expected 200, got 500`,
                  traceback: `Traceback (most recent call last):\n  File "tests/${component}.py", line ${10 + ti}, in ${name}\n    assert resp.status_code == 200\nAssertionError: expected 200, got 500`,
                }
              : {}),
            ...(outcome === 'skipped' ? { skip_reason: 'feature flag off' } : {}),
          },
        });
        results.push(res);
      }
    }
  }
  // Artifacts on the first failed result of the newest run: a log and an image.
  const failedResult = results.filter((r) => r.result === 'failed').at(-1);
  const logLines = Array.from(
    { length: 200 },
    (_, i) => `2026-11-28 09:00:${String(i % 60).padStart(2, '0')} INFO step ${i}: ${i === 150 ? 'ERROR connection refused' : 'ok'}`,
  ).join('\n');
  const upload = async (resultId, filename, body, type) => {
    const fd = new FormData();
    fd.append('resultId', resultId);
    fd.append('filename', filename);
    fd.append('file', new Blob([body], { type }), filename);
    return call('POST', 'artifact', fd);
  };
  const logArtifact = await upload(failedResult.id, 'test.log', logLines, 'text/plain');
  const imgArtifact = await upload(failedResult.id, 'screenshot.png', PNG_1x1, 'image/png');

  const member = await call('POST', 'admin/user', {
    email: 'member@example.com',
    name: 'Member User',
    password: 'member-Password-1',
    is_active: true,
    is_superadmin: false,
  });
  return { project, other, runs, results, failedResult, logArtifact, imgArtifact, member };
}

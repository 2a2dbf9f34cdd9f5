/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// What marks code that depends on the time zone: Date objects, locale or Intl
// formatting, the zone helpers, and the API's time fields.
const touchesTime = /\bDate\b|toLocale|Intl\.|testZone|inZone|_time\b|[dD]ate|Time\(/;

// timeTouchingTests lists the test files under src that touch time, or
// whose module under test (the same name without .test) does.
function timeTouchingTests(dir = 'src'): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...timeTouchingTests(path));
    } else if (/\.test\.tsx?$/.test(entry.name)) {
      const subject = path.replace(/\.test\.(tsx?)$/, '.$1');
      const texts = [readFileSync(path, 'utf8'), existsSync(subject) ? readFileSync(subject, 'utf8') : ''];
      if (texts.some((t) => touchesTime.test(t))) out.push(path);
    }
  }
  return out;
}

// The UI is served by the Go backend from the same origin, so the dev server
// only proxies /api to a backend on :8080 (make run).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test-setup.ts'],
    css: false,
    // Every test runs under UTC; every test that touches time runs again
    // under a zone with an offset and daylight saving time, so a test of
    // local-time conversion cannot pass by the machine's zone being UTC (see
    // src/testZone.ts). The second run is limited to those files because it
    // doubled the suite's length for files that render no time at all.
    projects: [
      { extends: true, test: { name: 'UTC', env: { TZ: 'UTC' }, include: ['src/**/*.test.{ts,tsx}'] } },
      {
        extends: true,
        test: { name: 'America/New_York', env: { TZ: 'America/New_York' }, include: timeTouchingTests() },
      },
    ],
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { timeTouchingTests } from './timeZoneTests.js';

// The test files each time zone runs: all of them under UTC, those that touch
// time under America/New_York too (see test.projects below).
const testZones = [
  { zone: 'UTC', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
  { zone: 'America/New_York', include: timeTouchingTests() },
];

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
    // One test worker per core. Vitest's default in run mode is one fewer
    // than the cores, which on CI's two is a single worker: files ran one at
    // a time while the main process (module transforms) sat mostly idle, so
    // about one core went unused. With two workers the same 80 files took
    // 0.53 of the time in a back-to-back run on a two-core machine, for 5 %
    // more CPU (each worker builds its own jsdom and imports).
    maxWorkers: '100%',
    // Every test runs under UTC; every test that touches time runs again
    // under a zone with an offset and daylight saving time, so a test of
    // local-time conversion cannot pass by the machine's zone being UTC (see
    // src/testZone.ts). The second run is limited to those files because it
    // doubled the suite's length for files that render no time at all.
    //
    // Component tests (.test.tsx) run in jsdom; logic tests (.test.ts) run
    // in plain Node.js unless the file asks for jsdom with a
    // `// @vitest-environment jsdom` line. Building a jsdom window was most of
    // the suite's time (113 s of a 121 s run, against 24 s in the tests
    // themselves), and half the files never touch the DOM.
    projects: testZones.flatMap(({ zone, include }) => [
      { extends: true, test: { name: zone, env: { TZ: zone }, include: include.filter((f) => f.endsWith('.tsx')) } },
      {
        extends: true,
        test: { name: `${zone} node`, env: { TZ: zone }, environment: 'node', include: include.filter((f) => !f.endsWith('.tsx')) },
      },
    ]),
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { timeTouchingTests } from './timeZoneTests.js';

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

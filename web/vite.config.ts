/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

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
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // Every test runs twice: under UTC and under a zone with an offset and
    // daylight saving time, so a test of local-time conversion cannot pass by
    // the machine's zone being UTC (see src/testZone.ts).
    projects: [
      { extends: true, test: { name: 'UTC', env: { TZ: 'UTC' } } },
      { extends: true, test: { name: 'America/New_York', env: { TZ: 'America/New_York' } } },
    ],
  },
});

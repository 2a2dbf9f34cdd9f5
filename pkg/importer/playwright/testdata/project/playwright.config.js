// @ts-check
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: './tests',
  retries: 1,
  workers: 1,
  reporter: [['json', { outputFile: 'report.json' }], ['list']],
  metadata: { build: '1234', branch: 'main' },
  projects: [
    { name: 'unit', testMatch: /math\.spec\.js/ },
    { name: 'api', testMatch: /api\.spec\.js/, metadata: { env: 'staging' } },
  ],
});

// Tests that use no browser page, so no browser is needed.
const { test, expect } = require('@playwright/test');
const fs = require('node:fs');
const path = require('node:path');

test.describe('math', () => {
  test('adds', async () => {
    expect(1 + 2).toBe(3);
  });

  test('a wrong expectation fails', { tag: '@smoke' }, async () => {
    console.log('computing 2 + 2');
    expect(2 + 2).toBe(5);
  });

  test('flaky passes on retry', async ({}, testInfo) => {
    await testInfo.attach('attempt', { body: 'retry ' + testInfo.retry, contentType: 'text/plain' });
    expect(testInfo.retry).toBeGreaterThan(0);
  });

  test('skipped with a reason', async () => {
    test.skip(true, 'not on this platform');
  });

  test.fixme('fixme is never run', async () => {});

  test('known bug fails as expected', {
    annotation: { type: 'issue', description: 'https://example.com/issues/42' },
  }, async () => {
    test.fail();
    expect(1).toBe(2);
  });

  test('known bug passes unexpectedly', async () => {
    test.fail();
    expect(1).toBe(1);
  });
});

test('attaches a file and steps', { tag: ['@report', '@files'] }, async ({}, testInfo) => {
  await test.step('write the file', async () => {
    const file = testInfo.outputPath('data.json');
    fs.writeFileSync(file, JSON.stringify({ ok: true }));
    await testInfo.attach('data', { path: file, contentType: 'application/json' });
  });
  await test.step('check', async () => {
    expect(path.basename(testInfo.outputPath('data.json'))).toBe('data.json');
  });
});

const { test, expect } = require('@playwright/test');

test('throws an error', async () => {
  console.error('about to throw');
  throw new TypeError('cannot read property of undefined');
});

test('times out', async () => {
  test.setTimeout(200);
  await new Promise((resolve) => setTimeout(resolve, 1000));
});

test('passes', async () => {
  expect([1, 2, 3]).toContain(2);
});

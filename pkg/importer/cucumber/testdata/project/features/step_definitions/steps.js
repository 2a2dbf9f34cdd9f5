const assert = require('node:assert');
const { After, Given, Status, When, Then } = require('@cucumber/cucumber');

let attempts = 0;

Given('a fresh calculator', function () {
  this.result = 0;
});

When('I add {int} and {int}', function (a, b) {
  this.result = a + b;
});

When('I divide {int} by {int}', function (a, b) {
  return 'pending';
});

Then('the result is {int}', function (want) {
  assert.strictEqual(this.result, want);
});

Then('nothing else happens', function () {});

Given('these rows:', function (table) {
  this.rows = table.hashes();
});

Given('this note:', function (text) {
  this.note = text;
});

Then('a log and a screenshot are attached', async function () {
  this.log('rows: ' + this.rows.length);
  await this.attach('{"rows":2}', 'application/json');
  // a 1x1 PNG
  await this.attach(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'), 'image/png');
});

Then('it passes on the second attempt', function () {
  attempts++;
  if (attempts < 2) {
    throw new Error('not yet (attempt ' + attempts + ')');
  }
});

Given('a step that skips', function () {
  return 'skipped';
});

After(function (scenario) {
  if (scenario.result.status === Status.FAILED) {
    this.attach('state at failure: result=' + this.result, 'text/plain');
  }
});

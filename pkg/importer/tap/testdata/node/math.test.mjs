import { test, describe, it } from 'node:test';
import assert from 'node:assert/strict';

test('adds numbers', () => {
  assert.equal(1 + 2, 3);
});

test('divides', () => {
  assert.equal(7 / 2, 4);
});

test('skipped on this machine', { skip: 'needs a GPU' }, () => {});

test('not written yet', { todo: 'waiting for the API' }, () => {
  assert.fail('unimplemented');
});

describe('strings', () => {
  it('uppercases', () => {
    assert.equal('go'.toUpperCase(), 'GO');
  });
  describe('nested', () => {
    it('throws a TypeError', () => {
      null.length;
    });
    it('logs', (t) => {
      t.diagnostic('a diagnostic from the test');
    });
  });
});

test('async slow', async () => {
  await new Promise((r) => setTimeout(r, 50));
});

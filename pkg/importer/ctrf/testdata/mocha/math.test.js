const assert = require('assert');

describe('math', function () {
  it('adds numbers', function () {
    assert.strictEqual(1 + 2, 3);
  });
  it('divides', function () {
    assert.strictEqual(7 / 2, 4);
  });
  it.skip('needs a GPU', function () {});
  it('is pending');
  describe('slow things', function () {
    it('waits', function (done) {
      setTimeout(done, 60);
    });
    it('throws a TypeError', function () {
      null.length;
    });
  });
});

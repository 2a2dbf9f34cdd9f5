const assert = require('node:assert');
const allure = require('allure-js-commons');

let flakyRuns = 0;

describe('cart', function () {
  before(function () {
    this.items = [];
  });

  after(async function () {
    await allure.attachment('cleanup log', 'cart emptied', 'text/plain');
  });

  it('adds an item', async function () {
    await allure.epic('Shop');
    await allure.feature('Cart');
    await allure.story('Adding items');
    await allure.severity('critical');
    await allure.owner('qa-team');
    await allure.tags('smoke', 'cart');
    await allure.issue('https://example.com/issues/7', 'ISSUE-7');
    await allure.parameter('item', 'apple');
    await allure.description('The cart holds what was added.');
    await allure.step('put the apple in', async () => {
      this.items.push('apple');
    });
    await allure.step('check the cart', async () => {
      assert.deepStrictEqual(this.items, ['apple']);
    });
    await allure.attachment('cart.json', JSON.stringify(this.items), 'application/json');
  });

  it('totals the prices', async function () {
    await allure.severity('normal');
    await allure.step('sum', async () => {
      assert.strictEqual(1 + 1, 3, 'total is wrong');
    });
  });

  it('breaks on a bad item', async function () {
    const item = undefined;
    return item.price;
  });

  it('is skipped at run time', function () {
    this.skip();
  });

  it.skip('is pending', function () {});

  it('is flaky and passes on retry', async function () {
    flakyRuns++;
    await allure.attachment('attempt', 'run ' + flakyRuns, 'text/plain');
    if (flakyRuns < 2) {
      throw new assert.AssertionError({ message: 'first run fails' });
    }
  });
});

describe('checkout', function () {
  for (const method of ['card', 'cash']) {
    it('pays by ' + method, async function () {
      await allure.parameter('method', method);
      await allure.label('layer', 'api');
      await allure.attachment('screenshot', Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'), 'image/png');
    });
  }
});

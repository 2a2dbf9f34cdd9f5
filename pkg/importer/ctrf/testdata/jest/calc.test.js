describe('calc', () => {
  test('adds', () => {
    expect(1 + 2).toBe(3);
  });
  test('divides', () => {
    expect(7 / 2).toBe(4);
  });
  test.skip('skipped on CI', () => {});
  test.todo('handles overflow');
  test('logs to the console', () => {
    console.log('hello from a test');
    expect(true).toBe(true);
  });
  describe('nested', () => {
    test('throws', () => {
      throw new TypeError('bad input');
    });
  });
});

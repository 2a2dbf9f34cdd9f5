import { describe, expect, it } from 'vitest';
import { countResult, isFailure } from './live';

describe('countResult', () => {
  it('counts a result under its outcome and recomputes the pass rate', () => {
    let s = countResult(null, 'passed');
    expect(s).toMatchObject({ tests: 1, passes: 1, pass_percent: 100 });
    s = countResult(s, 'failed');
    expect(s).toMatchObject({ tests: 2, passes: 1, failures: 1, pass_percent: 50 });
    s = countResult(s, 'error');
    expect(s).toMatchObject({ tests: 3, errors: 1, pass_percent: 33 });
  });
  it('counts unknown outcomes only in the total', () => {
    expect(countResult({ tests: 4, passes: 4 }, 'manual')).toMatchObject({ tests: 5, passes: 4, pass_percent: 80 });
  });
});

describe('isFailure', () => {
  it('is failed and error only', () => {
    expect(isFailure({ result: 'failed' })).toBe(true);
    expect(isFailure({ result: 'error' })).toBe(true);
    expect(isFailure({ result: 'skipped' })).toBe(false);
  });
});

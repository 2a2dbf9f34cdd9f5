import { describe, expect, it } from 'vitest';
import { reasonText, share, whereText } from './flaky';

describe('flaky helpers', () => {
  it('formats shares, places and reasons', () => {
    expect(share(0.8)).toBe('80%');
    expect(share(1)).toBe('100%');
    expect(share(null)).toBe('–');
    expect(whereText({ component: 'api', env: null })).toBe('api');
    expect(whereText({ component: 'api', env: 'prod' })).toBe('api · prod');
    expect(whereText({ component: null, env: null })).toBe('–');
    expect(reasonText({ retries: 1, flips: 0, runs: 1 })).toBe('1 retry over 1 run');
    expect(reasonText({ retries: 2, flips: 4, runs: 6 })).toBe('2 retries, 4 flips over 6 runs');
  });
});

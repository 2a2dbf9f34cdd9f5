import { describe, expect, it } from 'vitest';
import { formatPercent, percentOf } from './format';

// One rounding rule for every percentage in the UI: a whole percent,
// rounded down, like the server's summary.pass_percent.
describe('percentOf', () => {
  it('rounds down to a whole percent like the server', () => {
    expect(percentOf(7, 8)).toBe(87); // 87.5
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(2, 3)).toBe(66);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(29, 100)).toBe(29);
    expect(percentOf(4, 4)).toBe(100);
  });
  it('clamps and has no value without tests', () => {
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(-1, 4)).toBe(0);
    expect(percentOf(0, 0)).toBeNull();
    expect(percentOf(1, null)).toBeNull();
    expect(percentOf(Number.NaN, 3)).toBeNull();
  });
});

describe('formatPercent', () => {
  it('shows a whole percent, rounded down', () => {
    expect(formatPercent(87.5)).toBe('87%');
    expect(formatPercent(87)).toBe('87%');
    expect(formatPercent(99.99)).toBe('99%');
    expect(formatPercent(0.29 * 100)).toBe('29%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });
  it('reads the same whether the server or the UI computed it', () => {
    // Runs list shows the server's pass_percent (floor), the run page derives it.
    expect(formatPercent(percentOf(7, 8))).toBe(formatPercent(87));
  });
  it('marks unknown values', () => {
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(undefined)).toBe('–');
    expect(formatPercent(Number.NaN)).toBe('–');
    expect(formatPercent(null, 'n/a')).toBe('n/a');
  });
});

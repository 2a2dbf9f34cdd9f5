import { describe, expect, it } from 'vitest';
import { describeRetention, formToRetention, retentionError, retentionToForm } from './retention';

describe('retention form', () => {
  it('round-trips null, 0 and numbers', () => {
    const f = retentionToForm({ run_days: null, result_days: 0, artifact_days: 30, import_days: 7 });
    expect(f).toEqual({ run_days: '', result_days: '0', artifact_days: '30', import_days: '7' });
    expect(formToRetention(f)).toEqual({ run_days: null, result_days: 0, artifact_days: 30, import_days: 7 });
  });
  it('treats a missing retention as all defaults', () => {
    expect(retentionToForm(undefined)).toEqual({ run_days: '', result_days: '', artifact_days: '', import_days: '' });
  });
  it('rejects negative, fractional and non-numeric values', () => {
    expect(retentionError('-1')).toMatch(/whole number/);
    expect(retentionError('1.5')).toMatch(/whole number/);
    expect(retentionError('abc')).toMatch(/whole number/);
    expect(retentionError('99999999999')).toMatch(/too many/);
    expect(retentionError(' 14 ')).toBeNull();
    expect(formToRetention({ run_days: 'x', result_days: '', artifact_days: '', import_days: '' })).toBeNull();
  });
  it('describes values for lists', () => {
    expect(describeRetention(null)).toBe('default');
    expect(describeRetention(0)).toBe('keep forever');
    expect(describeRetention(1)).toBe('1 day');
    expect(describeRetention(90)).toBe('90 days');
  });
});

import { describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../api/types';
import { formatsSentence, importError, importRunId, isFinished } from './upload';

const imp = (status: string, metadata: Record<string, unknown> | null = null): ImportStatus => ({
  id: 'i',
  filename: 'f.xml',
  format: 'junit',
  status,
  metadata,
});

describe('import helpers', () => {
  it('lists the formats the server reads (the name of a file does not matter)', () => {
    expect(
      formatsSentence([
        { name: 'junit', title: 'JUnit XML' },
        { name: 'tap', title: 'TAP' },
      ]),
    ).toBe('Recognised from the file’s content: JUnit XML, TAP.');
    expect(formatsSentence(null)).toBe('The format is recognised from the file’s content.');
  });
  it('reads the created run id (array or string)', () => {
    expect(importRunId(imp('done', { run_id: ['abc'] }))).toBe('abc');
    expect(importRunId(imp('done', { run_id: 'def' }))).toBe('def');
    expect(importRunId(imp('running', null))).toBeNull();
  });
  it('knows the final states and the error text', () => {
    expect(isFinished('pending')).toBe(false);
    expect(isFinished('running')).toBe(false);
    expect(isFinished('done')).toBe(true);
    expect(isFinished('error')).toBe(true);
    expect(importError(imp('error', { error: 'bad XML' }))).toBe('bad XML');
    expect(importError(imp('error', { errors: ['a', 'b'] }))).toBe('a\nb');
    expect(importError(imp('error', {}))).toBeNull();
  });
});

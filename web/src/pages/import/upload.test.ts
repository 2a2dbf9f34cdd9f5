import { describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../api/types';
import { importError, importFormat, importRunId, isFinished } from './upload';

const imp = (status: string, metadata: Record<string, unknown> | null = null): ImportStatus => ({
  id: 'i',
  filename: 'f.xml',
  format: 'junit',
  status,
  metadata,
});

describe('import helpers', () => {
  it('accepts JUnit XML and archives only', () => {
    expect(importFormat('report.xml')).toBe('junit');
    expect(importFormat('run.tar.gz')).toBe('archive');
    expect(importFormat('report.XML')).toBeNull();
    expect(importFormat('report.zip')).toBeNull();
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

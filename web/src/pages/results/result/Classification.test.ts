// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { changeAuthor, suggestionText } from './Classification';
import { keepTriage } from '../ResultPage';

describe('classification aids', () => {
  it('says what the suggestion rests on', () => {
    expect(suggestionText({ classification: 'environment_failure', fingerprint: 'f', based_on: 1 })).toBe(
      '1 result with the same failure is classified Environment Failure',
    );
    expect(suggestionText({ classification: 'x_custom', fingerprint: 'f', based_on: 3 })).toBe('3 results with the same failure are classified x_custom');
  });
  it('names who changed a classification', () => {
    const c = { old: null, new: 'unknown', user_id: null, user_name: null, fingerprint: null, changed_at: '' };
    expect(changeAuthor({ ...c, by: 'rule' })).toBe('Automatic rule');
    expect(changeAuthor({ ...c, by: 'user', user_name: 'Ann' })).toBe('Ann');
    expect(changeAuthor({ ...c, by: 'user', user_id: '0123456789abcdef' })).toBe('User 01234567');
  });
  it('keeps the triage marks over a saved result', () => {
    const before = {
      id: 'r',
      test_id: 't',
      result: 'failed',
      failure_cluster: { fingerprint: 'f', status: 'known' as const },
      suggested_classification: { classification: 'unknown', fingerprint: 'f', based_on: 2 },
    };
    const saved = keepTriage(before, { id: 'r', test_id: 't', result: 'failed', metadata: { classification: 'unknown' } });
    expect(saved.failure_cluster?.status).toBe('known');
    expect(saved.suggested_classification).toBeNull();
    expect(keepTriage(before, { id: 'r', test_id: 't', result: 'failed', metadata: {} }).suggested_classification?.based_on).toBe(2);
  });
});

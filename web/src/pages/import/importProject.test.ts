// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { defaultImportProject, importBlocker } from './ImportModal';

describe('the import dialog always sends a project', () => {
  it('starts on the picked, opened or only project; none means "create"; several means choose', () => {
    expect(defaultImportProject('p2', 'p1', ['p1', 'p2'])).toBe('p2');
    expect(defaultImportProject('', 'p1', ['p1', 'p2'])).toBe('p1');
    expect(defaultImportProject('', null, ['p1'])).toBe('p1');
    expect(defaultImportProject('', undefined, [])).toBe('__new');
    expect(defaultImportProject('', null, ['p1', 'p2'])).toBe('');
    expect(defaultImportProject('', null, null)).toBe(''); // still loading
  });
  it('says why it cannot start instead of disabling Import', () => {
    expect(importBlocker(false, 'p1')).toBe('Choose a file to import.');
    expect(importBlocker(true, '')).toBe('Choose the project to import into, or create one.');
    expect(importBlocker(true, 'p1')).toBeNull();
  });
});

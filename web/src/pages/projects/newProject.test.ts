import { describe, expect, it } from 'vitest';
import { slugify, validateNewProject } from './newProject';

describe('new project', () => {
  it('derives a name from the title', () => {
    expect(slugify('My Team’s  Tests')).toBe('my-team-s-tests');
    expect(slugify('Café QE / nightly')).toBe('cafe-qe-nightly');
    expect(slugify('  --v2.1 release--  ')).toBe('v2.1-release');
    expect(slugify('')).toBe('');
  });
  it('says what is missing or wrong', () => {
    expect(validateNewProject('', '')).toEqual({ title: 'Give the project a title.', name: expect.stringMatching(/^Give the project a name/) });
    expect(validateNewProject('T', 'a b')).toEqual({ name: 'The name cannot contain spaces.' });
    expect(validateNewProject('T', 't')).toEqual({});
  });
});

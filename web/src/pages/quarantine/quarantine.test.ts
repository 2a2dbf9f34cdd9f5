import { describe, expect, it } from 'vitest';
import { ciSnippet, expiresISO, expiresProblem, patternKind, patternProblem } from './quarantine';

describe('patternProblem', () => {
  it('accepts test ids and globs', () => {
    expect(patternProblem('tests.api.TestOrders.test_create[1.5]')).toBeNull();
    expect(patternProblem('tests.api.*')).toBeNull();
  });
  it('refuses what the server refuses', () => {
    expect(patternProblem('')).toMatch(/Enter/);
    expect(patternProblem(' x')).toMatch(/spaces/);
    expect(patternProblem('a\nb')).toMatch(/Line breaks/);
    expect(patternProblem('***')).toMatch(/every test/);
    expect(patternProblem('a*b*c*d*e*f*')).toMatch(/at most 5/);
    expect(patternProblem('x'.repeat(256))).toMatch(/255/);
  });
  it('tells the kind', () => {
    expect(patternKind('a.b')).toBe('exact');
    expect(patternKind('a.*')).toBe('glob');
  });
});

describe('expiry', () => {
  const now = new Date(2026, 11, 5, 12);
  it('is optional', () => {
    expect(expiresProblem('', now)).toBeNull();
    expect(expiresISO('')).toBeNull();
  });
  it('ends with the picked day', () => {
    expect(new Date(expiresISO('2026-12-31')!).getDate()).toBe(31);
    expect(expiresProblem('2026-12-05', now)).toBeNull();
    expect(expiresProblem('2026-12-04', now)).toMatch(/past/);
    expect(expiresProblem('31.12.2026', now)).toMatch(/YYYY-MM-DD/);
  });
});

describe('ciSnippet', () => {
  it('downloads the list with a token and deselects each id', () => {
    const s = ciSnippet('https://ibutsu.example.com', 'p1');
    expect(s).toContain('https://ibutsu.example.com/api/project/p1/quarantine.txt');
    expect(s).toContain('Authorization: Bearer $IBUTSU_TOKEN');
    expect(s).toContain('--deselect=');
  });
});

import { describe, expect, it } from 'vitest';
import { findMatches, isImageType, isTextType, matchesByLine, searchPattern, segments, splitLines } from './logSearch';

describe('splitLines', () => {
  it('splits on any newline and drops the final empty line', () => {
    expect(splitLines('a\nb\r\nc\rd\n')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['']);
  });
});

describe('findMatches', () => {
  const lines = ['INFO ok', 'ERROR connection refused', 'error again, Error three'];
  it('is case-insensitive plain text by default', () => {
    expect(findMatches(lines, 'error')).toEqual([
      { line: 1, start: 0, end: 5 },
      { line: 2, start: 0, end: 5 },
      { line: 2, start: 13, end: 18 },
    ]);
  });
  it('can be case-sensitive', () => {
    expect(findMatches(lines, 'Error', { caseSensitive: true })).toEqual([{ line: 2, start: 13, end: 18 }]);
  });
  it('escapes regex characters unless asked for a regex', () => {
    expect(findMatches(['a.b', 'axb'], 'a.b')).toEqual([{ line: 0, start: 0, end: 3 }]);
    expect(findMatches(['a.b', 'axb'], 'a.b', { regex: true })).toHaveLength(2);
  });
  it('reports a bad regex and never loops on empty matches', () => {
    expect(typeof searchPattern('(', { regex: true })).toBe('string');
    expect(findMatches(lines, '(', { regex: true })).toEqual([]);
    expect(findMatches(['abc'], 'x*', { regex: true })).toEqual([]);
  });
  it('stops at the limit', () => {
    expect(findMatches(['aaaa', 'aaaa'], 'a', { limit: 3 })).toHaveLength(3);
  });
});

describe('segments', () => {
  it('cuts a line around its matches', () => {
    const m = findMatches(['x ERROR y error'], 'error');
    const byLine = matchesByLine(m);
    expect(segments('x ERROR y error', byLine.get(0)!)).toEqual([{ text: 'x ' }, { text: 'ERROR', match: 0 }, { text: ' y ' }, { text: 'error', match: 1 }]);
    expect(segments('plain', [])).toEqual([{ text: 'plain' }]);
  });
});

describe('content types', () => {
  it('recognises text and images', () => {
    expect(isTextType('text/plain; charset=utf-8', 'x.bin')).toBe(true);
    expect(isTextType('application/octet-stream', 'run.log')).toBe(true);
    expect(isTextType('application/json', 'x')).toBe(true);
    expect(isTextType('image/png', 'shot.png')).toBe(false);
    expect(isImageType('image/png', 'x')).toBe(true);
    expect(isImageType('application/octet-stream', 'shot.PNG')).toBe(true);
    expect(isImageType('text/plain', 'notes.png')).toBe(false);
  });
});

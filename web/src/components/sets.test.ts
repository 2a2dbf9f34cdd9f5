import { describe, expect, it } from 'vitest';
import { toggled } from './sets';

describe('toggled', () => {
  it('adds a missing key and removes a present one, leaving the input as it was', () => {
    const s = new Set(['a']);
    expect([...toggled(s, 'b')]).toEqual(['a', 'b']);
    expect([...toggled(s, 'a')]).toEqual([]);
    expect([...s]).toEqual(['a']);
  });
  it('sets a key to the state asked for', () => {
    const s = new Set(['a']);
    expect([...toggled(s, 'a', true)]).toEqual(['a']);
    expect([...toggled(s, 'b', false)]).toEqual(['a']);
    expect([...toggled(s, 'a', false)]).toEqual([]);
  });
});

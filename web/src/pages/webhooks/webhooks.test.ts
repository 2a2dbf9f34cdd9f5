import { describe, expect, it } from 'vitest';
import { bodyOf, emptyForm, formProblems, randomSecret } from './webhooks';

describe('webhook form', () => {
  it('asks for name, URL, secret and events when adding', () => {
    const p = formProblems({ ...emptyForm(), events: [] }, false);
    expect(Object.keys(p).sort()).toEqual(['events', 'name', 'secret', 'url']);
  });
  it('keeps the secret when editing without typing one', () => {
    const f = { ...emptyForm(), name: 'chat', url: 'https://hooks.example/x' };
    expect(formProblems(f, true)).toEqual({});
    expect(bodyOf(f)).not.toHaveProperty('secret');
    expect(bodyOf({ ...f, secret: 'abcdefghijklmnop' }).secret).toBe('abcdefghijklmnop');
  });
  it('makes secrets long enough', () => {
    expect(randomSecret()).toMatch(/^[0-9a-f]{32}$/);
  });
});

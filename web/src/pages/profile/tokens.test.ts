import { describe, expect, it } from 'vitest';
import { defaultExpiry, expiryProblem, expiryStatus, expiryToISO, parseYmd, passwordProblem, ymd } from './tokens';
import { inZone } from '../../testZone';

describe('passwordProblem', () => {
  it('requires 8+ characters, ≤ 72 bytes and a matching repeat', () => {
    expect(passwordProblem('', '')).toMatch(/Enter/);
    expect(passwordProblem('short', 'short')).toMatch(/8 characters/);
    expect(passwordProblem('é'.repeat(40), 'é'.repeat(40))).toMatch(/too long/);
    expect(passwordProblem('long-enough-1', 'long-enough-2')).toMatch(/do not match/);
    expect(passwordProblem('long-enough-1', 'long-enough-1')).toBeNull();
  });
});

describe('expiry dates', () => {
  it('parses and formats local dates', () => {
    expect(ymd(new Date(2026, 0, 5))).toBe('2026-01-05');
    expect(parseYmd('2026-02-30')).toBeNull();
    expect(parseYmd('nope')).toBeNull();
    expect(parseYmd('2026-12-31')?.getDate()).toBe(31);
  });
  it('defaults to 30 days ahead', () => {
    expect(defaultExpiry(new Date(2026, 10, 29, 15))).toBe('2026-12-29');
  });
  it('expires at the end of the picked local day', () => {
    const iso = expiryToISO('2026-12-29')!;
    const d = new Date(iso);
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2026, 11, 29, 23, 59]);
    expect(iso).toBe(inZone({ UTC: '2026-12-29T23:59:59.000Z', 'America/New_York': '2026-12-30T04:59:59.000Z' }));
    expect(expiryToISO('bad')).toBeNull();
  });
  it('refuses past days but accepts today', () => {
    const now = new Date(2026, 10, 29, 12);
    expect(expiryProblem(new Date(2026, 10, 28), now)).toMatch(/past/);
    expect(expiryProblem(new Date(2026, 10, 29), now)).toBe('');
  });
  it('describes how long a token has left', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(expiryStatus(null, now).text).toBe('never');
    expect(expiryStatus('2026-11-28T12:00:00Z', now)).toMatchObject({ text: 'expired', expired: true });
    expect(expiryStatus('2026-11-29T20:00:00Z', now)).toMatchObject({ soon: true });
    expect(expiryStatus('2026-12-09T12:00:00Z', now)).toMatchObject({ text: 'in 10 days', soon: false });
  });
});

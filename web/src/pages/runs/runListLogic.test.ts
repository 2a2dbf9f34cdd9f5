import { describe, expect, it } from 'vitest';
import { isReceiving } from './runListLogic';

describe('isReceiving', () => {
  const now = Date.parse('2026-11-29T10:00:00Z');
  it('is true while the estimated last result is recent', () => {
    expect(isReceiving({ start_time: '2026-11-29T09:58:00Z', duration: 0 }, now)).toBe(true);
    expect(isReceiving({ start_time: '2026-11-29T09:00:00', duration: 3500 }, now)).toBe(true); // no zone = UTC
    expect(isReceiving({ start_time: '2026-11-29T09:00:00+00:00', duration: 3500 }, now)).toBe(true);
  });
  it('is false for finished, old, future or unknown runs', () => {
    expect(isReceiving({ start_time: '2026-11-29T09:00:00Z', duration: 60 }, now)).toBe(false);
    expect(isReceiving({ start_time: '2026-11-20T09:00:00Z', duration: 9e6 }, now)).toBe(false);
    expect(isReceiving({ start_time: '2026-11-29T11:00:00Z', duration: 0 }, now)).toBe(false);
    expect(isReceiving({ start_time: null, duration: 1 }, now)).toBe(false);
    expect(isReceiving({ start_time: 'garbage', duration: 1 }, now)).toBe(false);
  });
});

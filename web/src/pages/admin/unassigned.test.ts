import { describe, expect, it, vi } from 'vitest';
import { describeMove, moveRuns } from './unassigned';

describe('re-homing unassigned runs', () => {
  it('moves each run and reports the ones refused', async () => {
    const put = vi.fn(async (id: string) => {
      if (id === 'r2') throw new Error('Forbidden');
      return {};
    });
    const o = await moveRuns(['r1', 'r2', 'r3'], 'p1', put);
    expect(put.mock.calls.map((c) => c[0])).toEqual(['r1', 'r2', 'r3']);
    expect(o).toEqual({ moved: ['r1', 'r3'], failed: [{ id: 'r2', error: 'Forbidden' }] });
    expect(describeMove(o, 'Payments')).toBe('Moved 2 runs to Payments; 1 run could not be moved (r2: Forbidden).');
    expect(describeMove({ moved: ['r1'], failed: [] }, 'Payments')).toBe('Moved 1 run to Payments.');
  });
});

// The time zone a test runs in (vite.config.ts runs every test under UTC and
// under America/New_York), for tests whose expected values are literals per
// zone rather than values recomputed the way the code computes them.

export type TestZone = 'UTC' | 'America/New_York';

/** The zone this test process runs in (from TZ, as the Date functions see it). */
export const testZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The literal expected in the current zone; throws in a zone the test does not know. */
export function inZone<T>(expected: Record<TestZone, T>): T {
  if (!(testZone in expected)) throw new Error(`no expected value for time zone ${testZone}; run the tests with npm test`);
  return expected[testZone as TestZone];
}

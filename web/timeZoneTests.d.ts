/** The test files under dir (default src) that touch time; see timeZoneTests.js. */
export function timeTouchingTests(dir?: string): string[];

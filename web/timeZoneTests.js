// Which test files the second time zone runs (vite.config.ts). Plain
// JavaScript because it reads the file system at config time, and the UI's
// type check has no Node.js types; timeZoneTests.d.ts gives its type.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

// What marks code that depends on the time zone: Date objects, locale or Intl
// formatting, the zone helpers, and the API's time fields.
const touchesTime = /\bDate\b|toLocale|Intl\.|testZone|inZone|_time\b|[dD]ate|Time\(/;

/**
 * timeTouchingTests lists the test files under dir that touch time, or whose
 * module under test (the same name without .test) does.
 * @param {string} dir
 * @returns {string[]}
 */
export function timeTouchingTests(dir = 'src') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...timeTouchingTests(path));
    } else if (/\.test\.tsx?$/.test(entry.name)) {
      const subject = path.replace(/\.test\.(tsx?)$/, '.$1');
      const texts = [readFileSync(path, 'utf8'), existsSync(subject) ? readFileSync(subject, 'utf8') : ''];
      if (texts.some((t) => touchesTime.test(t))) out.push(path);
    }
  }
  return out;
}

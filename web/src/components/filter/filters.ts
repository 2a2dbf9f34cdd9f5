// The filter mini-language (docs/api-compatibility.md#filter-language) on the client: parsing the
// `filter` strings a URL carries, writing them back, describing them for
// people, and the fields/operators the filter builder offers.
//
//   filter := FIELD OPERATOR VALUE, FIELD = [A-Za-z0-9._-]+
//
// A URL reproduces a view: ?filter=component=frontend&filter=result*failed;error
// (repeated keys; the API also splits each value on commas, so a value can
// never contain one).

export type Operator = '=' | '!' | '>' | '<' | ')' | '(' | '~' | '*' | '%' | '@';

export interface Filter {
  field: string;
  op: Operator;
  value: string;
}

/** Operators with the readable names the builder shows, in menu order. */
export const OPERATORS: { op: Operator; label: string; symbol: string }[] = [
  { op: '=', label: 'equals', symbol: '=' },
  { op: '!', label: 'does not equal', symbol: '≠' },
  { op: '*', label: 'is one of', symbol: 'in' },
  { op: '%', label: 'contains', symbol: '∋' },
  { op: '~', label: 'matches regex', symbol: '~' },
  { op: '>', label: 'greater than', symbol: '>' },
  { op: ')', label: 'greater than or equal', symbol: '≥' },
  { op: '<', label: 'less than', symbol: '<' },
  { op: '(', label: 'less than or equal', symbol: '≤' },
  { op: '@', label: 'exists', symbol: 'exists' },
];

export function operatorLabel(op: Operator): string {
  return OPERATORS.find((o) => o.op === op)?.label ?? op;
}

export type FieldKind = 'text' | 'number' | 'date' | 'status' | 'id';

export interface FieldDef {
  name: string;
  label: string;
  kind: FieldKind;
  /** Offer the field's distinct values (from the API) as suggestions. */
  suggest?: boolean;
}

/** Which operators make sense for each kind of field. */
const KIND_OPERATORS: Record<FieldKind, Operator[]> = {
  text: ['=', '!', '*', '%', '~', '@'],
  status: ['=', '!', '*'],
  number: ['=', '!', '>', ')', '<', '(', '@'],
  date: [')', '(', '>', '<'],
  id: ['=', '!', '*'],
};

/** Statuses a result can have (the result field's suggestions). */
export const RESULT_STATUSES = ['passed', 'failed', 'error', 'skipped', 'xfailed', 'xpassed', 'manual', 'blocked'];

const common: FieldDef[] = [
  { name: 'component', label: 'Component', kind: 'text', suggest: true },
  { name: 'env', label: 'Environment', kind: 'text', suggest: true },
  { name: 'source', label: 'Source', kind: 'text', suggest: true },
  { name: 'start_time', label: 'Start time', kind: 'date' },
  { name: 'duration', label: 'Duration (s)', kind: 'number' },
  { name: 'metadata.jenkins.job_name', label: 'Jenkins job', kind: 'text', suggest: true },
  { name: 'metadata.jenkins.build_number', label: 'Jenkins build', kind: 'text', suggest: true },
];

/** Fields of GET /run the builder offers (metadata.* may also be typed in). */
export const RUN_FIELDS: FieldDef[] = [
  ...common,
  { name: 'summary.failures', label: 'Failures', kind: 'number' },
  { name: 'summary.errors', label: 'Errors', kind: 'number' },
  { name: 'summary.passes', label: 'Passes', kind: 'number' },
  { name: 'summary.skips', label: 'Skips', kind: 'number' },
  { name: 'summary.tests', label: 'Tests', kind: 'number' },
  { name: 'summary.pass_percent', label: 'Pass %', kind: 'number' },
  { name: 'metadata.tags', label: 'Tags', kind: 'text' },
  { name: 'id', label: 'Run ID', kind: 'id' },
];

/** Fields of GET /result the builder offers (metadata.* may also be typed in). */
export const RESULT_FIELDS: FieldDef[] = [
  { name: 'result', label: 'Result', kind: 'status' },
  { name: 'test_id', label: 'Test ID', kind: 'text' },
  ...common,
  { name: 'metadata.classification', label: 'Classification', kind: 'text', suggest: true },
  { name: 'metadata.exception_name', label: 'Exception', kind: 'text', suggest: true },
  { name: 'metadata.importance', label: 'Importance', kind: 'text', suggest: true },
  { name: 'metadata.markers', label: 'Markers', kind: 'text' },
  { name: 'run_id', label: 'Run ID', kind: 'id' },
  { name: 'id', label: 'Result ID', kind: 'id' },
];

/** The definition of a field: a known one, or a free metadata/data path (text). */
export function fieldDef(name: string, known: FieldDef[]): FieldDef {
  const k = known.find((f) => f.name === name);
  if (k) return k;
  return { name, label: name, kind: 'text', suggest: /^(metadata|data)\.[^.]/.test(name) };
}

export function operatorsFor(def: FieldDef): Operator[] {
  return KIND_OPERATORS[def.kind];
}

const FIELD_RE = /^[A-Za-z0-9._-]+/;
const TWO_CHAR: Record<string, Operator> = { '>=': ')', '<=': '(' };
const ONE_CHAR = new Set<string>(['=', '!', '>', ')', '<', '(', '~', '*', '%', '@']);

/**
 * Parses one filter string as the server does
 * (docs/api-compatibility.md#filter-syntax): the field is matched
 * greedily, two-character operators (>=, <=) are tried first and become
 * their one-character spellings, surrounding double quotes are stripped
 * from the value. Anything else is null (the server ignores it too).
 */
export function parseFilter(s: string): Filter | null {
  const m = FIELD_RE.exec(s);
  if (!m) return null;
  const field = m[0];
  const rest = s.slice(field.length);
  let op: Operator;
  let value: string;
  if (TWO_CHAR[rest.slice(0, 2)]) {
    op = TWO_CHAR[rest.slice(0, 2)];
    value = rest.slice(2);
  } else if (ONE_CHAR.has(rest[0])) {
    op = rest[0] as Operator;
    value = rest.slice(1);
  } else {
    return null;
  }
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return { field, op, value };
}

export function serializeFilter(f: Filter): string {
  return `${f.field}${f.op}${f.value}`;
}

/** Splits `filter` parameters the way the API does (commas separate filters too). */
export function splitFilterParams(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The filters a URL's query carries, in order, without unparseable ones. */
export function filtersFromSearch(params: URLSearchParams): Filter[] {
  return splitFilterParams(params.getAll('filter'))
    .map(parseFilter)
    .filter((f): f is Filter => f !== null);
}

/** A copy of params whose `filter` entries are the given filters (page reset). */
export function withFilters(params: URLSearchParams, filters: Filter[]): URLSearchParams {
  const out = new URLSearchParams(params);
  out.delete('filter');
  out.delete('page');
  for (const f of filters) out.append('filter', serializeFilter(f));
  return out;
}

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Relative start times the builder offers for date fields. The URL keeps the
 * token (`start_time)-7d`), so a bookmarked view stays "the last 7 days";
 * the API query gets the absolute time (resolveRelative).
 */
export const RELATIVE_DATES: { value: string; label: string }[] = [
  { value: '-24h', label: 'last 24 hours' },
  { value: '-7d', label: 'last 7 days' },
  { value: '-30d', label: 'last 30 days' },
];
const RELATIVE_RE = /^-(\d{1,4})([hd])$/;

export function isRelativeDate(v: string): boolean {
  return RELATIVE_RE.test(v.trim());
}

/**
 * The absolute UTC time ("2026-03-01T12:00:00", what the API compares) of a
 * relative token such as -7d, counted back from now rounded down to the
 * minute (so a list's query, and its URL key, changes once a minute, not on
 * every render); null for anything else.
 */
export function resolveRelative(v: string, now = Date.now()): string | null {
  const m = RELATIVE_RE.exec(v.trim());
  if (!m) return null;
  const ms = Number(m[1]) * (m[2] === 'h' ? 3600_000 : 86400_000);
  const t = Math.floor(now / 60_000) * 60_000 - ms;
  return new Date(t).toISOString().slice(0, 19);
}

/** The fields holding timestamps (their relative values are resolved before sending). */
const DATE_FIELDS = new Set(['start_time', 'created']);

/** A filter as the API takes it: a relative date made absolute. */
export function apiFilterString(f: Filter, now = Date.now()): string {
  if (DATE_FIELDS.has(f.field)) {
    const abs = resolveRelative(f.value, now);
    if (abs) return serializeFilter({ ...f, value: abs });
  }
  return serializeFilter(f);
}

/** Why one value cannot be of a field of this kind (as the server would refuse it), or null. */
function valueProblem(kind: FieldKind, label: string, v: string): string | null {
  switch (kind) {
    case 'number':
      return NUMBER_RE.test(v) ? null : `${label} takes a number (e.g. 1.5), not "${v}".`;
    case 'id':
      return UUID_RE.test(v) ? null : `${label} takes a full UUID, not "${v}".`;
    case 'date':
      return ISO_DATE_RE.test(v) || isRelativeDate(v) ? null : `${label} takes a date such as 2026-03-01 or 2026-03-01T12:00, not "${v}".`;
  }
  return null;
}

/**
 * Why a filter cannot be applied, or null when it can. With the field's
 * definition the value is also checked against its type (numbers, UUIDs,
 * dates) and a regular expression must compile, so the user hears what is
 * wrong before the server refuses it.
 */
export function validateFilter(f: Filter, def?: FieldDef): string | null {
  if (!f.field || !/^[A-Za-z0-9._-]+$/.test(f.field)) return 'Choose a field (letters, digits, ".", "_" or "-").';
  if (/^(metadata|data|summary)\.?$/.test(f.field) || f.field.endsWith('.') || f.field.includes('..')) {
    return 'Give a path below metadata, e.g. metadata.jenkins.job_name.';
  }
  if (f.op === '@') return null;
  if (!f.value.trim()) return 'Enter a value.';
  if (f.value.includes(',')) return 'Values cannot contain a comma; use "is one of" with ";" between values.';
  if (f.op === '*' && f.value.split(';').every((v) => !v.trim())) return 'Enter at least one value.';
  if (f.op === '~') {
    try {
      new RegExp(f.value);
    } catch {
      return `"${f.value}" is not a valid regular expression (check brackets and escapes).`;
    }
    return null;
  }
  if (!def || f.op === '%') return null;
  const values = f.op === '*' ? f.value.split(';').filter((v) => v.trim()) : [f.value];
  for (const v of values) {
    const p = valueProblem(def.kind, def.label, v.trim());
    if (p) return p;
  }
  return null;
}

/** A filter for people: "Component equals frontend", "Result is one of failed, error". */
export function describeFilter(f: Filter, known: FieldDef[]): { field: string; text: string } {
  const field = fieldDef(f.field, known).label;
  let text: string;
  switch (f.op) {
    case '@':
      text = /^[yt1]/i.test(f.value) ? 'is set' : 'is not set';
      break;
    case '*':
      text = `is one of ${f.value.split(';').filter(Boolean).join(', ')}`;
      break;
    case ')':
    case '>':
      text = isRelativeDate(f.value)
        ? `in the ${RELATIVE_DATES.find((r) => r.value === f.value.trim())?.label ?? f.value}`
        : `${operatorLabel(f.op)} ${f.value}`;
      break;
    default:
      text = `${operatorLabel(f.op)} ${f.value}`;
  }
  return { field, text };
}

/** One sort key: a field and a direction, written `field` or `-field`. */
export interface SortKey {
  field: string;
  desc: boolean;
}

export function parseSort(s: string | null | undefined): SortKey | null {
  const v = (s ?? '').split(',')[0].trim();
  if (!v) return null;
  if (v.startsWith('-')) return v.length > 1 ? { field: v.slice(1), desc: true } : null;
  return { field: v.replace(/^\+/, ''), desc: false };
}

export function serializeSort(k: SortKey | null): string {
  return k ? (k.desc ? '-' : '') + k.field : '';
}

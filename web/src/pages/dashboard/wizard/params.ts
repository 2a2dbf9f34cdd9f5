// The widget wizard's parameter form, as plain functions: form values from
// a widget type's declared params (defaults, the current project, or an
// existing widget's params), validation messages, and the typed params that
// are saved in the widget config. Messages name params by their labels;
// durations are text ("7 days") in the form and numbers of the declared unit
// in the saved params.
import type { WidgetParamDef, WidgetType } from '../../../api/types';
import { formatHumanDuration, parseDuration, UNIT_SECONDS, type DurationUnit } from './durations';
import { paramSpec } from './paramSpecs';

/** Text inputs hold strings (lists one item per line), checkboxes booleans. */
export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;

function toFormValue(p: WidgetParamDef, v: unknown): FormValue {
  if (p.type === 'boolean') {
    if (typeof v === 'string') return /^[yt1]/i.test(v);
    return Boolean(v);
  }
  if (v === null || v === undefined) return '';
  const unit = paramSpec(p.name, p.type).duration;
  if (unit && (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)))) {
    return formatHumanDuration(Number(v) * UNIT_SECONDS[unit], unit);
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * The starting values: an existing widget's params when editing, otherwise
 * each param's declared default; a `project` param gets the current project.
 */
export function initialValues(type: WidgetType, projectId: string | null, existing?: Record<string, unknown> | null): FormValues {
  const out: FormValues = {};
  for (const p of type.params ?? []) {
    if (existing && p.name in existing) out[p.name] = toFormValue(p, existing[p.name]);
    else if (p.name === 'project' && projectId) out[p.name] = projectId;
    else if (p.default !== undefined && p.default !== null) out[p.name] = toFormValue(p, p.default);
    else out[p.name] = p.type === 'boolean' ? false : '';
  }
  return out;
}

function listItems(v: FormValue): string[] {
  return typeof v === 'string'
    ? v
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/**
 * A duration param's value in its unit, or an error message: whole units
 * for an integer param ("4 weeks", not "10 days").
 */
export function durationValue(label: string, text: string, unit: DurationUnit, integer: boolean): number | string {
  const seconds = parseDuration(text, unit);
  if (seconds === null) return `${label}: enter a duration such as “7 days”, “12 hours” or “2 weeks”.`;
  const n = seconds / UNIT_SECONDS[unit];
  if (integer && !Number.isInteger(n)) return `${label} must be whole ${unit}s, e.g. “4 ${unit}s”.`;
  return Math.round(n * 1e6) / 1e6;
}

/** One message per invalid param (missing required value, not a number, ...). */
export function validate(type: WidgetType, values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of type.params ?? []) {
    const v = values[p.name];
    if (p.type === 'boolean') continue;
    const { label, duration } = paramSpec(p.name, p.type);
    const s = typeof v === 'string' ? v.trim() : '';
    if (p.type === 'list') {
      if (p.required && listItems(v ?? '').length === 0) errors[p.name] = `Enter at least one value for ${label}.`;
      continue;
    }
    if (s === '') {
      if (p.required) errors[p.name] = `${label} is required.`;
      continue;
    }
    if (duration) {
      const d = durationValue(label, s, duration, p.type === 'integer');
      if (typeof d === 'string') errors[p.name] = d;
    } else if (p.type === 'integer') {
      if (!/^-?\d+$/.test(s)) errors[p.name] = `${label} must be a whole number.`;
      else if (Number(s) < 0) errors[p.name] = `${label} cannot be negative.`;
    } else if (p.type === 'float') {
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) errors[p.name] = `${label} must be a number.`;
      else if (Number(s) < 0) errors[p.name] = `${label} cannot be negative.`;
    }
  }
  return errors;
}

/** The params to save: typed by declaration; empty optional values are left out. */
export function toParams(type: WidgetType, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of type.params ?? []) {
    const v = values[p.name];
    if (p.type === 'boolean') {
      out[p.name] = Boolean(v);
      continue;
    }
    if (p.type === 'list') {
      const items = listItems(v ?? '');
      if (items.length) out[p.name] = items;
      continue;
    }
    const s = typeof v === 'string' ? v.trim() : '';
    if (s === '') continue;
    const unit = paramSpec(p.name, p.type).duration;
    if (unit) {
      const d = durationValue(p.name, s, unit, p.type === 'integer');
      if (typeof d === 'number') out[p.name] = d;
    } else if (p.type === 'integer') out[p.name] = parseInt(s, 10);
    else if (p.type === 'float') out[p.name] = parseFloat(s);
    else out[p.name] = s;
  }
  return out;
}

/** Title, weight: the last step's fields. */
export function validateDetails(title: string, weight: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!title.trim()) errors.title = 'Give the widget a title.';
  if (weight.trim() !== '' && !/^\d+$/.test(weight.trim())) errors.weight = 'The weight must be a whole number, 0 or more.';
  return errors;
}

/** The weight for a new widget: after the dashboard's existing widgets. */
export function nextWeight(weights: (number | null | undefined)[]): number {
  const ws = weights.filter((w): w is number => typeof w === 'number');
  return ws.length ? Math.max(...ws) + 1 : 10;
}

/**
 * The params a saved widget is fetched with: its params plus, when the type
 * takes a `project` and none is set, the widget's project (as upstream).
 * Params the type does not declare are dropped (the API answers 400 for them).
 */
export function fetchParams(
  params: Record<string, unknown> | null | undefined,
  type: WidgetType | undefined,
  projectId: string | null | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(params ?? {}) };
  if (type) {
    const names = new Set((type.params ?? []).map((p) => p.name));
    for (const k of Object.keys(out)) if (!names.has(k)) delete out[k];
    if (names.has('project') && !out.project && projectId) out.project = projectId;
  }
  return out;
}

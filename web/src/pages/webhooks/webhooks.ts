// Texts and form rules of the webhooks page, kept apart so they can be
// unit tested.
import type { Webhook } from '../../api/types';

export const eventLabels: Record<string, string> = {
  'run.finished': 'Run finished',
  'run.new_failures': 'New failures in a run',
  'test.flaky': 'Test turned flaky',
  'import.done': 'Import done',
  'import.failed': 'Import failed',
  'webhook.test': 'Test event',
};

export const formatLabels: Record<Webhook['format'], string> = {
  json: 'Ibutsu JSON',
  slack: 'Slack / Mattermost',
  teams: 'Microsoft Teams',
};

export interface WebhookForm {
  name: string;
  url: string;
  secret: string;
  events: string[];
  format: Webhook['format'];
  enabled: boolean;
}

export function emptyForm(): WebhookForm {
  return { name: '', url: '', secret: '', events: ['run.finished'], format: 'json', enabled: true };
}

export function formOf(w: Webhook): WebhookForm {
  return { name: w.name, url: w.url, secret: '', events: [...w.events], format: w.format, enabled: w.enabled };
}

/** The problems of a form, by field; editing may leave the secret empty (unchanged). */
export function formProblems(f: WebhookForm, editing: boolean): Partial<Record<keyof WebhookForm, string>> {
  const p: Partial<Record<keyof WebhookForm, string>> = {};
  if (!f.name.trim()) p.name = 'Give the webhook a name.';
  if (!/^https?:\/\/[^/\s]+/i.test(f.url.trim())) p.url = 'Enter an http:// or https:// URL.';
  if (!(editing && f.secret === '') && (f.secret.length < 16 || f.secret.length > 255)) p.secret = 'Use 16 to 255 characters.';
  if (f.events.length === 0) p.events = 'Choose at least one event.';
  return p;
}

/** The request body of a form: the secret only when typed. */
export function bodyOf(f: WebhookForm): Record<string, unknown> {
  const b: Record<string, unknown> = { name: f.name.trim(), url: f.url.trim(), events: f.events, format: f.format, enabled: f.enabled };
  if (f.secret !== '') b.secret = f.secret;
  return b;
}

/** A random secret of 32 hex characters. */
export function randomSecret(): string {
  const a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('');
}

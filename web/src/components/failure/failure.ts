// Why a result failed, from what the server stores: metadata.exception_name
// (the exception type / JUnit `type`), metadata.short_tb (pytest-ibutsu's
// short traceback, or the JUnit failure message — the importer puts it
// there) and metadata.traceback. For JUnit imports the failure's text lives
// only in the traceback.log artifact; readTextHead fetches a bounded start of it.
import { ApiError, apiUrl, getToken } from '../../api/client';
import type { Result } from '../../api/types';

/** At most this many bytes of a traceback artifact are shown inline. */
export const MAX_INLINE_TRACEBACK = 64 * 1024;

/** Most characters of the message shown under a reason in a table. */
export const MAX_REASON_DETAIL = 300;

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

export interface Failure {
  /** The exception type, e.g. "AssertionError", or null. */
  exception: string | null;
  /** The failure message (short traceback), or null. */
  message: string | null;
}

/** The exception name and message of a result, as far as its metadata knows them. */
export function failureOf(r: Pick<Result, 'metadata'>): Failure {
  const md = r.metadata ?? {};
  return { exception: text(md.exception_name), message: text(md.short_tb) ?? text(md.message) };
}

/**
 * The line of a message that says most: pytest's short traceback (last
 * lines of the report, then the exception) has its reason on the line
 * starting "E "; a JUnit message's reason is its first line.
 */
function headlineIndex(lines: string[]): number {
  const e = lines.findIndex((l) => /^E\s/.test(l.trim()));
  return e >= 0 ? e : lines.findIndex((l) => l.trim() !== '');
}

function splitMessage(message: string | null): { head: string; rest: string } {
  if (!message) return { head: '', rest: '' };
  const lines = message.split('\n');
  const i = headlineIndex(lines);
  if (i < 0) return { head: '', rest: '' };
  const head = lines[i].trim().replace(/^E\s+/, '');
  const rest = [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n').trim();
  return { head, rest };
}

/**
 * One line saying why a result failed: "AssertionError: expected 1, got 2".
 * The exception name is not repeated when the line already starts with it.
 */
export function failureReason(r: Pick<Result, 'metadata'>): string {
  const { exception, message } = failureOf(r);
  const { head } = splitMessage(message);
  if (!exception) return head;
  if (!head || head.startsWith(exception)) return head || exception;
  return `${exception}: ${head}`;
}

/** The rest of the message (without the reason's line), bounded, for a second line under the reason. */
export function failureDetail(r: Pick<Result, 'metadata'>): string {
  const { rest } = splitMessage(failureOf(r).message);
  return rest.length > MAX_REASON_DETAIL ? `${rest.slice(0, MAX_REASON_DETAIL)}…` : rest;
}

/** The start of a text resource: at most maxBytes are read, the rest is not downloaded. */
export async function readTextHead(path: string, maxBytes: number, signal?: AbortSignal): Promise<{ text: string; truncated: boolean }> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(apiUrl(path), { headers, signal });
  if (!res.ok) throw new ApiError(res.status, `Request failed with status ${res.status}`, null);
  if (!res.body) {
    const all = new Uint8Array(await res.arrayBuffer());
    return { text: decode(all.subarray(0, maxBytes)), truncated: all.length > maxBytes };
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > maxBytes) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return { text: decode(all.subarray(0, maxBytes)), truncated };
}

function decode(b: Uint8Array): string {
  // A cut in the middle of a UTF-8 sequence decodes to U+FFFD; drop it.
  return new TextDecoder().decode(b).replace(/\uFFFD$/, '');
}

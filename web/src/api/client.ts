// A small fetch wrapper for the Ibutsu REST API: same origin, bearer token
// from the session, JSON in and out, typed errors, and one place that turns a
// 401 into "back to the login page".

const TOKEN_KEY = 'ibutsu.token';

export class ApiError extends Error {
  status: number;
  body: unknown;
  constructor(status: number, message: string, body: unknown) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Registers what happens when any call answers 401 (the auth provider logs out). */
export function setUnauthorizedHandler(h: UnauthorizedHandler | null) {
  onUnauthorized = h;
}

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export type QueryValue = string | number | boolean | undefined | null | string[];

/** Builds "/api/<path>?a=1&filter=x&filter=y" (arrays repeat the key, as the API expects). */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = new URL('/api/' + path.replace(/^\/+/, ''), window.location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) v.forEach((x) => url.searchParams.append(k, x));
      else url.searchParams.set(k, String(v));
    }
  }
  return url.pathname + url.search;
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Skip the 401 → login redirect (the login form itself). */
  noAuthRedirect?: boolean;
}

function errorMessage(status: number, body: unknown): string {
  if (typeof body === 'string' && body) return body;
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    for (const k of ['detail', 'message', 'error', 'title']) {
      if (typeof o[k] === 'string' && o[k]) return o[k] as string;
    }
  }
  return `Request failed with status ${status}`;
}

/**
 * A 401 ends the session only when the token itself was refused (the auth
 * middleware answers application/problem+json). Upstream also answers 401
 * "Unauthorized" (plain JSON) for a project the user cannot see
 * (GET /project/{id}, /project/filter-params/{id}); that must not log out.
 */
export function sessionRejected(res: Response): boolean {
  return (res.headers.get('Content-Type') ?? '').includes('problem+json');
}

/** Calls the API and returns the parsed JSON body (or text for non-JSON answers). */
export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(apiUrl(path, opts.query), {
    method: opts.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    signal: opts.signal,
  });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('Content-Type') ?? '').includes('json') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.noAuthRedirect && onUnauthorized && sessionRejected(res)) onUnauthorized();
    throw new ApiError(res.status, errorMessage(res.status, parsed), parsed);
  }
  return parsed as T;
}

/** Fetches a binary/text resource with the token (artifact view/download). */
export async function apiBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(apiUrl(path), { headers, signal });
  if (!res.ok) {
    if (res.status === 401 && onUnauthorized && sessionRejected(res)) onUnauthorized();
    throw new ApiError(res.status, `Request failed with status ${res.status}`, await res.text());
  }
  return res.blob();
}

/** A readable message for a failed API call (or anything else thrown). */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

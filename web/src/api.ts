/**
 * The page's HTTP client: same-origin fetches authenticated by the session cookie, ETag revalidation
 * (If-None-Match; a 304 reuses the kept body, so polling costs no JSON), and the CSRF header the
 * server requires on every state-changing request made with the cookie (api/auth.ts).
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const MAX_KEPT = 200;
const kept = new Map<string, { etag: string; body: unknown; snapshot: string | null }>();
let csrf: string | null = null;
/** Revalidations answered 304, shown in the header (the ETag polling at work). */
export const stats = { requests: 0, notModified: 0 };
let onUnauthorized: (e: ApiError) => void = () => {};

export function setCsrf(token: string | null): void {
  csrf = token;
}
export function handleUnauthorized(f: (e: ApiError) => void): void {
  onUnauthorized = f;
}

async function failure(r: Response): Promise<ApiError> {
  let code = 'HTTP_' + r.status, message = r.statusText;
  try {
    const b = (await r.json()) as { code?: string; message?: string };
    code = b.code ?? code;
    message = b.message ?? message;
  } catch { /* not a JSON error body */ }
  const e = new ApiError(r.status, code, message);
  if (r.status === 401) onUnauthorized(e);
  return e;
}

export interface Got<T> { body: T; fresh: boolean; snapshot: string | null }

/** GET with revalidation: `fresh` is false when the server answered 304. */
export async function getWithMeta<T>(url: string): Promise<Got<T>> {
  const k = kept.get(url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (k !== undefined) headers['if-none-match'] = k.etag;
  stats.requests++;
  // cache: 'no-store' so the browser's own cache does not turn our 304 into a silent 200.
  const r = await fetch(url, { credentials: 'same-origin', cache: 'no-store', headers });
  if (r.status === 304 && k !== undefined) {
    stats.notModified++;
    return { body: k.body as T, fresh: false, snapshot: k.snapshot };
  }
  if (!r.ok) throw await failure(r);
  const body = (await r.json()) as T;
  const etag = r.headers.get('etag');
  const snapshot = r.headers.get('x-snapshot');
  if (etag !== null) {
    kept.delete(url);
    kept.set(url, { etag, body, snapshot });
    if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  }
  return { body, fresh: true, snapshot };
}

export async function get<T>(url: string): Promise<T> {
  return (await getWithMeta<T>(url)).body;
}

export async function send<T>(method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf !== null) headers['x-csrf-token'] = csrf;
  const r = await fetch(url, { method, credentials: 'same-origin', cache: 'no-store', headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (!r.ok) throw await failure(r);
  return (r.status === 204 ? null : await r.json()) as T;
}

export const enc = encodeURIComponent;

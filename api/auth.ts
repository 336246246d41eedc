/**
 * API keys: `sn_<id>_<secret>` bearer tokens with scopes read < write < admin (each includes the
 * ones before it). Only the SHA-256 of a key is stored (keys are 32 random bytes, so a fast hash is
 * enough; there is nothing to brute-force). Key records live in <dataDir>/.api-keys.json (mode 0600).
 *
 * First start: with no key file and no configured key, an admin key is generated, its hash stored,
 * and the plain key written once to <dataDir>/.admin-key (mode 0600) so `npm start` can print it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SupernodeError } from '../engine/errors.js';
import { writeFileDurable } from '../engine/store/durable.js';

export type Scope = 'read' | 'write' | 'admin';
const LEVEL: Readonly<Record<Scope, number>> = Object.freeze({ read: 1, write: 2, admin: 3 });

export interface KeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scope: Scope;
  /** hex SHA-256 of the whole key. */
  readonly hash: string;
  readonly created: string;
  /** Requests per minute for this key; default: the server's. */
  readonly rateLimit?: number;
}

export interface Principal {
  readonly keyId: string;
  readonly scope: Scope;
  readonly rateLimit: number | undefined;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `sn_<12 hex id>_<32 random bytes, base64url>`. */
function newKey(): string {
  return `sn_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('base64url')}`;
}

export function allows(have: Scope, need: Scope): boolean {
  return LEVEL[have] >= LEVEL[need];
}

export class KeyStore {
  private readonly file: string;
  private records: KeyRecord[] = [];
  private readonly byId = new Map<string, KeyRecord>();
  /** Verified tokens -> principal, so the hot path hashes a key once (bounded; only valid keys). */
  private readonly verified = new Map<string, Principal>();
  /** The last key-file write: saves run one after another (engine/store/durable.ts). */
  private saving: Promise<void> = Promise.resolve();

  constructor(readonly dataDir: string) {
    this.file = path.join(dataDir, '.api-keys.json');
  }

  get adminKeyFile(): string {
    return path.join(this.dataDir, '.admin-key');
  }

  /**
   * Loads the key file; returns a freshly generated admin key when there was none. The plain key
   * file is written before the records, so a failed start (STORAGE_FULL) never leaves a stored
   * admin key that nobody was shown.
   */
  async init(configured: readonly { key: string; scope: Scope; name?: string; rateLimit?: number }[] = []): Promise<{ adminKey: string | null }> {
    await fsp.mkdir(this.dataDir, { recursive: true });
    let text: string | null = null;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (text !== null) {
      const parsed = JSON.parse(text) as { keys: KeyRecord[] };
      this.records = parsed.keys.filter((k) => typeof k.hash === 'string' && k.scope in LEVEL);
    }
    const known = this.records.length;
    for (const c of configured) this.addRecord(c.key, c.scope, c.name ?? 'configured', c.rateLimit);
    this.reindex();
    if (this.records.length > 0) {
      // Only a new configured key is written: a restart on a full disk must still start.
      if (this.records.length > known) await this.save();
      return { adminKey: null };
    }
    const key = newKey();
    await writeFileDurable(this.adminKeyFile, `${key}\n`, { mode: 0o600, what: 'the admin key file' });
    this.addRecord(key, 'admin', 'admin', undefined);
    await this.save();
    return { adminKey: key };
  }

  /**
   * A new key; the plain key is returned once and never stored. Rejects (STORAGE_FULL on a full
   * disk) with the key not created when its record cannot be written.
   */
  async create(scope: Scope, name: string, rateLimit?: number): Promise<{ key: string; record: KeyRecord }> {
    const key = newKey();
    const record = this.addRecord(key, scope, name, rateLimit);
    try {
      await this.save();
    } catch (e) {
      this.records = this.records.filter((r) => r !== record);
      this.reindex();
      throw e;
    }
    return { key, record };
  }

  private addRecord(key: string, scope: Scope, name: string, rateLimit: number | undefined): KeyRecord {
    const hash = hashKey(key);
    const existing = this.records.find((r) => r.hash === hash);
    if (existing) return existing;
    const id = /^sn_([0-9a-f]{12})_/.exec(key)?.[1] ?? hash.slice(0, 12);
    const record: KeyRecord = { id, name, scope, hash, created: new Date().toISOString(), ...(rateLimit !== undefined && { rateLimit }) };
    this.records.push(record);
    this.reindex();
    return record;
  }

  list(): KeyRecord[] {
    return [...this.records];
  }

  /** Whether a key id is still on record (a revoked key ends its dashboard sessions). */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Revokes a key; rejects (the key stays valid) when the change cannot be written. */
  async revoke(id: string): Promise<boolean> {
    const removed = this.records.filter((r) => r.id === id);
    if (removed.length === 0) return false;
    this.records = this.records.filter((r) => r.id !== id);
    this.reindex();
    this.verified.clear();
    try {
      await this.save();
    } catch (e) {
      this.records.push(...removed);
      this.reindex();
      throw e;
    }
    return true;
  }

  /**
   * The principal for an Authorization header value, or a coded 401. With `client` (the caller's
   * IP), wrong keys count against that IP in `throttle`; past its budget the IP gets 429 for any key
   * not verified before (so a dashboard behind the same address keeps working, a guesser does not).
   */
  authenticate(header: string | undefined, client?: { ip: string; throttle: AuthThrottle }): Principal {
    const token = bearerToken(header);
    if (token === null) throw new SupernodeError('UNAUTHORIZED', 'missing Authorization: Bearer <key>');
    const cached = this.verified.get(token);
    if (cached !== undefined) return cached;
    client?.throttle.check(client.ip);
    try {
      return this.verify(token);
    } catch (e) {
      client?.throttle.fail(client.ip);
      throw e;
    }
  }

  private verify(token: string): Principal {
    const hash = hashKey(token);
    const want = Buffer.from(hash, 'hex');
    let found: KeyRecord | undefined;
    for (const r of this.records) {
      const have = Buffer.from(r.hash, 'hex');
      if (have.length === want.length && timingSafeEqual(have, want)) found = r;
    }
    if (found === undefined) throw new SupernodeError('UNAUTHORIZED', 'unknown API key');
    const p: Principal = { keyId: found.id, scope: found.scope, rateLimit: found.rateLimit };
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(token, p);
    return p;
  }

  private reindex(): void {
    this.byId.clear();
    for (const r of this.records) this.byId.set(r.id, r);
  }

  /** Writes the records as they are when this write's turn comes (writes run one at a time). */
  private save(): Promise<void> {
    const write = this.saving.then(() => writeFileDurable(this.file, `${JSON.stringify({ keys: this.records }, null, 2)}\n`, { mode: 0o600, what: 'the API key records' }));
    this.saving = write.catch(() => undefined);
    return write;
  }
}

/**
 * The token of an `Authorization: Bearer <token>` header, or null. RFC 7235 section 2.1: the scheme
 * is case-insensitive (`bearer`, `BEARER`) and followed by one or more spaces.
 */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^bearer +(\S+) *$/i.exec(header);
  return m === null ? null : m[1]!;
}

/**
 * Failed authentications per client IP in fixed windows: past `max` failures in a window, `check`
 * answers 429 RATE_LIMITED (Retry-After: the rest of the window). Keys are 32 random bytes, so this
 * is not what stops guessing; it stops a client from spending the server's hashing and log lines on
 * endless wrong keys. The map is bounded (oldest windows dropped first).
 */
export class AuthThrottle {
  private readonly windows = new Map<string, { failures: number; reset: number }>();

  constructor(readonly max: number, readonly windowMs = 60_000, private readonly now: () => number = Date.now, readonly maxClients = 10_000) {}

  check(ip: string): void {
    const w = this.windows.get(ip);
    if (w === undefined) return;
    const t = this.now();
    if (w.reset <= t) {
      this.windows.delete(ip);
      return;
    }
    if (w.failures >= this.max) {
      const retryAfter = Math.max(1, Math.ceil((w.reset - t) / 1000));
      throw new SupernodeError('RATE_LIMITED', `too many failed authentications from ${ip} (${this.max} per ${this.windowMs / 1000} s); retry in ${retryAfter} s`, {}, { retryAfter });
    }
  }

  fail(ip: string): void {
    const t = this.now();
    const w = this.windows.get(ip);
    if (w === undefined || w.reset <= t) {
      this.windows.delete(ip);
      this.windows.set(ip, { failures: 1, reset: t + this.windowMs });
      // Map order is insertion order: past the bound, the oldest window goes first.
      if (this.windows.size > this.maxClients) this.windows.delete(this.windows.keys().next().value!);
    } else w.failures++;
  }
}

/**
 * Dashboard sessions (api/routes/ui.ts). The page cannot send `Authorization` on an EventSource, so
 * a browser holds an HttpOnly, SameSite=Strict cookie naming a session instead:
 * - a one-time login token (printed by `supernode start` as `dashboard: URL/?token=T`) opens a
 *   session with the read scope; tokens are single use and expire after LOGIN_TOKEN_TTL_MS;
 * - an API key typed into the page opens a session with that key's scope, capped at write (the page
 *   never needs admin, so a stolen cookie cannot manage keys); revoking the key ends its sessions.
 * Sessions live in memory only (a restart logs every browser out) and expire SESSION_TTL_MS after
 * creation. Only SHA-256 hashes of tokens and session ids are kept.
 *
 * CSRF: SameSite=Strict keeps the cookie off cross-site requests, but another origin on the same
 * site (another port of 127.0.0.1) still counts as same-site. So a state-changing request (any
 * method but GET/HEAD) authenticated by the cookie must also carry `X-CSRF-Token` equal to the
 * session's CSRF token, which only a same-origin page can read (GET /v1/session; no CORS credentials).
 */
export const SESSION_COOKIE = 'sn_session';
export const CSRF_HEADER = 'x-csrf-token';
export const LOGIN_TOKEN_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 8 * 3600_000;
/** Bounds on live tokens and sessions (oldest dropped first), so no client can grow them without end. */
export const MAX_LOGIN_TOKENS = 64;
export const MAX_SESSIONS = 10_000;

export interface Session {
  readonly scope: Scope;
  /** The key that opened it, or null for a login-token session. */
  readonly keyId: string | null;
  readonly csrf: string;
  readonly created: number;
  readonly expires: number;
}

/** One cookie's value from a Cookie header (RFC 6265 pairs; no decoding: our values are base64url). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly tokens = new Map<string, { scope: Scope; expires: number }>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly keys: KeyStore, private readonly now: () => number = Date.now) {}

  /** A fresh one-time login token (plain; only its hash is kept). */
  issueLoginToken(scope: Scope = 'read', ttlMs = LOGIN_TOKEN_TTL_MS): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(hashKey(token), { scope, expires: this.now() + ttlMs });
    trim(this.tokens, MAX_LOGIN_TOKENS);
    return token;
  }

  /** Spends a login token: a new session id, or a coded 401 when unknown, used or expired. */
  redeem(token: string): { id: string; session: Session } {
    const h = hashKey(token);
    const t = this.tokens.get(h);
    this.tokens.delete(h);
    if (t === undefined || t.expires <= this.now()) throw new SupernodeError('UNAUTHORIZED', 'the login token is unknown, used or expired: run `supernode start` again or type an API key');
    return this.open(t.scope, null);
  }

  /** A session from a typed API key (its scope, capped at write). */
  fromKey(key: string, client?: { ip: string; throttle: AuthThrottle }): { id: string; session: Session } {
    const p = this.keys.authenticate(`Bearer ${key}`, client);
    return this.open(allows(p.scope, 'write') ? 'write' : p.scope, p.keyId);
  }

  private open(scope: Scope, keyId: string | null): { id: string; session: Session } {
    const id = randomBytes(24).toString('base64url');
    const created = this.now();
    const session: Session = { scope, keyId, csrf: randomBytes(18).toString('base64url'), created, expires: created + SESSION_TTL_MS };
    this.sessions.set(hashKey(id), session);
    trim(this.sessions, MAX_SESSIONS);
    return { id, session };
  }

  /** The live session a Cookie header names, or null. */
  lookup(cookieHeader: string | undefined): Session | null {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (id === undefined || id.length === 0) return null;
    const h = hashKey(id);
    const s = this.sessions.get(h);
    if (s === undefined) return null;
    if (s.expires <= this.now() || (s.keyId !== null && !this.keys.has(s.keyId))) {
      this.sessions.delete(h);
      return null;
    }
    return s;
  }

  /** The principal of a cookie-authenticated request; state-changing methods need the CSRF header. */
  authenticate(cookieHeader: string | undefined, method: string, csrfHeader: string | string[] | undefined): Principal {
    const s = this.lookup(cookieHeader);
    if (s === null) throw new SupernodeError('UNAUTHORIZED', 'missing Authorization: Bearer <key> (or the dashboard session expired: log in again)');
    if (method !== 'GET' && method !== 'HEAD' && (typeof csrfHeader !== 'string' || !safeEqual(csrfHeader, s.csrf))) {
      throw new SupernodeError('FORBIDDEN', `a dashboard session needs the ${CSRF_HEADER} header on ${method} requests`);
    }
    return { keyId: s.keyId ?? 'dashboard', scope: s.scope, rateLimit: undefined };
  }

  close(cookieHeader: string | undefined): void {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    if (id !== undefined) this.sessions.delete(hashKey(id));
  }

  /** Set-Cookie value for a session id (`Secure` when the page came over TLS). */
  static cookie(id: string, secure: boolean, maxAgeMs = SESSION_TTL_MS): string {
    return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
  }
}

/** Drops the oldest entries (Map keeps insertion order) past `max`. */
function trim<V>(m: Map<string, V>, max: number): void {
  for (const k of m.keys()) {
    if (m.size <= max) break;
    m.delete(k);
  }
}

/**
 * API keys: `sn_<id>_<secret>` bearer tokens with scopes read < write < admin (each includes the
 * ones before it). Only the SHA-256 of a key is stored (keys are 32 random bytes, so a fast hash is
 * enough; there is nothing to brute-force). Key records live in <dataDir>/.api-keys.json (mode 0600).
 *
 * First start: with no key file and no configured key, an admin key is generated, its hash stored,
 * and the plain key written once to <dataDir>/.admin-key (mode 0600) so `npm start` can print it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SupernodeError } from '../engine/errors.js';

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

export function allows(have: Scope, need: Scope): boolean {
  return LEVEL[have] >= LEVEL[need];
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

export class KeyStore {
  private readonly file: string;
  private records: KeyRecord[] = [];
  private readonly byId = new Map<string, KeyRecord>();
  /** Verified tokens -> principal, so the hot path hashes a key once (bounded; only valid keys). */
  private readonly verified = new Map<string, Principal>();

  constructor(readonly dataDir: string) {
    this.file = path.join(dataDir, '.api-keys.json');
  }

  get adminKeyFile(): string {
    return path.join(this.dataDir, '.admin-key');
  }

  /** Loads the key file; returns a freshly generated admin key when there was none. */
  init(configured: readonly { key: string; scope: Scope; name?: string; rateLimit?: number }[] = []): { adminKey: string | null } {
    fs.mkdirSync(this.dataDir, { recursive: true });
    if (fs.existsSync(this.file)) {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { keys: KeyRecord[] };
      this.records = parsed.keys.filter((k) => typeof k.hash === 'string' && k.scope in LEVEL);
    }
    for (const c of configured) this.addRecord(c.key, c.scope, c.name ?? 'configured', c.rateLimit, false);
    this.reindex();
    if (this.records.length > 0) {
      if (configured.length > 0) this.save();
      return { adminKey: null };
    }
    const { key } = this.create('admin', 'admin');
    fs.writeFileSync(this.adminKeyFile, `${key}\n`, { mode: 0o600 });
    fs.chmodSync(this.adminKeyFile, 0o600);
    return { adminKey: key };
  }

  /** A new key; the plain key is returned once and never stored. */
  create(scope: Scope, name: string, rateLimit?: number): { key: string; record: KeyRecord } {
    const id = randomBytes(6).toString('hex');
    const key = `sn_${id}_${randomBytes(24).toString('base64url')}`;
    const record = this.addRecord(key, scope, name, rateLimit, true);
    return { key, record };
  }

  private addRecord(key: string, scope: Scope, name: string, rateLimit: number | undefined, persist: boolean): KeyRecord {
    const hash = hashKey(key);
    const existing = this.records.find((r) => r.hash === hash);
    if (existing) return existing;
    const id = /^sn_([0-9a-f]{12})_/.exec(key)?.[1] ?? hash.slice(0, 12);
    const record: KeyRecord = { id, name, scope, hash, created: new Date().toISOString(), ...(rateLimit !== undefined && { rateLimit }) };
    this.records.push(record);
    this.reindex();
    if (persist) this.save();
    return record;
  }

  list(): KeyRecord[] {
    return [...this.records];
  }

  revoke(id: string): boolean {
    const before = this.records.length;
    this.records = this.records.filter((r) => r.id !== id);
    this.reindex();
    this.verified.clear();
    this.save();
    return this.records.length < before;
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

  private save(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ keys: this.records }, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

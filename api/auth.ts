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
    for (const c of configured) this.addRecord(c.key, c.scope, c.name ?? 'configured', c.rateLimit);
    this.reindex();
    if (this.records.length > 0) {
      if (configured.length > 0) await this.save();
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

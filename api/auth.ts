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

  /** The principal for an Authorization header value, or a coded 401. */
  authenticate(header: string | undefined): Principal {
    if (header === undefined || !header.startsWith('Bearer ')) {
      throw new SupernodeError('UNAUTHORIZED', 'missing Authorization: Bearer <key>');
    }
    const token = header.slice(7).trim();
    const cached = this.verified.get(token);
    if (cached !== undefined) return cached;
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

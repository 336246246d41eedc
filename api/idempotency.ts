/**
 * Idempotent uploads: a pipeline that retries `POST /v1/datasets/{id}/edges` with the same
 * `Idempotency-Key` creates one version, not one per attempt (the IETF httpapi draft
 * "The Idempotency-Key HTTP Header Field", as Stripe does it).
 *
 * - A key is scoped to the dataset and the API key that sent it (two clients never collide); it is
 *   stored only as a SHA-256 of both, never as sent.
 * - The request's fingerprint is a SHA-256 of the body bytes as they arrived (before any gunzip)
 *   and of everything else that decides what gets stored: content type, content encoding and the
 *   query (columns, skipBad, timeUnit, mode). The same key with the same fingerprint replays the
 *   first answer (201, same version, `Idempotent-Replayed: true`) and stores nothing; the same key
 *   with another fingerprint is 409 IDEMPOTENCY_CONFLICT.
 * - Only stored uploads are remembered: a rejected one (400, 413) can be fixed and sent again
 *   under the same key.
 * - Bounds: IDEMPOTENCY.maxKeysPerDataset keys per dataset, each kept IDEMPOTENCY.ttlMs (24 h)
 *   after its upload, oldest dropped first; per dataset one file, `<dataset>/idempotency.json`
 *   (about 300 B per key, so at most ~300 KiB), written durably and removed with the dataset,
 *   so a retry after a restart is recognised too; in memory the files of IDEMPOTENCY.cachedDatasets
 *   datasets. A dataset deleted and created again under the same name starts with no keys (the
 *   file is gone, and each file names the dataset's creation time).
 * Callers hold the dataset's upload lock around lookup and remember.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { SupernodeError } from '../engine/errors.js';
import { writeFileDurable } from '../engine/store/durable.js';

export const IDEMPOTENCY = Object.freeze({ maxKeysPerDataset: 1000, ttlMs: 24 * 3600_000, maxKeyLength: 255, cachedDatasets: 64 });

const FILE = 'idempotency.json';
/** Visible ASCII, as the draft's sf-string allows (no control characters). */
const KEY_RE = /^[\x20-\x7e]+$/;

export interface Remembered {
  /** SHA-256 of (API key id, Idempotency-Key). */
  readonly key: string;
  readonly fingerprint: string;
  /** ms since the epoch. */
  readonly created: number;
  readonly status: number;
  readonly body: unknown;
}

interface KeyFile { readonly datasetCreated: string; readonly entries: Remembered[] }

/** The header's key, validated; undefined when absent. */
export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const k = Array.isArray(header) ? header.join(',') : header;
  if (k.length === 0 || k.length > IDEMPOTENCY.maxKeyLength || !KEY_RE.test(k)) {
    throw new SupernodeError('BAD_OPTION', `Idempotency-Key must be 1-${IDEMPOTENCY.maxKeyLength} visible ASCII characters`);
  }
  return k;
}

export function scopedKey(principal: string, key: string): string {
  return createHash('sha256').update(principal).update('\u0000').update(key).digest('hex');
}

export class IdempotencyStore {
  private readonly files = new LRUCache<string, KeyFile>({ max: IDEMPOTENCY.cachedDatasets });

  constructor(private readonly dataDir: string, private readonly now: () => number = Date.now) {}

  private file(dataset: string): string {
    return path.join(this.dataDir, dataset, FILE);
  }

  private async read(dataset: string, datasetCreated: string): Promise<KeyFile> {
    const hit = this.files.get(dataset);
    if (hit !== undefined && hit.datasetCreated === datasetCreated) return hit;
    let f: KeyFile = { datasetCreated, entries: [] };
    try {
      const parsed = JSON.parse(await fs.readFile(this.file(dataset), 'utf8')) as KeyFile;
      if (parsed.datasetCreated === datasetCreated && Array.isArray(parsed.entries)) f = parsed;
    } catch { /* none yet, or unreadable: no keys remembered */ }
    const cutoff = this.now() - IDEMPOTENCY.ttlMs;
    f = { datasetCreated, entries: f.entries.filter((e) => e.created >= cutoff) };
    this.files.set(dataset, f);
    return f;
  }

  async lookup(dataset: string, datasetCreated: string, key: string): Promise<Remembered | undefined> {
    const f = await this.read(dataset, datasetCreated);
    const cutoff = this.now() - IDEMPOTENCY.ttlMs;
    return f.entries.find((e) => e.key === key && e.created >= cutoff);
  }

  async remember(dataset: string, datasetCreated: string, entry: Remembered): Promise<void> {
    const f = await this.read(dataset, datasetCreated);
    const cutoff = this.now() - IDEMPOTENCY.ttlMs;
    const entries = [...f.entries.filter((e) => e.created >= cutoff && e.key !== entry.key), entry].slice(-IDEMPOTENCY.maxKeysPerDataset);
    const next: KeyFile = { datasetCreated, entries };
    await writeFileDurable(this.file(dataset), JSON.stringify(next), { what: `idempotency keys of ${dataset}` });
    this.files.set(dataset, next);
  }

  forget(dataset: string): void {
    this.files.delete(dataset);
  }
}

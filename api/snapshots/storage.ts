/**
 * Snapshot storage: the immutable, versioned results of jobs on disk, and the latest of each
 * dataset in memory.
 *
 * On disk, <dataDir>/<dataset>/snapshots/<id>/ holds members.arrow and snapshot.json (encoding.ts).
 * `persist` writes the bytes with asynchronous I/O (the event loop keeps serving) through
 * engine/store/durable.ts: a temporary directory, every file written fully and fsynced, renamed
 * into place, the parent fsynced, so a reader or a restart sees a whole snapshot or none; a full
 * disk is STORAGE_FULL and leaves nothing behind. `sweep` removes the temporaries of crashed writes
 * (start-up). A snapshot that cannot be read (torn by a crash of an older version, or damaged on
 * disk) is skipped and reported through `onSkip`: the dataset serves the newest readable one. Ids increase by one per dataset (callers serialise persists
 * per dataset); `uid` is random so that a deleted and re-created dataset never reuses an ETag. A
 * published snapshot is read back lazily, on the first request that needs it, so a job on a dataset
 * nobody is reading costs the event loop nothing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { SupernodeError } from '../../engine/errors.js';
import { sweepTemps, writeTreeDurable } from '../../engine/store/durable.js';
import { decodeSnapshot, type EncodedSnapshot, type Snapshot, type SnapshotMeta } from './encoding.js';
import { type CachedPage, PageCache, pageEtag } from './page-cache.js';

const ID_RE = /^\d{1,9}$/;

/**
 * Whether a snapshot is a candidate for its dataset's latest: an analysis whose job did not ask
 * for `publish: "none"` (a one-off, readable only by id: `?snapshot=N`).
 */
export function isPublished(meta: SnapshotMeta): boolean {
  return meta.kind === 'analysis' && (meta.request as { publish?: string }).publish !== 'none';
}
/** Temporaries younger than this, of a live process, may be another process's write in flight. */
const SWEEP_AGE_MS = 60_000;

export interface SnapshotStoreOptions {
  /** Bound of the page cache, bytes (default DEFAULT_PAGE_CACHE_BYTES, 64 MiB). */
  readonly pageCacheBytes?: number;
  /** Told about each snapshot skipped as unreadable (the server logs it). */
  readonly onSkip?: (dataset: string, id: number, err: SupernodeError) => void;
}

export class SnapshotStore {
  private readonly latest = new Map<string, Snapshot | null>();
  /** Older snapshots pinned by `?snapshot=`; a few per process. */
  private readonly pinned = new Map<string, Snapshot>();
  private readonly cache: PageCache;
  private readonly listeners = new Set<(dataset: string, meta: SnapshotMeta) => void>();

  /** dataset -> ids found unreadable (skipped, reported once). */
  private readonly unreadable = new Map<string, Set<number>>();

  constructor(readonly dataDir: string, private readonly opts: SnapshotStoreOptions = {}) {
    this.cache = new PageCache(opts.pageCacheBytes);
  }

  /** The page cache's charged bytes and pages (metrics, tests). */
  get cacheStats(): { bytes: number; pages: number; maxBytes: number } {
    return { bytes: this.cache.bytes, pages: this.cache.size, maxBytes: this.cache.maxBytes };
  }

  dir(dataset: string): string {
    return path.join(this.dataDir, dataset, 'snapshots');
  }

  onPublish(f: (dataset: string, meta: SnapshotMeta) => void): void {
    this.listeners.add(f);
  }

  /** Ids of the complete snapshots of a dataset, ascending (temporary directories are ignored). */
  ids(dataset: string): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir(dataset));
    } catch {
      return [];
    }
    return names.filter((n) => ID_RE.test(n)).map(Number).sort((a, b) => a - b);
  }

  /**
   * Writes an encoded snapshot atomically (asynchronous I/O: the event loop keeps serving) and
   * publishes it: an analysis becomes the dataset's latest, read back on first use. Callers
   * serialise persists per dataset (the id is the next free one). An aborted `signal` (the job was
   * cancelled, or the server is shutting down) abandons the write: nothing is published.
   */
  async persist(dataset: string, enc: EncodedSnapshot, signal?: AbortSignal): Promise<SnapshotMeta> {
    const dir = this.dir(dataset);
    await fsp.mkdir(dir, { recursive: true });
    const id = Math.max(0, ...(await fsp.readdir(dir)).filter((n) => ID_RE.test(n)).map(Number)) + 1;
    const meta: SnapshotMeta = {
      id, uid: randomBytes(6).toString('hex'), kind: enc.kind, dataset, datasetVersion: enc.datasetVersion,
      created: new Date().toISOString(), jobId: enc.jobId, request: enc.request,
      nodes: enc.nodes, edges: enc.edges, directed: enc.directed, measureNames: enc.measureNames, diagnostics: enc.diagnostics,
    };
    // snapshot.json is {"meta": ..., <parts>}: the parts were serialised where the analysis ran.
    const head = Buffer.from(`{"meta":${JSON.stringify(meta)}${enc.parts.length > 2 ? ',' : ''}`);
    await writeTreeDurable(path.join(dir, String(id)), [
      { name: 'members.arrow', data: enc.members },
      { name: 'snapshot.json', data: [head, enc.parts.subarray(1)] },
    ], { what: `snapshot ${dataset}/${id}`, ...(signal !== undefined && { signal }) });
    if (isPublished(meta)) {
      // Read back on first use (latestOrNull): hydrating costs tens of ms of event loop per
      // snapshot, which only a dataset someone reads should pay.
      this.latest.delete(dataset);
      this.cache.dropDataset(dataset);
    }
    for (const f of this.listeners) f(dataset, meta);
    return meta;
  }

  /** Reads one snapshot from disk. */
  read(dataset: string, id: number): Snapshot {
    const dir = path.join(this.dir(dataset), String(id));
    let side: string, bytes: Buffer;
    try {
      side = fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8');
      bytes = fs.readFileSync(path.join(dir, 'members.arrow'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new SupernodeError('SNAPSHOT_NOT_FOUND', `dataset ${dataset} has no snapshot ${id}`);
      }
      throw new SupernodeError('STORE_CORRUPT', `snapshot ${dataset}/${id} is unreadable: ${(e as Error).message}`);
    }
    try {
      return decodeSnapshot(side, bytes);
    } catch (e) {
      // Torn JSON, a truncated Arrow file, a missing column: the bytes are not a snapshot.
      throw new SupernodeError('STORE_CORRUPT', `snapshot ${dataset}/${id} is unreadable: ${(e as Error).message}`);
    }
  }

  /** The latest analysis snapshot, or a coded 404. `pin` reads an older one (kept in a small cache). */
  get(dataset: string, pin?: number): Snapshot {
    if (pin !== undefined) {
      const cur = this.latestOrNull(dataset);
      if (cur !== null && cur.meta.id === pin) return cur;
      const key = `${dataset}/${pin}`;
      let s = this.pinned.get(key);
      if (s === undefined) {
        s = this.read(dataset, pin);
        if (this.pinned.size >= 8) this.pinned.delete(this.pinned.keys().next().value!);
        this.pinned.set(key, s);
      }
      return s;
    }
    const s = this.latestOrNull(dataset);
    if (s === null) throw new SupernodeError('SNAPSHOT_NOT_FOUND', `dataset ${dataset} has no analysis yet: POST /v1/datasets/${dataset}/jobs`);
    return s;
  }

  latestOrNull(dataset: string): Snapshot | null {
    if (this.latest.has(dataset)) return this.latest.get(dataset)!;
    let found: Snapshot | null = null;
    const ids = this.ids(dataset);
    const bad = this.unreadable.get(dataset);
    for (let k = ids.length - 1; k >= 0 && found === null; k--) {
      const id = ids[k]!;
      if (bad?.has(id)) continue;
      let s: Snapshot;
      try {
        s = this.read(dataset, id);
      } catch (e) {
        // One damaged snapshot must not take the dataset (or the server's start) down with it:
        // skip it, say so once, and serve the newest readable one.
        if (!(e instanceof SupernodeError && (e.code === 'STORE_CORRUPT' || e.code === 'SNAPSHOT_NOT_FOUND'))) throw e;
        if (!this.unreadable.has(dataset)) this.unreadable.set(dataset, new Set());
        this.unreadable.get(dataset)!.add(id);
        this.opts.onSkip?.(dataset, id, e);
        continue;
      }
      if (isPublished(s.meta)) found = s;
      else this.pinned.set(`${dataset}/${id}`, s);
    }
    this.latest.set(dataset, found);
    return found;
  }

  /** Forgets a dataset (after delete) and removes its snapshots. */
  drop(dataset: string): void {
    this.latest.delete(dataset);
    for (const k of [...this.pinned.keys()]) if (k.startsWith(`${dataset}/`)) this.pinned.delete(k);
    this.cache.dropDataset(dataset);
    this.unreadable.delete(dataset);
    fs.rmSync(this.dir(dataset), { recursive: true, force: true });
  }

  /**
   * Removes the temporary directories crashed writes left in every dataset's snapshots folder
   * (at once when the writer's process is gone, else once a minute old). Returns what it removed.
   */
  async sweep(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dataDir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const n of names) if (!n.startsWith('.')) removed.push(...await sweepTemps(this.dir(n), SWEEP_AGE_MS));
    return removed;
  }

  /** The strong ETag of a page: the snapshot's uid and a hash of the page key. */
  etag(s: Snapshot, key: string): string {
    return pageEtag(s, key);
  }

  /** A page's bytes, built and encoded once per snapshot and key (least recently used evicted first). */
  page(s: Snapshot, key: string, build: () => { body: string; type: string }): CachedPage {
    return this.cache.page(s, key, build);
  }
}

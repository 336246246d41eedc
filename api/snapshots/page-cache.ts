/**
 * The page cache: finished response bodies per snapshot and query, so a polled page costs two Map
 * lookups and a socket write. Each page is stored as the bytes to send (and their gzip form, when
 * that saves enough) with its strong ETag: the snapshot's uid and id and a hash of the page key,
 * so a deleted and re-created dataset never reuses an ETag.
 *
 * Bounded by bytes, not by count: a page of 1,000 members is ~100,000 times a page of one, so a
 * count bound let one read-only key pin gigabytes with distinct offsets. Each page is charged its
 * body, its gzip body, its key and a fixed overhead; past `maxBytes` the least recently used pages
 * go (lru-cache `maxSize`), and a page larger than the whole bound is served but never stored.
 * Default DEFAULT_PAGE_CACHE_BYTES (64 MiB); the `pageCacheBytes` API limit (SUPERNODE_PAGE_CACHE_BYTES) sets it.
 */
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { Snapshot } from './encoding.js';

export interface CachedPage {
  readonly etag: string;
  /** UTF-8 bytes, encoded once: a reply writes them as they are. */
  readonly body: Buffer;
  readonly type: string;
  /** The gzip form and its own strong ETag (RFC 9110: a strong validator names one encoding), or null when not worth it. */
  readonly gzip: { readonly body: Buffer; readonly etag: string } | null;
}

/** Bodies smaller than this go out as they are: gzip would save less than its headers and CPU cost. */
const GZIP_MIN_BYTES = 1024;

/** FNV-1a 32-bit, hex: a cheap, stable tag for a cache key inside one snapshot's ETag. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The strong ETag of a page: the snapshot's uid and a hash of the page key. */
export function pageEtag(s: Snapshot, key: string): string {
  return `"${s.meta.uid}-${s.meta.id}-${fnv(key)}"`;
}

/** Default bound of the page cache, bytes. */
export const DEFAULT_PAGE_CACHE_BYTES = 64 * 1024 * 1024;
/** What a cached page costs beyond its bytes: the page and entry objects, Map and LRU slots. */
const PAGE_OVERHEAD_BYTES = 256;

interface Slot { readonly snapshot: Snapshot; readonly key: string }

export class PageCache {
  /**
   * Pages per snapshot object: a hit is two Map lookups with no key strings built per request.
   * The LRU (keyed by the page object itself) holds the byte accounting and the recency order; its
   * dispose removes an evicted page from this index.
   */
  private readonly pages = new Map<Snapshot, Map<string, CachedPage>>();
  private readonly lru: LRUCache<CachedPage, Slot>;

  constructor(readonly maxBytes = DEFAULT_PAGE_CACHE_BYTES) {
    if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) throw new RangeError(`page cache bound must be a positive integer of bytes, not ${maxBytes}`);
    this.lru = new LRUCache<CachedPage, Slot>({
      maxSize: maxBytes,
      sizeCalculation: (slot, page) => pageBytes(page, slot.key),
      dispose: (slot, page) => {
        const m = this.pages.get(slot.snapshot);
        if (m?.get(slot.key) !== page) return;
        m.delete(slot.key);
        if (m.size === 0) this.pages.delete(slot.snapshot);
      },
    });
  }

  /** Bytes the cached pages are charged (<= maxBytes). */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }

  /** A page's bytes, built and encoded once per snapshot and key while it stays cached. */
  page(s: Snapshot, key: string, build: () => { body: string; type: string }): CachedPage {
    const hit = this.pages.get(s)?.get(key);
    if (hit !== undefined) {
      this.lru.get(hit); // recency
      return hit;
    }
    const built = build();
    const body = Buffer.from(built.body, 'utf8');
    const etag = pageEtag(s, key);
    let gzip: CachedPage['gzip'] = null;
    if (body.length >= GZIP_MIN_BYTES) {
      const z = gzipSync(body);
      if (z.length < body.length * 0.9) gzip = { body: z, etag: `${etag.slice(0, -1)}-gz"` };
    }
    const page: CachedPage = { etag, body, type: built.type, gzip };
    this.lru.set(page, { snapshot: s, key });
    if (this.lru.has(page)) {
      let forSnapshot = this.pages.get(s);
      if (forSnapshot === undefined) this.pages.set(s, (forSnapshot = new Map()));
      forSnapshot.set(key, page);
    }
    return page;
  }

  /** Forgets every page of a dataset's snapshots (a new snapshot was published, or it was deleted). */
  dropDataset(dataset: string): void {
    for (const [s, m] of [...this.pages]) {
      if (s.meta.dataset !== dataset) continue;
      for (const page of [...m.values()]) this.lru.delete(page);
      this.pages.delete(s);
    }
  }
}

function pageBytes(page: CachedPage, key: string): number {
  return page.body.length + (page.gzip?.body.length ?? 0) + 2 * key.length + PAGE_OVERHEAD_BYTES;
}

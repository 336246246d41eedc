/**
 * The page cache: finished response bodies per snapshot and query, so a polled page costs two Map
 * lookups and a socket write. Each page is stored as the bytes to send (and their gzip form, when
 * that saves enough) with its strong ETag: the snapshot's uid and id and a hash of the page key,
 * so a deleted and re-created dataset never reuses an ETag.
 */
import { gzipSync } from 'node:zlib';
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

export class PageCache {
  /** Pages per snapshot object: a hit is two Map lookups with no key strings built per request. */
  private readonly pages = new Map<Snapshot, Map<string, CachedPage>>();
  private pageCount = 0;

  constructor(private readonly maxPages = 5000) {}

  /** A page's bytes, built and encoded once per snapshot and key (oldest pages evicted first). */
  page(s: Snapshot, key: string, build: () => { body: string; type: string }): CachedPage {
    let forSnapshot = this.pages.get(s);
    const hit = forSnapshot?.get(key);
    if (hit !== undefined) return hit;
    const built = build();
    const body = Buffer.from(built.body, 'utf8');
    const etag = pageEtag(s, key);
    let gzip: CachedPage['gzip'] = null;
    if (body.length >= GZIP_MIN_BYTES) {
      const z = gzipSync(body);
      if (z.length < body.length * 0.9) gzip = { body: z, etag: `${etag.slice(0, -1)}-gz"` };
    }
    const page: CachedPage = { etag, body, type: built.type, gzip };
    if (this.pageCount >= this.maxPages) this.evictOldestPage();
    if (forSnapshot === undefined) this.pages.set(s, (forSnapshot = new Map()));
    forSnapshot.set(key, page);
    this.pageCount++;
    return page;
  }

  /** Forgets every page of a dataset's snapshots (a new snapshot was published, or it was deleted). */
  dropDataset(dataset: string): void {
    for (const [s, m] of [...this.pages]) {
      if (s.meta.dataset !== dataset) continue;
      this.pageCount -= m.size;
      this.pages.delete(s);
    }
  }

  private evictOldestPage(): void {
    const [s, m] = this.pages.entries().next().value!;
    m.delete(m.keys().next().value!);
    this.pageCount--;
    if (m.size === 0) this.pages.delete(s);
  }
}

/**
 * Analysis snapshots, split along their seams: encoding.ts (the shapes and the bytes of the two
 * files, pure, run in the analysis worker), storage.ts (atomic writes, reads, the latest snapshot
 * per dataset) and page-cache.ts (finished response bodies with their ETags).
 */
export { encodeSnapshot, decodeSnapshot } from './encoding.js';
export type { EncodedSnapshot, SeedsResult, Snapshot, SnapshotMeta } from './encoding.js';
export { type CachedPage, DEFAULT_PAGE_CACHE_BYTES, PageCache, pageEtag } from './page-cache.js';
export { isPublished, SnapshotStore, type SnapshotStoreOptions } from './storage.js';
export { readMeta, SnapshotListing, type SnapshotListItem } from './listing.js';

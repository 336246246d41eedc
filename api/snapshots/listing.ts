/**
 * The snapshots of a dataset as a dashboard reasons about them: id, kind, created, the job and its
 * request (seed, window, types, publish), the dataset version it read, sizes, and which one the
 * ranking routes serve (`latest`).
 *
 * A listing reads only each snapshot's meta: snapshot.json begins with `{"meta":{...}` (written so
 * by storage.ts), so the meta object is cut from the first bytes of the file (64 KiB, more only for
 * an unusually large request) instead of parsing a file that holds every ranking. Metas are
 * immutable and kept in a bounded LRU (LISTING_CACHE_ENTRIES) keyed by dataset, snapshot uid-less
 * id and the directory's creation, so a listing of a few hundred snapshots costs a few hundred Map
 * lookups once warm. An unreadable snapshot is listed with `readable: false`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { SnapshotMeta } from './encoding.js';
import { isPublished, type SnapshotStore } from './storage.js';

export const LISTING_CACHE_ENTRIES = 20_000;
const FIRST_READ = 64 * 1024;
const MAX_META_BYTES = 4 * 2 ** 20;

export interface SnapshotListItem {
  readonly id: number;
  readonly readable: boolean;
  readonly kind?: SnapshotMeta['kind'];
  readonly created?: string;
  readonly jobId?: string | null;
  readonly request?: SnapshotMeta['request'];
  readonly seed?: number | null;
  readonly window?: string | null;
  readonly publish?: 'latest' | 'none';
  readonly datasetVersion?: number | null;
  readonly nodes?: number;
  readonly edges?: number;
  readonly latest: boolean;
}

/** End (exclusive) of the JSON object starting at `start`, or -1 when `text` stops inside it. */
function objectEnd(text: string, start: number): number {
  let depth = 0, inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i + 1;
  }
  return -1;
}

/** The meta object of one snapshot.json, read from its first bytes. */
export function readMeta(file: string): SnapshotMeta {
  const fd = fs.openSync(file, 'r');
  try {
    const PREFIX = '{"meta":';
    for (let size = FIRST_READ; size <= MAX_META_BYTES; size *= 4) {
      const buf = Buffer.alloc(size);
      const n = fs.readSync(fd, buf, 0, size, 0);
      const text = buf.subarray(0, n).toString('utf8');
      if (!text.startsWith(PREFIX)) throw new Error('snapshot.json does not start with its meta');
      const end = objectEnd(text, PREFIX.length);
      if (end > 0) return JSON.parse(text.slice(PREFIX.length, end)) as SnapshotMeta;
      if (n < size) break; // the whole file was read and the object never closed
    }
    throw new Error('snapshot.json meta is not a closed object within 4 MiB');
  } finally {
    fs.closeSync(fd);
  }
}

export class SnapshotListing {
  private readonly metas = new LRUCache<string, SnapshotMeta | false>({ max: LISTING_CACHE_ENTRIES });

  constructor(private readonly snapshots: SnapshotStore) {}

  /** Newest first; `latest` marks the snapshot the ranking routes serve. */
  list(dataset: string, datasetCreated: string): SnapshotListItem[] {
    const latestId = this.snapshots.latestOrNull(dataset)?.meta.id ?? null;
    const out: SnapshotListItem[] = [];
    for (const id of this.snapshots.ids(dataset).reverse()) {
      const key = `${dataset}\u0000${datasetCreated}\u0000${id}`;
      let meta = this.metas.get(key);
      if (meta === undefined) {
        try {
          meta = readMeta(path.join(this.snapshots.dir(dataset), String(id), 'snapshot.json'));
        } catch {
          meta = false;
        }
        this.metas.set(key, meta);
      }
      if (meta === false) {
        out.push({ id, readable: false, latest: false });
        continue;
      }
      const req = meta.request as { seed?: number; window?: string };
      out.push({
        id, readable: true, kind: meta.kind, created: meta.created, jobId: meta.jobId, request: meta.request,
        seed: meta.kind === 'analysis' ? req.seed ?? 42 : req.seed ?? null, window: req.window ?? null,
        publish: isPublished(meta) ? 'latest' : 'none', datasetVersion: meta.datasetVersion, nodes: meta.nodes, edges: meta.edges,
        latest: id === latestId,
      });
    }
    return out;
  }
}

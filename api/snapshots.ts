/**
 * Analysis snapshots: the immutable, versioned result of one job, and the read cache over them.
 *
 * On disk, <dataDir>/<dataset>/snapshots/<id>/ holds
 *   members.arrow   Arrow IPC table, one row per member in rank order: id, rank, score, community,
 *                   and one Float64 column `m:<measure>` per measure (NaN = no value);
 *   snapshot.json   meta (id, uid, dataset version, request, sizes, diagnostics) and the nested
 *                   parts: explanations (aligned with members), communities, flow, leaders,
 *                   brokers, roles, rising, seeds.
 * Writing is split so that none of it runs on the thread that answers HTTP: `encodeSnapshot` turns an
 * analysis into bytes (in the analysis worker thread), and `persist` writes them with asynchronous
 * I/O into a temporary directory, fsyncs every file, renames it into place (and fsyncs the parent),
 * so a reader or a restart sees a whole snapshot or none. Ids increase by one per dataset (callers
 * serialise persists per dataset); `uid` is random so that a deleted and re-created dataset never
 * reuses an ETag. A published snapshot is read back lazily, on the first request that needs it, so
 * a job on a dataset nobody is reading costs the event loop nothing.
 *
 * Reads: the latest snapshot of each dataset stays in memory, with an index of member ids (a Map:
 * ids are data, never object keys) and a bounded cache of pages keyed by route and query, each
 * stored as the bytes to send (and their gzip form) with its strong ETag. A polled page therefore
 * costs two Map lookups and a socket write.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeVector, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { SupernodeError } from '../engine/errors.js';
import type {
  AnalysisOutput, AnalysisRequest, BrokerRow, CommunityRow, LeaderRow, MemberRow, RisingRow, RoleRow, TrajectoryTable,
} from '../engine/rank/analysis.js';

export interface SeedsResult {
  readonly k: number;
  readonly model: string;
  readonly p: number | null;
  readonly seeds: readonly { readonly id: string; readonly order: number }[];
  readonly spread: { readonly mean: number; readonly ci95: readonly [number, number]; readonly runs: number } | null;
  readonly diagnostics: Readonly<Record<string, unknown>>;
}

export interface SnapshotMeta {
  readonly id: number;
  readonly uid: string;
  readonly kind: 'analysis' | 'seeds';
  readonly dataset: string;
  readonly datasetVersion: number | null;
  readonly created: string;
  readonly jobId: string | null;
  readonly request: AnalysisRequest | Record<string, unknown>;
  readonly nodes: number;
  readonly edges: number;
  readonly directed: boolean;
  readonly measureNames: readonly string[];
  readonly diagnostics: Readonly<Record<string, unknown>>;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly members: readonly MemberRow[];
  readonly communities: readonly CommunityRow[];
  readonly flow: AnalysisOutput['flow'];
  readonly leaders: readonly LeaderRow[];
  readonly brokers: readonly BrokerRow[];
  readonly roles: readonly RoleRow[];
  readonly rising: readonly RisingRow[];
  /** Null without timestamps, and in snapshots written before trajectories existed. */
  readonly trajectories: TrajectoryTable | null;
  readonly seeds: SeedsResult | null;
  /** member id -> position in `members`. */
  readonly byId: ReadonlyMap<string, number>;
  readonly communityById: ReadonlyMap<number, CommunityRow>;
  readonly leadersByCommunity: ReadonlyMap<number, LeaderRow>;
  readonly brokerById: ReadonlyMap<string, BrokerRow>;
  readonly roleById: ReadonlyMap<string, RoleRow>;
  readonly risingById: ReadonlyMap<string, RisingRow>;
  /** member id -> position in `trajectories.members`. */
  readonly trajectoryById: ReadonlyMap<string, number>;
  /** Lazily computed member orders per (measure, direction). */
  readonly orders: Map<string, Int32Array>;
}

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

/** A snapshot as bytes, ready to persist: built where the analysis ran, written by the main thread. */
export interface EncodedSnapshot {
  readonly kind: SnapshotMeta['kind'];
  readonly datasetVersion: number | null;
  readonly jobId: string | null;
  readonly request: SnapshotMeta['request'];
  readonly nodes: number;
  readonly edges: number;
  readonly directed: boolean;
  readonly measureNames: readonly string[];
  readonly diagnostics: Readonly<Record<string, unknown>>;
  /** members.arrow (Arrow IPC file). */
  readonly members: Uint8Array;
  /** The sidecar without its meta: a UTF-8 JSON object (explanations, communities, ...). */
  readonly parts: Uint8Array;
}

const ID_RE = /^\d{1,9}$/;

async function fsyncFile(file: string, chunks: readonly Uint8Array[]): Promise<void> {
  const fh = await fsp.open(file, 'w', 0o644);
  try {
    await fh.writev(chunks as Uint8Array[]);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
  } catch { /* some filesystems refuse fsync on directories; rename is still atomic */ }
}

/**
 * An analysis (or a seeds result) as the bytes of its two files. Pure and synchronous: it runs in
 * the analysis worker thread, and only for small seeds results on the main thread.
 */
export function encodeSnapshot(
  out: AnalysisOutput | null, info: {
    kind: SnapshotMeta['kind']; datasetVersion: number | null; jobId: string | null; request: SnapshotMeta['request'];
    seeds?: SeedsResult; nodes?: number; edges?: number; directed?: boolean;
  },
): EncodedSnapshot {
  const members = out?.members ?? [];
  const measureNames = out?.measureNames ?? [];
  const cols: Record<string, Vector> = {
    id: vectorFromArray(members.map((m) => m.id), new Utf8()) as Vector,
    rank: makeVector(Int32Array.from(members, (m) => m.rank)) as Vector,
    score: makeVector(Float64Array.from(members, (m) => m.score)) as Vector,
    community: makeVector(Int32Array.from(members, (m) => m.community)) as Vector,
  };
  for (const name of measureNames) {
    cols[`m:${name}`] = makeVector(Float64Array.from(members, (m) => m.measures[name] ?? Number.NaN)) as Vector;
  }
  const parts: Omit<Sidecar, 'meta'> = {
    explanations: members.map((m) => m.explanation),
    communities: [...(out?.communities ?? [])], flow: [...(out?.flow ?? [])], leaders: [...(out?.leaders ?? [])],
    brokers: [...(out?.brokers ?? [])], roles: [...(out?.roles ?? [])], rising: [...(out?.rising ?? [])],
    trajectories: out?.trajectories ?? null, seeds: info.seeds ?? null,
  };
  return {
    kind: info.kind, datasetVersion: info.datasetVersion, jobId: info.jobId, request: info.request,
    nodes: out?.nodes ?? info.nodes ?? 0, edges: out?.edges ?? info.edges ?? 0, directed: out?.directed ?? info.directed ?? true,
    measureNames, diagnostics: out?.diagnostics ?? {},
    members: tableToIPC(new Table(cols), 'file'),
    // TextEncoder gives a buffer of its own, so the worker can transfer it without copying.
    parts: new TextEncoder().encode(JSON.stringify(parts)),
  };
}

/** FNV-1a 32-bit, hex: a cheap, stable tag for a cache key inside one snapshot's ETag. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function index<K, V>(rows: readonly V[], key: (v: V) => K): Map<K, V> {
  const m = new Map<K, V>();
  for (const r of rows) if (!m.has(key(r))) m.set(key(r), r);
  return m;
}

function hydrate(meta: SnapshotMeta, members: MemberRow[], side: Sidecar): Snapshot {
  const byId = new Map<string, number>();
  members.forEach((m, i) => byId.set(m.id, i));
  return {
    meta, members, communities: side.communities, flow: side.flow, leaders: side.leaders, brokers: side.brokers,
    roles: side.roles, rising: side.rising, trajectories: side.trajectories ?? null, seeds: side.seeds, byId,
    communityById: index(side.communities, (c) => c.id),
    leadersByCommunity: index(side.leaders, (l) => l.community),
    brokerById: index(side.brokers, (b) => b.id),
    roleById: index(side.roles, (r) => r.id),
    risingById: index(side.rising, (r) => r.id),
    trajectoryById: new Map((side.trajectories?.members ?? []).map((m, i) => [m.id, i])),
    orders: new Map(),
  };
}

interface Sidecar {
  meta: SnapshotMeta;
  explanations: MemberRow['explanation'][];
  communities: CommunityRow[];
  flow: AnalysisOutput['flow'];
  leaders: LeaderRow[];
  brokers: BrokerRow[];
  roles: RoleRow[];
  rising: RisingRow[];
  /** Absent in snapshots written before trajectories existed. */
  trajectories?: TrajectoryTable | null;
  seeds: SeedsResult | null;
}

export class SnapshotStore {
  private readonly latest = new Map<string, Snapshot | null>();
  /** Older snapshots pinned by `?snapshot=`; a few per process. */
  private readonly pinned = new Map<string, Snapshot>();
  /** Pages per snapshot object: a hit is two Map lookups with no key strings built per request. */
  private readonly pages = new Map<Snapshot, Map<string, CachedPage>>();
  private pageCount = 0;
  private readonly listeners = new Set<(dataset: string, meta: SnapshotMeta) => void>();

  constructor(readonly dataDir: string, private readonly maxPages = 5000) {}

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
   * serialise persists per dataset (the id is the next free one).
   */
  async persist(dataset: string, enc: EncodedSnapshot): Promise<SnapshotMeta> {
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
    const tmp = await fsp.mkdtemp(path.join(dir, '.tmp-'));
    try {
      await fsyncFile(path.join(tmp, 'members.arrow'), [enc.members]);
      await fsyncFile(path.join(tmp, 'snapshot.json'), [head, enc.parts.subarray(1)]);
      await fsyncDir(tmp);
      await fsp.rename(tmp, path.join(dir, String(id)));
      await fsyncDir(dir);
    } catch (e) {
      await fsp.rm(tmp, { recursive: true, force: true });
      throw e;
    }
    if (meta.kind === 'analysis') {
      // Read back on first use (latestOrNull): hydrating costs tens of ms of event loop per
      // snapshot, which only a dataset someone reads should pay.
      this.latest.delete(dataset);
      this.dropPages(dataset);
    }
    for (const f of this.listeners) f(dataset, meta);
    return meta;
  }

  /** Reads one snapshot from disk. */
  read(dataset: string, id: number): Snapshot {
    const dir = path.join(this.dir(dataset), String(id));
    let side: Sidecar, bytes: Buffer;
    try {
      side = JSON.parse(fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8')) as Sidecar;
      bytes = fs.readFileSync(path.join(dir, 'members.arrow'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new SupernodeError('SNAPSHOT_NOT_FOUND', `dataset ${dataset} has no snapshot ${id}`);
      }
      throw new SupernodeError('STORE_CORRUPT', `snapshot ${dataset}/${id} is unreadable: ${(e as Error).message}`);
    }
    const t = tableFromIPC(bytes);
    const ids = t.getChild('id')!.toArray() as string[];
    const rank = t.getChild('rank')!.toArray() as Int32Array;
    const score = t.getChild('score')!.toArray() as Float64Array;
    const community = t.getChild('community')!.toArray() as Int32Array;
    const names = side.meta.measureNames;
    const measureCols = names.map((n) => t.getChild(`m:${n}`)!.toArray() as Float64Array);
    const members: MemberRow[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const measures: Record<string, number | null> = Object.create(null) as Record<string, number | null>;
      for (let k = 0; k < names.length; k++) {
        const v = measureCols[k]![i]!;
        measures[names[k]!] = Number.isNaN(v) ? null : v;
      }
      members[i] = { id: String(ids[i]), rank: rank[i]!, score: score[i]!, community: community[i]!, measures, explanation: side.explanations[i]! };
    }
    return hydrate(side.meta, members, side);
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
    for (let k = ids.length - 1; k >= 0 && found === null; k--) {
      const s = this.read(dataset, ids[k]!);
      if (s.meta.kind === 'analysis') found = s;
      else this.pinned.set(`${dataset}/${ids[k]}`, s);
    }
    this.latest.set(dataset, found);
    return found;
  }

  /** Forgets a dataset (after delete) and removes its snapshots. */
  drop(dataset: string): void {
    this.latest.delete(dataset);
    for (const k of [...this.pinned.keys()]) if (k.startsWith(`${dataset}/`)) this.pinned.delete(k);
    this.dropPages(dataset);
    fs.rmSync(this.dir(dataset), { recursive: true, force: true });
  }

  /** Removes temporary directories a crash left behind. */
  sweep(dataset: string): void {
    try {
      for (const n of fs.readdirSync(this.dir(dataset))) {
        if (n.startsWith('.tmp-')) fs.rmSync(path.join(this.dir(dataset), n), { recursive: true, force: true });
      }
    } catch { /* no snapshots yet */ }
  }

  /** The strong ETag of a page: the snapshot's uid and a hash of the page key. */
  etag(s: Snapshot, key: string): string {
    return `"${s.meta.uid}-${s.meta.id}-${fnv(key)}"`;
  }

  /** A page's bytes, built and encoded once per snapshot and key (oldest pages evicted first). */
  page(s: Snapshot, key: string, build: () => { body: string; type: string }): CachedPage {
    let forSnapshot = this.pages.get(s);
    const hit = forSnapshot?.get(key);
    if (hit !== undefined) return hit;
    const built = build();
    const body = Buffer.from(built.body, 'utf8');
    const etag = this.etag(s, key);
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

  private evictOldestPage(): void {
    const [s, m] = this.pages.entries().next().value!;
    m.delete(m.keys().next().value!);
    this.pageCount--;
    if (m.size === 0) this.pages.delete(s);
  }

  private dropPages(dataset: string): void {
    for (const [s, m] of [...this.pages]) {
      if (s.meta.dataset !== dataset) continue;
      this.pageCount -= m.size;
      this.pages.delete(s);
    }
  }
}

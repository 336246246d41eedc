/**
 * Snapshot encoding: the shapes of a snapshot and the bytes of its two files.
 *
 *   members.arrow   Arrow IPC table, one row per member in rank order: id, rank, score, community,
 *                   and one Float64 column `m:<measure>` per measure (NaN = no value);
 *   snapshot.json   meta (id, uid, dataset version, request, sizes, diagnostics) and the nested
 *                   parts: explanations (aligned with members), communities, flow, leaders,
 *                   brokers, roles, rising, seeds.
 * `encodeSnapshot` runs where the analysis ran (the analysis worker thread), so the event loop only
 * writes bytes; `decodeSnapshot` turns the two files back into a Snapshot with its id indexes (Maps:
 * ids are data, never object keys). Pure: no I/O here (storage.ts reads and writes).
 */
import { makeVector, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import type {
  AnalysisOutput, AnalysisRequest, BrokerRow, CommunityRow, LeaderRow, MemberRow, RisingRow, RoleRow, StabilityTable, TrajectoryTable,
} from '../../engine/rank/analysis.js';
import type { ContributionTable } from '../../engine/rank/contribution.js';
import type { CorePeripheryTable } from '../../engine/rank/core-periphery.js';
import type { TiesTable } from '../../engine/rank/ties.js';

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
  /** Strong/weak ties (engine/rank/ties.ts); null in seeds snapshots and those written before ties. */
  readonly ties: TiesTable | null;
  /** Core/periphery cut and movement; null as for ties. */
  readonly corePeriphery: CorePeripheryTable | null;
  /** Contribution per window; null as for ties. */
  readonly contribution: ContributionTable | null;
  /** Bootstrap stability of the super-node top 10; null as for ties or when skipped. */
  readonly stability: StabilityTable | null;
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
    trajectories: out?.trajectories ?? null, seeds: info.seeds ?? null, ties: out?.ties ?? null, corePeriphery: out?.corePeriphery ?? null,
    contribution: out?.contribution ?? null, stability: out?.stability ?? null,
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
    roles: side.roles, rising: side.rising, trajectories: side.trajectories ?? null, seeds: side.seeds, ties: side.ties ?? null,
    corePeriphery: side.corePeriphery ?? null, contribution: side.contribution ?? null, stability: side.stability ?? null, byId,
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
  /** Absent in snapshots written before ties existed. */
  ties?: TiesTable | null;
  corePeriphery?: CorePeripheryTable | null;
  contribution?: ContributionTable | null;
  stability?: StabilityTable | null;
}

/** The two files of a snapshot back as a Snapshot (throws on bytes that are not a snapshot). */
export function decodeSnapshot(sidecarText: string, membersBytes: Uint8Array): Snapshot {
  const side = JSON.parse(sidecarText) as Sidecar;
  const t = tableFromIPC(membersBytes);
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

/**
 * The analysis a job runs: one pass over a dataset that produces every ranking the API serves
 * (super-nodes with explanations, communities, opinion leaders, brokers, roles, rising stars).
 *
 * Kernels run through `runner` (the worker pool in the API, in-thread in tests and the CLI), so this
 * module only orchestrates: which measures, on which view, in which order, and how progress adds up.
 * The output is plain data keyed by node index plus the member id list; the API writes it as an
 * immutable snapshot (api/snapshots/) and never recomputes on read.
 */
import type { AlgorithmOutput, AlgorithmParams } from '../catalog/index.js';
import { runAlgorithm } from '../catalog/index.js';
import type { BuildOptions, BuiltGraph, EdgeColumns } from '../graph/builder.js';
import { buildGraph, undirectedView } from '../graph/builder.js';
import { edgeCount } from '../graph/csr.js';
import { inDegrees, inStrength, outDegrees, outStrength } from '../algorithms/degree.js';
import type { MemberDictionary } from '../ingest/dictionary.js';
import { parseDuration, resolveWindow } from '../graph/window.js';
import { brokers } from './brokers.js';
import { communityActivity, communityFlow, communitySummaries, LIFECYCLE_LABELS } from './communities.js';
import { leaderWhy, opinionLeaders } from './leaders.js';
import { competitionRanks } from './percentile.js';
import { risingStars } from './rising.js';
import { ROLE_NAMES, roles } from './roles.js';
import { SUPERNODE_COMPONENTS, type SuperNodeComponent, superNodes } from './supernodes.js';
import { tieAnswer, tiesTable, type TiesTable } from './ties.js';
import { rankStability, STABILITY_BETWEENNESS, superNodeMeasure } from './stability.js';
import { type CorePeripheryTable, corePeripheryAnswer, cpTable, latestTime } from './core-periphery.js';
import { CONTRIBUTION_WINDOWS, type ContributionTable, contributionTable, contributionWindows } from './contribution.js';

export interface AnalysisRequest {
  /** Extra per-member measures to include (catalogue names); the ranking measures always run. */
  readonly measures?: readonly string[];
  readonly window?: string;
  /** Only interactions at or after / before these times (ISO 8601 or Unix seconds), as the CLI's --from/--to. */
  readonly from?: string;
  readonly to?: string;
  readonly types?: readonly string[];
  /** Weight per interaction type (forward=3, reply=2, ...): multiplies each row's weight. */
  readonly typeWeights?: Readonly<Record<string, number>>;
  /** Rank the undirected view of a directed dataset (rows as undirected pairs). */
  readonly undirected?: boolean;
  /** Modularity resolution of the communities (Leiden; default 1). */
  readonly resolution?: number;
  readonly seed?: number;
  /**
   * Whether the snapshot becomes the dataset's latest (what the ranking routes serve without
   * `?snapshot=`): 'latest' (default) or 'none' (a one-off analysis, read with ?snapshot=N).
   */
  readonly publish?: 'latest' | 'none';
}

export type Runner = (g: BuiltGraph, algorithm: string, params: AlgorithmParams, onProgress?: (f: number) => void) => Promise<AlgorithmOutput>;

export interface MemberRow {
  readonly id: string;
  readonly rank: number;
  readonly score: number;
  readonly community: number;
  readonly measures: Readonly<Record<string, number | null>>;
  readonly explanation: {
    readonly components: readonly { name: string; value: number | null; percentile: number; share: number }[];
    readonly sentence: string;
  };
}

export interface CommunityRow {
  readonly id: number;
  readonly size: number;
  readonly internalWeight: number;
  readonly externalWeight: number;
  readonly density: number;
  readonly conductance: number;
  readonly lifecycle: 'growing' | 'active' | 'cooling' | 'dormant' | 'unknown';
  readonly topMembers: readonly string[];
  /**
   * Interactions per week, oldest first (empty without timestamps). Over a span longer than the
   * cap of engine/limits.ts a bucket is several whole weeks: `diagnostics.activityBucketWeeks`.
   */
  readonly activity: readonly { readonly weekStart: number; readonly interactions: number }[];
}

export interface LeaderRow {
  readonly community: number;
  /** Best first; `why` says in plain counts why (engine/rank/leaders.ts leaderWhy). */
  readonly members: readonly { id: string; rank: number; score: number; senders?: number; share?: number; why?: string }[];
}
export interface BrokerRow {
  readonly id: string; readonly rank: number; readonly constraint: number | null; readonly effectiveSize: number | null;
  readonly betweenness: number | null; readonly communitiesLinked: readonly number[];
}
export interface RoleRow { readonly id: string; readonly community: number; readonly role: string; readonly z: number; readonly participation: number }
/**
 * A rising star. `status` 'new': no interaction in the earlier window (rankBefore null, not "rank
 * before 388" among the silent); 'rising': ranked better now. Scores are each window's PageRank,
 * activity its interactions (sent + received) there; the two windows are diagnostics.risingWindows.
 */
export interface RisingRow {
  readonly id: string; readonly rankBefore: number | null; readonly rankNow: number; readonly gain: number;
  readonly status?: 'new' | 'rising'; readonly scoreBefore?: number; readonly scoreNow?: number;
  readonly activityBefore?: number; readonly activityNow?: number;
}
/**
 * Rank trajectories: PageRank rank (competition ranks, 1 = best, over all members) per window of
 * the rising-star length, the last TRAJECTORY_WINDOWS windows ending at the latest interaction,
 * oldest first, for the top TRAJECTORY_MEMBERS super-nodes and every rising star.
 */
export interface TrajectoryTable {
  readonly measure: 'pagerank';
  readonly windows: readonly { readonly from: number; readonly to: number; readonly interactions: number }[];
  readonly members: readonly { readonly id: string; readonly ranks: readonly number[]; readonly scores: readonly number[] }[];
}

export interface AnalysisOutput {
  readonly nodes: number;
  readonly edges: number;
  readonly directed: boolean;
  /** Ranked by super-node score, best first. */
  readonly members: readonly MemberRow[];
  readonly communities: readonly CommunityRow[];
  /** Sparse inter-community flow: interaction weight from community `from` to community `to`. */
  readonly flow: readonly { readonly from: number; readonly to: number; readonly weight: number }[];
  readonly leaders: readonly LeaderRow[];
  readonly brokers: readonly BrokerRow[];
  readonly roles: readonly RoleRow[];
  readonly rising: readonly RisingRow[];
  /** Null without timestamps. */
  readonly trajectories: TrajectoryTable | null;
  /** Strong/weak ties and bridges (engine/rank/ties.ts), strongest first, at most TIES_SNAPSHOT_MAX. */
  readonly ties: TiesTable;
  /** Bootstrap stability of the super-node top 10 (null above STABILITY_MAX_ROWS interactions). */
  readonly stability: StabilityTable | null;
  /** Core/periphery cut and movement over the last two windows (engine/rank/core-periphery.ts). */
  readonly corePeriphery: CorePeripheryTable;
  /** Contribution per member over the last CONTRIBUTION_WINDOWS windows, oldest first (engine/rank/contribution.ts). */
  readonly contribution: ContributionTable;
  readonly measureNames: readonly string[];
  readonly diagnostics: Readonly<Record<string, unknown>>;
}

export const inThreadRunner: Runner = async (g, algorithm, params, onProgress) =>
  runAlgorithm(algorithm, g, params, onProgress ? { onProgress } : undefined);

/** Exact betweenness up to this many members; the sampled estimate with a guarantee beyond. */
export const EXACT_BETWEENNESS_MAX_NODES = 5000;
/** Sampled betweenness bound for large graphs (absolute error on the NetworkX scale, prob. 0.9). */
const APPROX_BETWEENNESS = { epsilon: 0.01, delta: 0.1 };
const DEFAULT_RISING_WINDOW = '30d';
/** One rising-star window: ISO bounds (to exclusive) and its interaction count. */
export interface RisingWindow { readonly from: string; readonly to: string; readonly interactions: number }
/** Windows in a trajectory (a year of 30-day windows; each costs a window build and a PageRank). */
export const TRAJECTORY_WINDOWS = 12;
/** Bootstrap resamples for the snapshot's rank stability, and the most interactions it is run on (each resample recomputes the composite). */
export const STABILITY_RESAMPLES = 20;
export const STABILITY_MAX_ROWS = 2_000_000;
export interface StabilityTable {
  readonly measure: 'supernode'; readonly k: number; readonly resamples: number; readonly meanOverlap: number;
  readonly betweenness: { readonly epsilon: number; readonly delta: number };
  readonly members: readonly { id: string; rank: number; score: number; stayShare: number; medianRank: number; rankInterval90: [number, number] }[];
}
/** Opinion leaders kept per community (the API's `limit` pages them; the CLI's --top takes N each). */
export const LEADERS_PER_COMMUNITY = 100;
/** Super-nodes (by rank) that get a trajectory, besides every rising star. */
export const TRAJECTORY_MEMBERS = 100;

/** The steps of one analysis with their share of the progress bar (by typical cost). */
const STEPS: readonly { name: string; algorithm: string; weight: number }[] = [
  { name: 'pagerank', algorithm: 'pagerank', weight: 1 },
  { name: 'kcore', algorithm: 'kcore', weight: 1 },
  { name: 'reach', algorithm: 'reach', weight: 2 },
  { name: 'communities', algorithm: 'leiden', weight: 4 },
  { name: 'constraint', algorithm: 'constraint', weight: 2 },
  { name: 'effective-size', algorithm: 'effective-size', weight: 2 },
  { name: 'betweenness', algorithm: 'betweenness', weight: 6 },
];

/**
 * The build options of the graph an analysis ranks (its window resolved against the data): the
 * graph routes and `supernode export` rebuild the same graph from a snapshot's request.
 */
export function analysisGraphOptions(req: AnalysisRequest, columns: EdgeColumns, directed: boolean): Partial<BuildOptions> & { window: BuildOptions['window'] } {
  return {
    directed: directed && req.undirected !== true, weighted: true,
    window: resolveWindow({
      ...(req.window !== undefined && { window: req.window }), ...(req.from !== undefined && { from: req.from }), ...(req.to !== undefined && { to: req.to }),
    }, columns),
    ...(req.types !== undefined && { types: req.types }),
    ...(req.typeWeights !== undefined && { typeWeights: req.typeWeights }),
  };
}

export async function analyse(
  input: { columns: EdgeColumns; members: MemberDictionary; directed: boolean },
  req: AnalysisRequest, runner: Runner = inThreadRunner, onProgress: (f: number, stage?: string) => void = () => {},
): Promise<AnalysisOutput> {
  const t0 = performance.now();
  const seed = req.seed ?? 42;
  const base = analysisGraphOptions(req, input.columns, input.directed);
  const window = base.window;
  const build = (w: typeof window) => buildGraph(input.columns, { ...base, window: w });
  const graph = build(window);
  const n = graph.n;
  const exact = n <= EXACT_BETWEENNESS_MAX_NODES;
  const extra = (req.measures ?? []).filter((m) => !STEPS.some((s) => s.algorithm === m));
  const steps = [...STEPS.map((s) => (s.name === 'betweenness' && !exact ? { ...s, algorithm: 'betweenness-approx' } : s)),
    ...extra.map((m) => ({ name: m, algorithm: m, weight: 1 })), { name: 'rising', algorithm: 'pagerank', weight: 2 }];
  const total = steps.reduce((a, s) => a + s.weight, 0);
  let done = 0;
  const measures: Record<string, Float64Array> = {
    'in-degree': inDegrees(graph), 'out-degree': outDegrees(graph), 'in-strength': inStrength(graph), 'out-strength': outStrength(graph),
  };
  const diagnostics: Record<string, unknown> = { betweennessMethod: exact ? 'exact' : `sampled, epsilon ${APPROX_BETWEENNESS.epsilon}, delta ${APPROX_BETWEENNESS.delta}` };
  let membership: Int32Array = new Int32Array(n);
  let modularity: number | null = null;
  for (const step of steps.slice(0, -1)) {
    const params = {
      seed, ...(step.algorithm === 'betweenness-approx' && APPROX_BETWEENNESS),
      ...(step.name === 'communities' && req.resolution !== undefined && { resolution: req.resolution }),
    };
    const out = await runner(graph, step.algorithm, params, (f) => onProgress((done + f * step.weight) / total, step.name));
    done += step.weight;
    diagnostics[step.name] = out.diagnostics;
    if (out.kind === 'values') measures[step.name] = out.values;
    else if (out.kind === 'partition' && step.name === 'communities') {
      membership = out.membership;
      modularity = out.modularity;
    }
  }
  // Roles and brokerage need the partition; super-nodes need everything.
  const undirected = undirectedView(graph);
  const roleResult = roles(undirected, membership);
  measures['participation'] = roleResult.participation;
  measures['within-community-z'] = roleResult.z;
  measures['communities-linked'] = Float64Array.from(roleResult.communitiesLinked);
  // Ties need the partition (a bridge joins two communities); their per-member counts are measures.
  const tieResult = tieAnswer(graph, input.columns, membership, { window, ...(req.types !== undefined && { types: req.types }) });
  measures['strong-tie-share'] = tieResult.members.strongShare;
  measures['bridges'] = Float64Array.from(tieResult.members.bridges);
  // Movement between the last two windows of the rising-star length, aligned as they are.
  const cp = corePeripheryAnswer(graph, input.columns.timestamp === null ? null : {
    build, latest: latestTime(input.columns.timestamp), span: parseDuration(req.window ?? DEFAULT_RISING_WINDOW),
  });
  measures['core-score'] = cp.fit.scores;
  measures['in-core'] = Float64Array.from(cp.fit.core);
  // Pay periods of the rising-star length; the member measure is the latest period's score.
  const periods = contributionWindows(input.columns, membership, (w) => (w === undefined ? graph : build(w)), {
    span: parseDuration(req.window ?? DEFAULT_RISING_WINDOW), count: CONTRIBUTION_WINDOWS, latest: latestTime(input.columns.timestamp), types: req.types,
  });
  const contributionNow = new Float64Array(n);
  for (const r of periods[periods.length - 1]!.rows) contributionNow[r.node] = r.score;
  measures['contribution'] = contributionNow;
  const sn = superNodes({
    influence: measures['pagerank']!, reach: measures['reach']!, embeddedness: measures['kcore']!, brokerage: measures['betweenness']!,
  }, { top: n, communitiesLinked: roleResult.communitiesLinked, counts: { received: measures['in-strength']!, senders: measures['in-degree']! } });
  measures['supernode'] = sn.scores;
  // How much the super-node top 10 owes to the particular interactions: a seeded bootstrap of the
  // rows the graph was built from, the composite recomputed per resample (betweenness sampled).
  const kept = windowedColumns(input.columns, window);
  const stab = kept.source.length > STABILITY_MAX_ROWS ? null : rankStability(kept, superNodeMeasure((g, algorithm, params) => {
    const out = runAlgorithm(algorithm, g, params);
    if (out.kind !== 'values') throw new Error(`${algorithm} returned no values`);
    return out.values;
  }, seed), { k: 10, resamples: STABILITY_RESAMPLES, seed, build: { directed: input.directed, weighted: true, ...(req.types !== undefined && { types: req.types }) } });
  const stability: StabilityTable | null = stab === null ? null : {
    measure: 'supernode', k: 10, resamples: stab.resamples, meanOverlap: stab.meanOverlap, betweenness: STABILITY_BETWEENNESS,
    members: stab.members.map((m) => ({ id: input.members.idOf(m.node), rank: m.rank, score: m.score, stayShare: m.stayShare, medianRank: m.medianRank, rankInterval90: m.rankInterval90 })),
  };
  const risingWeight = steps[steps.length - 1]!.weight;
  const time = await timeFor(input, req, build, runner, seed, sn.ranking.slice(0, TRAJECTORY_MEMBERS).map((r) => r.node),
    (f) => onProgress((done + f * risingWeight) / total, 'rising'));
  onProgress((total - 0.5) / total, 'rankings');

  const names = Object.keys(measures);
  const memberRows: MemberRow[] = sn.ranking.map((r) => ({
    id: input.members.idOf(r.node), rank: r.rank, score: r.score, community: membership[r.node]!,
    measures: Object.fromEntries(names.map((k) => {
      const x = measures[k]![r.node]!;
      return [k, Number.isFinite(x) ? x : null];
    })),
    explanation: {
      components: SUPERNODE_COMPONENTS.map((c) => ({
        name: `${c} (${COMPONENT_MEASURE[c]})`, value: r.components[c].raw, percentile: r.components[c].percentile, share: r.components[c].share,
      })),
      sentence: r.sentence,
    },
  }));

  const summaries = communitySummaries(graph, membership, 10);
  const activity = communityActivity(membership, windowedColumns(input.columns, window));
  const communities: CommunityRow[] = [];
  for (let c = 0; c < summaries.count; c++) {
    const top: string[] = [];
    for (let r = 0; r < summaries.topK; r++) {
      const v = summaries.topMembers[c * summaries.topK + r]!;
      if (v >= 0) top.push(input.members.idOf(v));
    }
    const series = activity === null ? [] : Array.from({ length: activity.buckets }, (_, b) => ({
      weekStart: activity.origin + b * activity.bucketMs, interactions: activity.activity[c * activity.buckets + b]!,
    }));
    communities.push({
      id: c, size: summaries.size[c]!, internalWeight: summaries.internalWeight[c]!, externalWeight: summaries.externalWeight[c]!,
      density: finiteOr0(summaries.density[c]!), conductance: finiteOr0(summaries.conductance[c]!),
      lifecycle: activity === null ? 'unknown' : LIFECYCLE_LABELS[activity.lifecycle[c]!]!, topMembers: top, activity: series,
    });
  }
  const flowCsr = communityFlow(graph, membership);
  const flow: { from: number; to: number; weight: number }[] = [];
  for (let c = 0; c < flowCsr.count; c++) {
    for (let e = flowCsr.offsets[c]!; e < flowCsr.offsets[c + 1]!; e++) flow.push({ from: c, to: flowCsr.targets[e]!, weight: flowCsr.weights[e]! });
  }
  const leaderResult = opinionLeaders(graph, membership, { top: LEADERS_PER_COMMUNITY });
  const leaders: LeaderRow[] = leaderResult.communities.map((c) => ({
    community: c.community,
    members: c.leaders.map((l) => ({ id: input.members.idOf(l.node), rank: l.rank, score: l.score, senders: l.senders, share: l.share, why: leaderWhy(c, l) })),
  }));
  const brokerRows: BrokerRow[] = brokers(undirected, membership, {
    constraint: measures['constraint']!, effectiveSize: measures['effective-size']!, betweenness: measures['betweenness']!,
  }, { by: 'constraint', top: Math.min(n, 500), minCommunities: 2 }).map((b) => ({
    id: input.members.idOf(b.node), rank: b.rank, constraint: b.constraint, effectiveSize: b.effectiveSize,
    betweenness: b.betweenness, communitiesLinked: b.communities,
  }));
  const roleRows: RoleRow[] = [];
  for (let i = 0; i < n; i++) {
    roleRows.push({
      id: input.members.idOf(i), community: membership[i]!, role: `R${roleResult.role[i]} ${ROLE_NAMES[roleResult.role[i]!]}`,
      z: finiteOr0(roleResult.z[i]!), participation: roleResult.participation[i]!,
    });
  }
  // Hubs first (R7..R5), then by z: the order a growth team reads a role table in.
  roleRows.sort((a, b) => b.role.localeCompare(a.role) || b.z - a.z || (a.id < b.id ? -1 : 1));
  onProgress(1, 'rankings');
  return {
    nodes: n, edges: edgeCount(graph), directed: graph.directed, members: memberRows, measureNames: names,
    communities, flow, leaders, brokers: brokerRows, roles: roleRows, rising: time.rising, trajectories: time.trajectories,
    ties: tiesTable(tieResult, (i) => input.members.idOf(i)), stability, corePeriphery: cpTable(cp, (i) => input.members.idOf(i)),
    contribution: contributionTable(periods, (i) => input.members.idOf(i)),
    diagnostics: {
      ...diagnostics, modularity, communities: summaries.count, selfLoopsDropped: graph.selfLoops,
      ...(activity !== null && { activityBucketWeeks: activity.factor }),
      supernodeWeights: sn.weights, seconds: (performance.now() - t0) / 1000,
      ...(time.risingWindows !== undefined && { risingWindows: time.risingWindows }),
    },
  };
}

const COMPONENT_MEASURE: Record<SuperNodeComponent, string> = {
  influence: 'PageRank', reach: 'two-hop reach', embeddedness: 'coreness', brokerage: 'betweenness',
};

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

function windowedColumns(cols: EdgeColumns, window: { from?: number; to?: number } | undefined): EdgeColumns {
  if (window === undefined || cols.timestamp === null) return cols;
  const keep: number[] = [];
  const ts = cols.timestamp, from = window.from ?? -Infinity, to = window.to ?? Infinity;
  for (let i = 0; i < ts.length; i++) if (ts[i]! >= from && ts[i]! < to) keep.push(i);
  const pick = <T extends Int32Array | Float64Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    keep.forEach((r, j) => { out[j] = a[r]!; });
    return out;
  };
  return {
    nodeCount: cols.nodeCount, source: pick(cols.source), target: pick(cols.target), weight: cols.weight && pick(cols.weight),
    timestamp: pick(ts), type: cols.type && pick(cols.type), typeNames: cols.typeNames,
  };
}

/**
 * Rising stars and trajectories. Windows of req.window (default 30 days) end at the latest
 * interaction; the newest two give the rising stars (PageRank in the last window against the one
 * before: the largest rank gains), and up to TRAJECTORY_WINDOWS of them, newest first, give the
 * trajectories of `top` and of the rising stars. Only the chosen members' ranks are kept per
 * window (never a score array per window), so memory stays O(n) whatever the window count.
 * Empty without timestamps.
 */
async function timeFor(
  input: { columns: EdgeColumns; members: MemberDictionary },
  req: AnalysisRequest, build: (w: { from: number; to: number }) => BuiltGraph, runner: Runner, seed: number,
  top: readonly number[], progress: (f: number) => void,
): Promise<{ rising: RisingRow[]; trajectories: TrajectoryTable | null; risingWindows?: { before: RisingWindow; now: RisingWindow } }> {
  const ts = input.columns.timestamp;
  if (ts === null || ts.length === 0) return { rising: [], trajectories: null };
  let latest = -Infinity, earliest = Infinity;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t > latest) latest = t;
    if (t < earliest) earliest = t;
  }
  if (!Number.isFinite(latest)) return { rising: [], trajectories: null };
  const span = parseDuration(req.window ?? DEFAULT_RISING_WINDOW);
  const windowAt = (k: number) => ({ from: latest + 1 - (k + 1) * span, to: latest + 1 - k * span });
  const scores = async (w: { from: number; to: number }) => {
    const g = build(w);
    const out = await runner(g, 'pagerank', { seed });
    if (out.kind !== 'values') throw new Error('pagerank returned no values');
    const activity = inStrength(g), sent = outStrength(g);
    for (let v = 0; v < activity.length; v++) activity[v]! += sent[v]!;
    return { values: out.values, interactions: g.rowsKept, activity };
  };
  const now = await scores(windowAt(0)), before = await scores(windowAt(1));
  const n = input.columns.nodeCount;
  // Risers: active in both windows, by rank gain. New members (silent in the earlier window, where
  // every silent member ties at the bottom rank) follow, best rank now first, as 'new'.
  const risers = risingStars(before.values, now.values, { top: n }).filter((r) => before.activity[r.node]! > 0).slice(0, 100);
  const nowRanks = competitionRanks(now.values);
  const newcomers: number[] = [];
  for (let v = 0; v < n; v++) if (before.activity[v] === 0 && now.activity[v]! > 0) newcomers.push(v);
  newcomers.sort((a, b) => nowRanks[a]! - nowRanks[b]! || a - b);
  const row = (v: number, rankBefore: number | null, gain: number, status: 'new' | 'rising'): RisingRow => ({
    id: input.members.idOf(v), rankBefore, rankNow: nowRanks[v]!, gain, status,
    scoreBefore: before.values[v]!, scoreNow: now.values[v]!, activityBefore: before.activity[v]!, activityNow: now.activity[v]!,
  });
  const rising: RisingRow[] = [
    ...risers.map((r) => row(r.node, r.rankBefore, r.gain, 'rising')),
    ...newcomers.slice(0, 100).map((v) => row(v, null, 0, 'new')),
  ];
  const stars = [...risers.map((r) => ({ node: r.node })), ...newcomers.slice(0, 100).map((node) => ({ node }))];
  const iso = (w: { from: number; to: number }, interactions: number): RisingWindow => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), interactions });
  const risingWindows = { before: iso(windowAt(1), before.interactions), now: iso(windowAt(0), now.interactions) };
  // The chosen members: the top super-nodes, then rising stars not already among them.
  const chosen = [...top];
  const seen = new Set(top);
  for (const r of stars) if (!seen.has(r.node)) { seen.add(r.node); chosen.push(r.node); }
  const ranks = chosen.map(() => [] as number[]), vals = chosen.map(() => [] as number[]);
  const windows: { from: number; to: number; interactions: number }[] = [];
  const record = (w: { from: number; to: number }, s: { values: Float64Array; interactions: number }) => {
    const r = competitionRanks(s.values);
    windows.push({ ...w, interactions: s.interactions });
    chosen.forEach((v, i) => { ranks[i]!.push(r[v]!); vals[i]!.push(s.values[v]!); });
    progress(windows.length / TRAJECTORY_WINDOWS);
  };
  // Windows wholly before the first interaction are left out (the rising comparison still uses
  // the one before the last, empty or not).
  record(windowAt(0), now);
  if (windowAt(1).to > earliest) record(windowAt(1), before);
  for (let k = 2; k < TRAJECTORY_WINDOWS && windowAt(k).to > earliest; k++) record(windowAt(k), await scores(windowAt(k)));
  // Oldest window first, as a chart reads.
  windows.reverse();
  for (const a of ranks) a.reverse();
  for (const a of vals) a.reverse();
  return {
    rising, risingWindows,
    trajectories: {
      measure: 'pagerank', windows,
      members: chosen.map((v, i) => ({ id: input.members.idOf(v), ranks: ranks[i]!, scores: vals[i]! })),
    },
  };
}

/**
 * The analysis a job runs: one pass over a dataset that produces every ranking the API serves
 * (super-nodes with explanations, communities, opinion leaders, brokers, roles, rising stars).
 *
 * Kernels run through `runner` (the worker pool in the API, in-thread in tests and the CLI), so this
 * module only orchestrates: which measures, on which view, in which order, and how progress adds up.
 * The output is plain data keyed by node index plus the member id list; the API writes it as an
 * immutable snapshot (api/snapshots.ts) and never recomputes on read.
 */
import type { AlgorithmOutput, AlgorithmParams } from '../algorithms/catalog/index.js';
import { runAlgorithm } from '../algorithms/catalog/index.js';
import type { BuiltGraph, EdgeColumns } from '../graph/builder.js';
import { buildGraph } from '../graph/builder.js';
import { edgeCount } from '../graph/csr.js';
import { inDegrees, inStrength, outDegrees, outStrength } from '../algorithms/degree.js';
import type { MemberDictionary } from '../ingest/dictionary.js';
import { resolveWindow } from '../cli/load.js';

export interface AnalysisRequest {
  /** Extra per-member measures to include (catalogue names); the ranking measures always run. */
  readonly measures?: readonly string[];
  readonly window?: string;
  readonly types?: readonly string[];
  readonly seed?: number;
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
  /** Interactions per week, oldest first (empty without timestamps). */
  readonly activity: readonly { readonly weekStart: number; readonly interactions: number }[];
}

export interface LeaderRow { readonly community: number; readonly members: readonly { id: string; rank: number; score: number }[] }
export interface BrokerRow {
  readonly id: string; readonly rank: number; readonly constraint: number | null; readonly effectiveSize: number | null;
  readonly betweenness: number | null; readonly communitiesLinked: readonly number[];
}
export interface RoleRow { readonly id: string; readonly community: number; readonly role: string; readonly z: number; readonly participation: number }
export interface RisingRow { readonly id: string; readonly rankBefore: number | null; readonly rankNow: number; readonly gain: number }

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
  readonly measureNames: readonly string[];
  readonly diagnostics: Readonly<Record<string, unknown>>;
}

export const inThreadRunner: Runner = async (g, algorithm, params, onProgress) =>
  runAlgorithm(algorithm, g, params, onProgress ? { onProgress } : undefined);

export async function analyse(
  input: { columns: EdgeColumns; members: MemberDictionary; directed: boolean },
  req: AnalysisRequest, runner: Runner = inThreadRunner, onProgress: (f: number) => void = () => {},
): Promise<AnalysisOutput> {
  const t0 = performance.now();
  const seed = req.seed ?? 42;
  const graph = buildGraph(input.columns, {
    directed: input.directed, weighted: true,
    window: resolveWindow(req.window === undefined ? {} : { window: req.window }, input.columns),
    ...(req.types !== undefined && { types: req.types }),
  });
  const n = graph.n;
  const steps = ['pagerank', ...(req.measures ?? [])];
  const measures: Record<string, Float64Array> = {
    'in-degree': inDegrees(graph), 'out-degree': outDegrees(graph), 'in-strength': inStrength(graph), 'out-strength': outStrength(graph),
  };
  const diagnostics: Record<string, unknown> = {};
  for (let s = 0; s < steps.length; s++) {
    const name = steps[s]!;
    const out = await runner(graph, name, { seed }, (f) => onProgress((s + f) / steps.length));
    diagnostics[name] = out.diagnostics;
    if (out.kind === 'values') measures[name] = out.values;
  }
  const score = measures['pagerank']!;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  const rankOf = new Int32Array(n);
  order.forEach((i, r) => { rankOf[i] = r + 1; });
  const names = Object.keys(measures);
  const members: MemberRow[] = order.map((i) => ({
    id: input.members.idOf(i), rank: rankOf[i]!, score: score[i]!, community: -1,
    measures: Object.fromEntries(names.map((k) => [k, Number.isFinite(measures[k]![i]!) ? measures[k]![i]! : null])),
    explanation: { components: [{ name: 'pagerank', value: score[i]!, percentile: 1 - (rankOf[i]! - 1) / Math.max(1, n), share: score[i]! }], sentence: `rank ${rankOf[i]} by PageRank` },
  }));
  onProgress(1);
  return {
    nodes: n, edges: edgeCount(graph), directed: graph.directed, members, measureNames: names,
    communities: [], flow: [], leaders: [], brokers: [], roles: [], rising: [],
    diagnostics: { ...diagnostics, seconds: (performance.now() - t0) / 1000 },
  };
}

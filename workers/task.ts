/**
 * The piscina worker: thin by design. It resolves the graph (cache or message), runs the named
 * catalogue algorithm with a cancel flag and a progress port, and moves the result buffers back.
 * All algorithm logic lives in engine/algorithms.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { BuiltGraph } from '../engine/graph/builder.js';
import { getAlgorithm, runAlgorithm } from '../engine/catalog/index.js';
import type { RunControl } from '../engine/algorithms/control.js';
import { abortTeam, teamMember } from '../engine/algorithms/team.js';
import { isSupernodeError } from '../engine/errors.js';
import type { TaskRequest, TaskResponse } from './protocol.js';

const GRAPH_CACHE_SIZE = 4;

/**
 * A full collection of this worker's heap. Kernels allocate O(n) typed arrays per task; a worker
 * isolate frees dead ones only when its own (small) JS heap asks for a collection, so on a graph
 * of millions of members hundreds of MiB of dead buffers stayed resident between tasks (measured
 * in bench/supernodes.bench.ts). Collecting after a task on a large graph costs 10-30 ms.
 */
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;
const COLLECT_FROM_NODES = 1 << 17;
const graphs = new Map<string, BuiltGraph>();

function resolveGraph(req: TaskRequest): BuiltGraph | null {
  const hit = graphs.get(req.graphId);
  if (hit !== undefined) {
    graphs.delete(req.graphId); // re-insert: Map order is the LRU order
    graphs.set(req.graphId, hit);
    return hit;
  }
  if (req.graph === undefined) return null;
  graphs.set(req.graphId, req.graph);
  while (graphs.size > GRAPH_CACHE_SIZE) graphs.delete(graphs.keys().next().value!);
  return req.graph;
}

/**
 * Move, not copy: the result vector's buffer is transferred back to the main thread. Results are
 * freshly allocated ArrayBuffers (never the shared graph), so transferring them is safe.
 */
function transfer(response: TaskResponse, buffer: ArrayBufferLike): TaskResponse {
  if (buffer instanceof SharedArrayBuffer) return response;
  return move({
    [transferableSymbol]: [buffer],
    [valueSymbol]: response,
  } as unknown as ArrayBuffer) as unknown as TaskResponse;
}

/**
 * One member of a cooperative run. Whatever stops this member (an error, a cancel) first marks the
 * team aborted, so the members waiting at a barrier are released instead of waiting for it.
 */
function member(g: BuiltGraph, req: TaskRequest, ctl: RunControl): TaskResponse {
  const { index, size, control, state } = req.team!;
  const plan = getAlgorithm(req.algorithm).team!;
  const team = teamMember(control, index, size, ctl.shouldStop);
  const last = index === size - 1;
  try {
    if (req.fail !== undefined && last) throw new Error(req.fail);
    const crashing = req.crash === true && last
      ? { ...team, sync: () => { team.sync(); process.exit(1); } } : team;
    const output = plan.work(g, req.params, state, crashing, ctl);
    if (index !== 0) return { status: 'member' };
    const buffer = output.kind === 'values' ? output.values : output.kind === 'partition' ? output.membership : output.seeds;
    return transfer({ status: 'ok', output }, buffer.buffer);
  } catch (e) {
    abortTeam(control);
    throw e;
  }
}

export default function task(req: TaskRequest): TaskResponse {
  try {
    const g = resolveGraph(req);
    if (g === null) return { status: 'missing-graph' };
    const ctl: RunControl = {
      shouldStop: () => Atomics.load(req.cancel, 0) !== 0,
      ...(req.progress && { onProgress: (f: number) => req.progress!.postMessage(f) }),
    };
    if (req.team !== undefined) return member(g, req, ctl);
    if (req.fail !== undefined) throw new Error(req.fail);
    if (req.range !== undefined) {
      const spec = getAlgorithm(req.algorithm);
      // The pool sends the view the spec is defined on (built once on the main thread).
      const values = spec.split!.partial(g, req.params, req.range.from, req.range.to, ctl);
      return transfer({ status: 'partial', values }, values.buffer);
    }
    const output = runAlgorithm(req.algorithm, g, req.params, ctl);
    const buffer = output.kind === 'values' ? output.values : output.kind === 'partition' ? output.membership : output.seeds;
    return transfer({ status: 'ok', output }, buffer.buffer);
  } catch (e) {
    if (isSupernodeError(e)) return { status: 'error', code: e.code, message: e.message };
    return { status: 'error', code: 'WORKER_FAILED', message: e instanceof Error ? e.message : String(e) };
  } finally {
    req.progress?.close();
    if ((graphs.get(req.graphId)?.n ?? 0) >= COLLECT_FROM_NODES) collect();
  }
}

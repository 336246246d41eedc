/** Catalogue entries: measures from engine/rank that run as worker tasks (two-hop reach, IMM seeds). */
import { SupernodeError } from '../errors.js';
import { imm } from '../rank/imm.js';
import { seconds } from '../algorithms/control.js';
import { type ReachState, reachState, reachTeam } from '../rank/reach.js';
import type { CascadeModel } from '../rank/spread.js';
import { type AlgorithmParams, type AlgorithmSpec, teamed, values } from './types.js';

/** `--model ic --p P` (uniform), `wc` (weighted cascade, the default) or `lt`. */
export function cascadeModel(p: AlgorithmParams): CascadeModel {
  const model = p['model'] ?? 'wc';
  if (model === 'ic') {
    const q = p['p'];
    if (typeof q !== 'number' || !(q > 0 && q <= 1)) throw new SupernodeError('BAD_OPTION', 'model ic needs --p in (0, 1]');
    return { kind: 'ic', p: q };
  }
  if (model === 'wc' || model === 'lt') return { kind: model };
  throw new SupernodeError('BAD_OPTION', `--model must be ic, wc or lt, got "${String(model)}"`);
}

export const RANK: readonly AlgorithmSpec[] = [
  // Reads the undirected neighbourhood as merged out/in rows: no view is built for it. The plan
  // and the hub numbering are made once (prepare); members then share one sketch pool.
  teamed('reach', 'distinct members within two hops (undirected view; HyperLogLog on large graphs)', 'as-is', {
    prepare: (g) => reachState(g),
    work: (g, _p, state, team, ctl) => {
      const t0 = performance.now();
      const r = reachTeam(g, {}, state as ReachState, team, ctl);
      return values(r.reach, {
        exactNodes: r.exactNodes, sketchedNodes: r.sketchedNodes, p: r.p, relativeStdError: r.relativeStdError, seconds: seconds(t0),
      });
    },
  }),
  {
    name: 'seeds', summary: 'IMM seed users: k members maximising expected spread (--k, --model ic|wc|lt, --p, --epsilon)', view: 'as-is',
    run: (g, p, ctl) => {
      const k = p.k ?? 50;
      if (!Number.isInteger(k) || k < 1) throw new SupernodeError('BAD_OPTION', `--k must be a positive integer, got ${k}`);
      const nodes = (x: unknown) => (Array.isArray(x) ? (x as number[]) : undefined);
      const exclude = nodes(p['exclude']), candidates = nodes(p['candidates']);
      const r = imm(g, {
        k, model: cascadeModel(p), seed: p.seed, ...(p.epsilon !== undefined && { epsilon: p.epsilon }),
        ...(exclude !== undefined && { exclude }), ...(candidates !== undefined && { candidates }),
      }, ctl);
      const d = r.diagnostics;
      return {
        kind: 'seeds', seeds: Int32Array.from(r.seeds), spread: r.spread, marginal: Float64Array.from(r.marginal),
        diagnostics: {
          rrSets: d.rrSets, rrBytes: d.rrBytes, indexBytes: d.indexBytes, epsilon: d.epsilon, l: d.l, theta: d.theta,
          rrSpreadEstimate: d.rrSpreadEstimate, guaranteeDegraded: d.guaranteeDegraded, seconds: d.seconds,
        },
      };
    },
  },
];

/** Catalogue entries: measures from engine/rank that run as worker tasks (two-hop reach). */
import { SupernodeError } from '../errors.js';
import { imm } from '../rank/imm.js';
import { planReach, twoHopReach } from '../rank/reach.js';
import type { CascadeModel } from '../rank/spread.js';
import { type AlgorithmParams, type AlgorithmSpec, values } from './types.js';

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
  {
    // Reads the undirected neighbourhood as merged out/in rows: no view is built for it. Members
    // are independent, so the pool splits them into ranges (every worker plans the same p).
    name: 'reach', summary: 'distinct members within two hops (undirected view; HyperLogLog on large graphs)', view: 'as-is',
    run: (g, _p, ctl) => {
      const r = twoHopReach(g, {}, ctl);
      return values(r.reach, {
        exactNodes: r.exactNodes, sketchedNodes: r.sketchedNodes, p: r.p, relativeStdError: r.relativeStdError, seconds: r.seconds,
      });
    },
    split: {
      sliced: true,
      partial: (g, _p, from, to, ctl) => twoHopReach(g, {}, ctl, from, to).reach,
      finish: (g, total, _p, secs) => {
        const { p } = planReach(g);
        return values(total, { p, relativeStdError: 1.04 / Math.sqrt(2 ** p), seconds: secs });
      },
    },
  },
  {
    name: 'seeds', summary: 'IMM seed users: k members maximising expected spread (--k, --model ic|wc|lt, --p, --epsilon)', view: 'as-is',
    run: (g, p, ctl) => {
      const k = p.k ?? 50;
      if (!Number.isInteger(k) || k < 1) throw new SupernodeError('BAD_OPTION', `--k must be a positive integer, got ${k}`);
      const r = imm(g, { k, model: cascadeModel(p), seed: p.seed, ...(p.epsilon !== undefined && { epsilon: p.epsilon }) }, ctl);
      const d = r.diagnostics;
      return {
        kind: 'seeds', seeds: Int32Array.from(r.seeds), spread: r.spread,
        diagnostics: {
          rrSets: d.rrSets, rrBytes: d.rrBytes, indexBytes: d.indexBytes, epsilon: d.epsilon, l: d.l, theta: d.theta,
          rrSpreadEstimate: d.rrSpreadEstimate, guaranteeDegraded: d.guaranteeDegraded, seconds: d.seconds,
        },
      };
    },
  },
];

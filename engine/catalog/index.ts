/** The algorithm catalogue: every name `supernode compute`, worker tasks and API jobs accept. */
import { SupernodeError } from '../errors.js';
import { undirectedView } from '../graph/builder.js';
import { ANSWERS } from './answers.js';
import { BASIC } from './basic.js';
import { CENTRALITY } from './centrality.js';
import { COMMUNITIES } from './communities.js';
import { RANK } from './rank.js';
import { STRUCTURE } from './structure.js';
import type { AlgorithmSpec } from './types.js';

export type { AlgorithmOutput, AlgorithmParams, AlgorithmSpec, Diagnostics } from './types.js';

const CATALOGUE = new Map<string, AlgorithmSpec>();
for (const spec of [...BASIC, ...CENTRALITY, ...STRUCTURE, ...COMMUNITIES, ...RANK, ...ANSWERS]) {
  if (CATALOGUE.has(spec.name)) throw new Error(`duplicate algorithm name ${spec.name}`);
  CATALOGUE.set(spec.name, spec);
}

export function algorithmNames(): string[] {
  return [...CATALOGUE.keys()];
}

export function getAlgorithm(name: string): AlgorithmSpec {
  const spec = CATALOGUE.get(name);
  if (spec === undefined) {
    throw new SupernodeError('UNKNOWN_ALGORITHM', `unknown algorithm "${name}"; known: ${algorithmNames().join(', ')}`);
  }
  return spec;
}

/** Runs a spec on the view it is defined on (undirected view built once per graph and cached). */
export function runAlgorithm(
  name: string, g: import('../graph/builder.js').BuiltGraph, params: import('./types.js').AlgorithmParams,
  ctl?: import('../algorithms/control.js').RunControl,
): import('./types.js').AlgorithmOutput {
  const spec = getAlgorithm(name);
  return spec.run(spec.view === 'undirected' ? undirectedView(g) : g, params, ctl);
}

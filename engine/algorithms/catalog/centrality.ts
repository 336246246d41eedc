/** Catalogue entries: centrality measures. */
import type { AlgorithmSpec } from './types.js';

export const CENTRALITY: readonly AlgorithmSpec[] = [];

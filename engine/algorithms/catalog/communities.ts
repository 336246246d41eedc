/** Catalogue entries: communities measures. */
import type { AlgorithmSpec } from './types.js';

export const COMMUNITIES: readonly AlgorithmSpec[] = [];

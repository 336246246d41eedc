/** Catalogue entries: structure measures. */
import type { AlgorithmSpec } from './types.js';

export const STRUCTURE: readonly AlgorithmSpec[] = [];

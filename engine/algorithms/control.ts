/**
 * What every kernel shares: the cooperative cancel/progress hook and the result shape.
 *
 * Kernels call `checkpoint` once per outer loop (an iteration, a source vertex, a level), so a
 * cancel costs one flag read and is noticed within one outer step; progress reports at most every
 * 50 ms so a MessagePort is never flooded by a fast loop.
 */
import { SupernodeError } from '../errors.js';

export interface RunControl {
  /** Polled once per outer loop; true makes the kernel throw CANCELLED. */
  readonly shouldStop?: () => boolean;
  /** Fraction of the work done, in [0, 1]. */
  readonly onProgress?: (fraction: number) => void;
}

/** A per-node score vector with diagnostics: the shape every measure returns. */
export interface ScoreResult {
  readonly scores: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  readonly residual: number;
  readonly seconds: number;
}

export class Checkpoint {
  private last = 0;
  constructor(private readonly ctl: RunControl | undefined, private readonly what: string) {}

  /** Throws CANCELLED when asked to stop; reports progress at most every 50 ms. */
  step(fraction: number): void {
    const ctl = this.ctl;
    if (ctl === undefined) return;
    if (ctl.shouldStop?.()) throw new SupernodeError('CANCELLED', `${this.what} cancelled`);
    if (ctl.onProgress) {
      const now = performance.now();
      if (now - this.last >= 50 || fraction >= 1) {
        this.last = now;
        ctl.onProgress(Math.min(1, Math.max(0, fraction)));
      }
    }
  }
}

export function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

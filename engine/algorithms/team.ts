/**
 * A team: the T cooperating members of one data-parallel kernel run, and the only thing a kernel
 * needs to know about threads. A kernel written against `Team` is the serial kernel when the team
 * is `solo()` (one member, barriers are no-ops) and the parallel one when workers/pool.ts runs T
 * members at once over the same shared state (SharedArrayBuffers).
 *
 * Determinism: every reduction a kernel makes goes through fixed BLOCKS of nodes (`BLOCK` nodes
 * each, independent of T): a member writes one partial per block it owns, and every member adds
 * the block partials in block order (`sumBlocks`). Which member owns which block changes with T;
 * the sums do not, so exact measures give the same bits for any thread count, serial included.
 */
import { SupernodeError } from '../errors.js';

/** Nodes per reduction block (a multiple of 64 so blocks never share a cache line of a result). */
export const BLOCK = 4096;

export interface Team {
  /** This member, 0..size-1. */
  readonly index: number;
  readonly size: number;
  /**
   * Waits until every member has reached this call. Throws CANCELLED when the run was stopped or
   * another member failed (the pool releases the barrier then), so a kernel never hangs.
   */
  sync(): void;
  /** Next value of shared counter `slot` (0..7), starting at 0: dynamic scheduling of chunks. */
  claim(slot: number): number;
}

/** The team of one: the serial kernel. */
export function solo(): Team {
  const counters = new Int32Array(8);
  return { index: 0, size: 1, sync: () => {}, claim: (slot) => counters[slot]!++ };
}

export function blockCount(n: number): number {
  return Math.ceil(n / BLOCK);
}

/**
 * The blocks [lo, hi) member `index` of `size` owns: contiguous, balanced by the work `offsets`
 * describes (offsets[v] = cumulative cost before node v, e.g. a CSR's row offsets, so rows of a
 * hub count by their arcs), every member computing the same cut.
 */
export function ownedBlocks(offsets: Int32Array, n: number, index: number, size: number): { lo: number; hi: number } {
  const blocks = blockCount(n);
  const cut = (i: number): number => {
    if (i <= 0) return 0;
    if (i >= size) return blocks;
    // Work per node is its row plus one, so isolated nodes still spread.
    const total = offsets[n]! + n;
    const want = (total * i) / size;
    let a = 0, b = blocks;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const v = Math.min(n, mid * BLOCK);
      if (offsets[v]! + v < want) a = mid + 1;
      else b = mid;
    }
    return a;
  };
  return { lo: cut(index), hi: cut(index + 1) };
}

/** Sum of block partials in block order: the same floating-point sum for any team size. */
export function sumBlocks(partials: Float64Array): number {
  let s = 0;
  for (let b = 0; b < partials.length; b++) s += partials[b]!;
  return s;
}

/** Float64 array on shared memory: state a team's members all read and write. */
export function sharedF64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * Math.max(1, length))).subarray(0, length);
}

export function sharedI32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, length))).subarray(0, length);
}

export function sharedU8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(4, (length + 3) & ~3))).subarray(0, length);
}

/** Layout of a team's control words (an Int32Array on a SharedArrayBuffer). */
export const TEAM_ARRIVED = 0, TEAM_GENERATION = 1, TEAM_ABORT = 2, TEAM_COUNTERS = 8, TEAM_WORDS = 16;

/**
 * The member of a team running on `control` (workers/task.ts builds one per task): a
 * sense-reversing barrier over Atomics. A waiting member wakes every 100 ms to look at the abort
 * word, so even a member whose thread died (it can no longer notify) cannot hang the others
 * once the pool has set that word.
 */
export function teamMember(control: Int32Array, index: number, size: number, shouldStop?: () => boolean): Team {
  const abort = (): never => {
    Atomics.store(control, TEAM_ABORT, 1);
    Atomics.notify(control, TEAM_GENERATION);
    throw new SupernodeError('CANCELLED', 'parallel run stopped (cancelled, or another worker failed)');
  };
  return {
    index, size,
    sync() {
      if (Atomics.load(control, TEAM_ABORT) !== 0 || shouldStop?.()) abort();
      const gen = Atomics.load(control, TEAM_GENERATION);
      if (Atomics.add(control, TEAM_ARRIVED, 1) === size - 1) {
        Atomics.store(control, TEAM_ARRIVED, 0);
        Atomics.add(control, TEAM_GENERATION, 1);
        Atomics.notify(control, TEAM_GENERATION);
        return;
      }
      while (Atomics.load(control, TEAM_GENERATION) === gen) {
        if (Atomics.load(control, TEAM_ABORT) !== 0 || shouldStop?.()) abort();
        Atomics.wait(control, TEAM_GENERATION, gen, 100);
      }
    },
    claim: (slot) => Atomics.add(control, TEAM_COUNTERS + slot, 1),
  };
}

/** Marks a team stopped and wakes every member waiting at its barrier. */
export function abortTeam(control: Int32Array): void {
  Atomics.store(control, TEAM_ABORT, 1);
  Atomics.notify(control, TEAM_GENERATION);
}

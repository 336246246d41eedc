/**
 * Member dictionary: opaque member ids (strings) <-> dense int32 node indices 0..size-1.
 *
 * Ids are compared as strings: "007" and "7" are two members, "__proto__" is an ordinary id
 * (a Map, never a plain object). Indices are handed out in first-seen order and never change, so a
 * dictionary restored from a stored dataset keeps every index and only appends.
 *
 * Fast path: SNAP-style files use decimal ids. An id in canonical decimal form ("0" or a digit
 * string without a leading zero, at most 15 digits, so exact in a double) is keyed by its numeric
 * value instead of its string. That is a bijection with the canonical strings, so it is the same
 * dictionary whichever path a caller takes (`intern("12")` === `internNumber(12)`). Small values
 * live in a direct Int32Array table (index+1, 0 = absent), larger ones in a Map<number, number>;
 * neither allocates a string per lookup. Non-canonical ids ("007", "1.0", "+3") stay strings.
 */
import { SupernodeError } from '../errors.js';

/** Ids below this may use the direct table; above it a Map. 2^24 entries = 64 MiB at most. */
const DIRECT_LIMIT = 1 << 24;
/** The direct table may always grow to this many entries (16 MiB), however sparse. */
const DIRECT_FREE = 1 << 22;
const MAX_MEMBERS = 0x7fffffff;

export class MemberDictionary {
  private readonly byString = new Map<string, number>();
  private readonly byNumber = new Map<number, number>();
  private direct = new Int32Array(1024);
  // Canonical decimal ids are kept as numbers and turned into strings only when asked for: a
  // number-to-string conversion costs more than the whole row parse on SNAP files.
  private readonly list: (string | number)[] = [];

  constructor(initial?: readonly string[]) {
    if (initial) for (const id of initial) this.intern(id);
  }

  get size(): number {
    return this.list.length;
  }

  intern(id: string): number {
    const n = canonicalNumber(id);
    if (n >= 0) return this.internNumber(n);
    let i = this.byString.get(id);
    if (i === undefined) {
      i = this.push(id);
      this.byString.set(id, i);
    }
    return i;
  }

  /** Interns the id whose canonical decimal form is `n` (a non-negative safe integer < 1e15). */
  internNumber(n: number): number {
    if (n < this.direct.length) {
      const j = this.direct[n]!;
      if (j !== 0) return j - 1;
      // A value may have gone to the map before the table grew past it.
      if (this.byNumber.size !== 0) {
        const k = this.byNumber.get(n);
        if (k !== undefined) return k;
      }
      const i = this.push(n);
      this.direct[n] = i + 1;
      return i;
    }
    if (n < DIRECT_LIMIT && this.growDirect(n)) return this.internNumber(n);
    return this.internMapped(n);
  }

  indexOf(id: string): number {
    const n = canonicalNumber(id);
    if (n < 0) return this.byString.get(id) ?? -1;
    if (n < this.direct.length) {
      const j = this.direct[n]!;
      if (j !== 0) return j - 1;
    }
    return this.byNumber.get(n) ?? -1;
  }

  idOf(index: number): string {
    const id = this.list[index];
    if (id === undefined) throw new SupernodeError('UNKNOWN_MEMBER', `no member with index ${index} (dictionary holds ${this.list.length})`);
    return typeof id === 'number' ? String(id) : id;
  }

  /** A copy, in index order. */
  ids(): string[] {
    return this.idsFrom(0);
  }

  /** Ids from `start` on, in index order (the delta a store chunk records). */
  idsFrom(start: number): string[] {
    const out = new Array<string>(Math.max(0, this.list.length - start));
    for (let i = start; i < this.list.length; i++) {
      const id = this.list[i]!;
      out[i - start] = typeof id === 'number' ? String(id) : id;
    }
    return out;
  }

  private internMapped(n: number): number {
    let i = this.byNumber.get(n);
    if (i === undefined) {
      i = this.push(n);
      this.byNumber.set(n, i);
    }
    return i;
  }

  /** Grows the direct table to cover `n` unless that would make it mostly empty. */
  private growDirect(n: number): boolean {
    // Beyond 16 MiB keep the table at most ~16 slots per member, so a few huge ids cannot
    // cost 64 MiB.
    if (n >= DIRECT_FREE && n > 16 * this.list.length) return false;
    let len = this.direct.length;
    while (len <= n) len *= 2;
    const next = new Int32Array(Math.min(len, DIRECT_LIMIT));
    next.set(this.direct);
    // Values already in byNumber below the new size stay there; lookups check both.
    this.direct = next;
    return true;
  }

  private push(id: string | number): number {
    const i = this.list.length;
    if (i >= MAX_MEMBERS) throw new SupernodeError('INPUT_TOO_LARGE', 'more than 2^31-1 distinct members');
    this.list.push(id);
    return i;
  }
}

/** The numeric value of a canonical decimal id, or -1. */
export function canonicalNumber(id: string): number {
  const len = id.length;
  if (len === 0 || len > 15) return -1;
  const c0 = id.charCodeAt(0);
  if (c0 === 48) return len === 1 ? 0 : -1;
  let v = 0;
  for (let k = 0; k < len; k++) {
    const c = id.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

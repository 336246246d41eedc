/**
 * Where every reader puts its rows: growable typed columns (never arrays of objects), the type
 * dictionary, and the strict / skip-bad policy for malformed rows.
 *
 * Optional columns appear lazily: an NDJSON file may show a `weight` key first on row 10 000, so
 * enabling a column back-fills the rows before it with the default (weight 1, timestamp NaN,
 * type -1). Growth doubles capacity, so appending is amortised O(1) and the final `finish` copies
 * each column once to its exact length.
 */
import { SupernodeError, type ErrorCode } from '../errors.js';
import type { EdgeColumns } from '../graph/builder.js';
import type { MemberDictionary } from './dictionary.js';

export interface BadRow { file: string; line: number; column: number; code: ErrorCode; reason: string }

const MAX_EXAMPLES = 10;

export class EdgeSink {
  rows = 0;
  cap = 1 << 16;
  src: Int32Array = new Int32Array(this.cap);
  dst: Int32Array = new Int32Array(this.cap);
  weight: Float64Array | null = null;
  ts: Float64Array | null = null;
  type: Int32Array | null = null;
  readonly typeNames: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  skipped = 0;
  readonly bad: BadRow[] = [];

  constructor(
    readonly file: string,
    readonly members: MemberDictionary,
    readonly skipBad: boolean,
    readonly timeScale: number,
  ) {}

  grow(): void {
    const cap = this.cap * 2;
    this.src = growInt(this.src, cap);
    this.dst = growInt(this.dst, cap);
    if (this.weight) this.weight = growFloat(this.weight, cap);
    if (this.ts) this.ts = growFloat(this.ts, cap);
    if (this.type) this.type = growInt(this.type, cap);
    this.cap = cap;
  }

  enableWeight(): Float64Array {
    if (!this.weight) { this.weight = new Float64Array(this.cap); this.weight.fill(1, 0, this.rows); }
    return this.weight;
  }

  enableTimestamp(): Float64Array {
    if (!this.ts) { this.ts = new Float64Array(this.cap); this.ts.fill(NaN, 0, this.rows); }
    return this.ts;
  }

  enableType(): Int32Array {
    if (!this.type) { this.type = new Int32Array(this.cap); this.type.fill(-1, 0, this.rows); }
    return this.type;
  }

  typeId(name: string): number {
    if (name === '') return -1;
    let i = this.typeIndex.get(name);
    if (i === undefined) {
      i = this.typeNames.length;
      this.typeNames.push(name);
      this.typeIndex.set(name, i);
    }
    return i;
  }

  /** A malformed row: throws (strict) or counts it and keeps the first examples (skipBad). */
  fail(code: ErrorCode, line: number, column: number, reason: string): void {
    if (!this.skipBad) throw SupernodeError.located(code, reason, { file: this.file, line, column });
    this.skipped++;
    if (this.bad.length < MAX_EXAMPLES) this.bad.push({ file: this.file, line, column, code, reason });
  }

  finish(): EdgeColumns {
    const n = this.rows;
    return {
      nodeCount: this.members.size,
      source: this.src.slice(0, n),
      target: this.dst.slice(0, n),
      weight: this.weight ? this.weight.slice(0, n) : null,
      timestamp: this.ts ? this.ts.slice(0, n) : null,
      type: this.type ? this.type.slice(0, n) : null,
      typeNames: this.typeNames.slice(),
    };
  }
}

function growInt(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

function growFloat(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_RE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A weight from text, or the reason it is not one. */
export function parseWeightText(text: string): number | string {
  const t = text.trim();
  if (t === '') return 'empty weight';
  if (!NUMBER_RE.test(t)) return `weight "${t}" is not a number`;
  const x = Number(t);
  if (!Number.isFinite(x)) return `weight "${t}" is not finite`;
  if (x < 0) return `weight ${t} is negative`;
  return x;
}

/** A weight from a JSON or Arrow value, or the reason it is not one. */
export function checkWeight(x: number): string | null {
  if (Number.isNaN(x)) return 'weight is NaN';
  if (!Number.isFinite(x)) return `weight ${x} is not finite`;
  if (x < 0) return `weight ${x} is negative`;
  return null;
}

/**
 * A timestamp in ms from text: a number in `scale` ms units (1000 for seconds) or an ISO-8601
 * date / date-time. A date-time without an offset is read as UTC (ECMAScript would use the
 * machine's local zone, which makes results depend on where the engine runs). Rounded to whole
 * ms so an Arrow TimestampMillisecond column stores it exactly. NaN when unparsable.
 */
export function parseTimestampText(text: string, scale: number): number {
  const t = text.trim();
  if (NUMBER_RE.test(t)) {
    const x = Number(t) * scale;
    return Number.isFinite(x) ? Math.round(x) : NaN;
  }
  const m = ISO_RE.exec(t);
  if (!m) return NaN;
  const iso = m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${m[3] ?? 'Z'}`;
  const x = Date.parse(iso);
  return Number.isFinite(x) ? x : NaN;
}

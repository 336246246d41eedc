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
import {
  CLI_INPUT_LIMITS, CLI_LIMIT_FLAGS, type InputLimits, type LimitFlags, MAX_ROWS_HARD, limitError, timestampProblem,
} from '../limits.js';

export interface BadRow { file: string; line: number; column: number; code: ErrorCode; reason: string }

const MAX_EXAMPLES = 10;

export class EdgeSink {
  rows = 0;
  cap: number;
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array | null = null;
  ts: Float64Array | null = null;
  type: Int32Array | null = null;
  readonly typeNames: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  skipped = 0;
  readonly bad: BadRow[] = [];

  /** Rows this input may hold (engine/limits.ts); the row past it is INPUT_LIMIT. */
  readonly maxRows: number;

  constructor(
    readonly file: string,
    readonly members: MemberDictionary,
    readonly skipBad: boolean,
    readonly timeScale: number,
    /** The input's limits (engine/limits.ts); readers take maxLineBytes from here. */
    readonly limits: InputLimits = CLI_INPUT_LIMITS,
    /** The flags named in INPUT_LIMIT messages (the CLI's or the server's). */
    readonly limitFlags: LimitFlags = CLI_LIMIT_FLAGS,
  ) {
    this.maxRows = Math.min(limits.maxRows, MAX_ROWS_HARD);
    this.cap = Math.min(1 << 16, this.maxRows);
    this.src = new Int32Array(this.cap);
    this.dst = new Int32Array(this.cap);
  }

  /**
   * Room for one more row: every reader calls this when `rows === cap`. Capacity doubles up to
   * the row limit, and a row past the limit fails the input there, before the columns grow again.
   */
  grow(): void {
    if (this.cap >= this.maxRows) throw limitError('rows', this.maxRows, this.limitFlags, { file: this.file });
    const cap = Math.min(this.cap * 2, this.maxRows);
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

  /**
   * The timestamp check every reader makes (engine/limits.ts has the window): true when `ms` may
   * be stored (NaN = no timestamp); otherwise the row is reported as INPUT_BAD_TIMESTAMP at
   * line:column (`raw` is the value as written) and false says to drop it.
   */
  timeOk(ms: number, line: number, column: number, raw: string): boolean {
    const problem = timestampProblem(ms, this.timeScale);
    if (problem === null) return true;
    this.fail('INPUT_BAD_TIMESTAMP', line, column, `${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}...` : raw)}: ${problem}`);
    return false;
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

/** True when `text` is a value (a number or an ISO-8601 date), not a name: how a header row is told from data. */
export function isValueText(text: string): boolean {
  const t = text.trim();
  return NUMBER_RE.test(t) || ISO_RE.test(t);
}

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

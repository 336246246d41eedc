/**
 * Every bound on a size that input data can drive, in one place (docs/operations.md lists them
 * with their flags). Two kinds:
 *
 * - Input limits, checked while the bytes stream in (engine/ingest/index.ts and the readers), so a
 *   hostile upload fails before memory grows: decompressed bytes, rows, line length, and the range
 *   a timestamp may take. Exceeding a size limit is 413 INPUT_LIMIT naming the limit and the flag
 *   that raises it; a timestamp outside the window is a located INPUT_BAD_TIMESTAMP row error.
 * - Array bounds inside the analysis: anything sized from the data's time span (weekly-activity
 *   buckets, trajectory windows) has a cap; activity buckets are coarsened to fit it, never
 *   allocated from the span alone.
 *
 * Why a timestamp window at all: the analysis sizes per-community weekly series from the span
 * between the earliest and the latest interaction, so two rows at 99999999999999999999 s and
 * -99999999999999 s (both finite doubles) once asked for ~10^14 buckets and took the process down.
 * The window is 1900-01-01 (inclusive) to 2200-01-01 (exclusive), UTC: it holds every digital
 * interaction log and historic archives (correspondence, citations) back to 1900, and scheduled
 * future events, with a span of at most 300 years (15 653 weeks). JavaScript's own Date bound
 * (+-8.64e15 ms, about +-273 790 years) is far outside it. A value read as seconds that would fall
 * in the window as milliseconds gets a hint to say `--time-unit ms`.
 *
 * Readers added later (Parquet, GraphML, GEXF, GML) call the same checks through the EdgeSink
 * (engine/ingest/sink.ts: `sink.badTime`, `sink.grow`), so every format gets them.
 */
import { SupernodeError } from './errors.js';

/** 1900-01-01T00:00:00Z, inclusive. */
export const TIMESTAMP_MIN_MS = Date.UTC(1900, 0, 1);
/** 2200-01-01T00:00:00Z, exclusive. */
export const TIMESTAMP_MAX_MS = Date.UTC(2200, 0, 1);

/** The reader's fast test (NaN is false: the caller tells "none" apart first). */
export function inTimeWindow(ms: number): boolean {
  return ms >= TIMESTAMP_MIN_MS && ms < TIMESTAMP_MAX_MS;
}

/**
 * Why the timestamp `ms` (milliseconds, already scaled from the input unit `scale`: 1000 for
 * seconds, 1 for ms) cannot be stored, or null when it can. NaN means "no timestamp" and is fine.
 */
export function timestampProblem(ms: number, scale: number): string | null {
  if (ms !== ms) return null;
  if (ms >= TIMESTAMP_MIN_MS && ms < TIMESTAMP_MAX_MS) return null;
  const unit = scale === 1000 ? 'seconds' : 'milliseconds';
  const hint = scale === 1000 && ms / 1000 >= TIMESTAMP_MIN_MS && ms / 1000 < TIMESTAMP_MAX_MS
    ? '; it reads as milliseconds: use --time-unit ms (API: ?timeUnit=ms)' : '';
  return `timestamp is outside the supported range 1900-01-01..2199-12-31 UTC (read as ${unit})${hint}`;
}

export interface InputLimits {
  /** Decompressed bytes of one input (an upload or a file). */
  readonly maxBytes: number;
  /** Edge rows of one input (bad rows skipped with skipBad do not count). */
  readonly maxRows: number;
  /** Bytes of one line (delimited text, NDJSON), without its newline. */
  readonly maxLineBytes: number;
}

/** The flag that raises each limit, quoted in the INPUT_LIMIT message. */
export interface LimitFlags {
  readonly bytes: string;
  readonly rows: string;
  readonly line: string;
}

/**
 * Rows can never exceed this: the sink's Float64Array columns (weight, timestamp) are bounded by
 * Node 20's 4 GiB typed-array length, i.e. 2^29 doubles. Past it the allocation would throw a
 * RangeError deep inside ingest; this turns it into INPUT_LIMIT.
 */
export const MAX_ROWS_HARD = 2 ** 29 - 1;

/**
 * The command line: the user's own machine and files, so generous; the row bound is what the
 * columns and the graph of that many rows fit in on a 24 GiB machine (~60 B per row in all).
 */
export const CLI_INPUT_LIMITS: InputLimits = Object.freeze({
  maxBytes: 64 * 2 ** 30, maxRows: 300_000_000, maxLineBytes: 1 << 20,
});
export const CLI_LIMIT_FLAGS: LimitFlags = Object.freeze({
  bytes: '--max-input-bytes', rows: '--max-rows', line: '--max-line-bytes',
});

/**
 * One upload to the server. The row bound (50 M, about the largest graph the benchmarks analyse)
 * keeps an upload's columns (~20 B per row with weight and timestamp, briefly doubled while they
 * grow) near 1-2 GiB next to everything else the server holds; 4 GiB of decompressed text holds
 * 50 M rows of ~80 bytes, so text with long ids or extra columns reaches the row bound first.
 */
export const API_INPUT_LIMITS: InputLimits = Object.freeze({
  maxBytes: 4 * 2 ** 30, maxRows: 50_000_000, maxLineBytes: 1 << 20,
});
export const API_LIMIT_FLAGS: LimitFlags = Object.freeze({
  bytes: '--max-upload-bytes (SUPERNODE_MAX_UPLOAD_BYTES)', rows: '--max-upload-rows (SUPERNODE_MAX_UPLOAD_ROWS)',
  line: '--max-line-bytes (SUPERNODE_MAX_LINE_BYTES)',
});

/** INPUT_LIMIT with the limit and its flag in the message (413 over HTTP). */
export function limitError(
  what: 'bytes' | 'rows' | 'line', limit: number, flags: LimitFlags,
  where: { file: string; line?: number; column?: number },
): SupernodeError {
  const text = what === 'bytes' ? `the input exceeds ${limit} decompressed bytes`
    : what === 'rows' ? `the input exceeds ${limit} edge rows`
      : `the line is longer than ${limit} bytes`;
  return SupernodeError.located('INPUT_LIMIT', `${text} (the limit; raise it with ${flags[what]})`, where);
}

/** Validates a limit given as a flag or option: a positive integer (bytes or rows). */
export function limitValue(v: unknown, name: string): number {
  const x = typeof v === 'string' ? Number(v) : v;
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 1) {
    throw new SupernodeError('BAD_OPTION', `${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return x;
}

/**
 * Community activity (engine/rank/communities.ts): at most this many buckets per series (ten
 * years of weeks) and this many community x bucket cells in all (8 MiB of counts, and as many
 * points in a snapshot). A longer span is coarsened to whole multiples of the bucket width.
 */
export const MAX_ACTIVITY_BUCKETS = 520;
export const MAX_ACTIVITY_CELLS = 1 << 20;

/**
 * A whole multiple of `bucketMs` that covers [origin(lo), hi] in at most `allowed` buckets, where
 * origin is aligned to `align` (the Monday 00:00 UTC rule) unless given: ceil(buckets / allowed)
 * when that fits, else a closed-form bound; returns the bucket width, the origin and the count.
 */
export function activityBuckets(
  lo: number, hi: number, bucketMs: number, communities: number, align: number, origin?: number,
): { bucketMs: number; origin: number; buckets: number; factor: number } {
  const allowed = Math.max(1, Math.min(MAX_ACTIVITY_BUCKETS, Math.floor(MAX_ACTIVITY_CELLS / Math.max(1, communities))));
  const fit = (width: number) => {
    const o = origin ?? Math.floor((lo - align) / width) * width + align;
    return { origin: o, buckets: Math.max(1, Math.floor((hi - o) / width) + 1) };
  };
  const first = fit(bucketMs);
  if (first.buckets <= allowed) return { bucketMs, ...first, factor: 1 };
  // Closed forms, no search (a search can stall: an aligned origin may sit up to one width before
  // lo whatever the width). A fixed origin o needs width > (hi - o) / allowed; an aligned one,
  // which lies in (lo - width, lo], needs width * (allowed - 1) > hi - lo; with one bucket allowed,
  // the bucket starts at the one-week-aligned origin and is wide enough to reach hi.
  let factor: number, o: number;
  if (origin !== undefined) {
    factor = Math.floor((hi - origin) / (allowed * bucketMs)) + 1;
    o = origin;
  } else if (allowed === 1) {
    o = first.origin;
    factor = Math.floor((hi - o) / bucketMs) + 1;
    return { bucketMs: bucketMs * factor, origin: o, buckets: 1, factor };
  } else {
    factor = Math.max(Math.ceil(first.buckets / allowed), Math.floor((hi - lo) / ((allowed - 1) * bucketMs)) + 1);
    // The smaller guess is usually enough; the closed form above is the bound.
    const guess = Math.ceil(first.buckets / allowed);
    if (fit(bucketMs * guess).buckets <= allowed) factor = guess;
    o = fit(bucketMs * factor).origin;
  }
  return { bucketMs: bucketMs * factor, origin: o, buckets: fit(bucketMs * factor).buckets, factor };
}

/**
 * Windows of one rank trajectory (engine/rank/rising.ts `trajectory`): each costs a graph build and
 * a measure over that window, so a 1 ms step over years of data is refused, not run.
 */
export const MAX_TRAJECTORY_WINDOWS = 1000;

/**
 * Heap (old generation) of an analysis thread (api/analysis-thread.ts), MiB. With a limit set,
 * V8 running out of heap ends the thread (its job fails with JOB_FAILED) instead of aborting the
 * process. 4 GiB is the default heap of a main thread on a 64-bit machine of 16 GiB or more, so
 * the analyses that ran before still run; `--job-heap-mb` changes it.
 */
export const ANALYSIS_HEAP_MB = 4096;

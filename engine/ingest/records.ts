/**
 * One edge record into the sink, for the readers whose values arrive typed rather than as text
 * (Parquet columns, GraphML/GEXF attributes, GML values): the same checks, codes and positions as
 * the text readers (sink.ts), so `--skip-bad` and the `file:line:column: reason` errors behave
 * the same whatever the format. Positions are the reader's: a row number and field position for
 * Parquet, the element's line and column for XML, the record's line and column for GML.
 */
import { SupernodeError } from '../errors.js';
import { ROLE_SOURCE, ROLE_TARGET, ROLE_TIMESTAMP, ROLE_TYPE, ROLE_WEIGHT } from './columns.js';
import { type EdgeSink, checkWeight, parseTimestampText, parseWeightText } from './sink.js';

/** A typed value as decoders hand it out. */
export type Value = string | number | bigint | boolean | Date | null | undefined | Uint8Array;

/** Where each field of a record sits, for error positions (1-based columns; 0 when not known). */
export interface FieldColumns {
  readonly [ROLE_SOURCE]: number;
  readonly [ROLE_TARGET]: number;
  readonly [ROLE_WEIGHT]: number;
  readonly [ROLE_TIMESTAMP]: number;
  readonly [ROLE_TYPE]: number;
}

export interface EdgeRecord {
  source: Value;
  target: Value;
  weight?: Value;
  timestamp?: Value;
  type?: Value;
}

/**
 * Checks and appends one record. `timeIsMs`: a numeric timestamp is already in ms (a Parquet
 * TIMESTAMP column); otherwise numbers are in the sink's unit (seconds unless `--time-unit ms`).
 * Returns false when the row was bad (and skipped under skipBad; strict mode throws).
 */
export function pushRecord(sink: EdgeSink, r: EdgeRecord, line: number, at: FieldColumns, timeIsMs = false): boolean {
  const a = idText(r.source), b = idText(r.target);
  if (a === null) { sink.fail('INPUT_MISSING_FIELD', line, at[ROLE_SOURCE], 'missing source'); return false; }
  if (b === null) { sink.fail('INPUT_MISSING_FIELD', line, at[ROLE_TARGET], 'missing target'); return false; }
  if (a === '') { sink.fail('INPUT_EMPTY_ID', line, at[ROLE_SOURCE], 'empty source id'); return false; }
  if (b === '') { sink.fail('INPUT_EMPTY_ID', line, at[ROLE_TARGET], 'empty target id'); return false; }
  let weight = 1;
  if (r.weight !== null && r.weight !== undefined) {
    const x = r.weight;
    let reason: string | null;
    if (typeof x === 'string') {
      const p = parseWeightText(x);
      if (typeof p === 'string') reason = p; else { weight = p; reason = null; }
    } else if (typeof x === 'number' || typeof x === 'bigint') {
      weight = Number(x);
      reason = checkWeight(weight);
    } else reason = `weight ${String(x)} is not a number`;
    if (reason !== null) { sink.fail('INPUT_BAD_WEIGHT', line, at[ROLE_WEIGHT], reason); return false; }
  }
  let time = NaN;
  if (r.timestamp !== null && r.timestamp !== undefined) {
    const x = r.timestamp;
    if (x instanceof Date) time = x.getTime();
    else if (typeof x === 'string') time = parseTimestampText(x, sink.timeScale);
    else if (typeof x === 'number' || typeof x === 'bigint') time = Math.round(Number(x) * (timeIsMs ? 1 : sink.timeScale));
    if (!Number.isFinite(time)) { sink.fail('INPUT_BAD_TIMESTAMP', line, at[ROLE_TIMESTAMP], `timestamp ${String(x)} is not a valid time`); return false; }
    // The window every reader checks (engine/limits.ts, through the sink).
    if (!sink.timeOk(time, line, at[ROLE_TIMESTAMP], x instanceof Date ? String(time) : String(x))) return false;
  }
  let type = -1;
  if (r.type !== null && r.type !== undefined) type = sink.typeId(String(r.type));
  const row = sink.rows;
  if (row === sink.cap) sink.grow();
  sink.src[row] = intern(sink, r.source, a);
  sink.dst[row] = intern(sink, r.target, b);
  if (sink.weight) sink.weight[row] = weight;
  if (sink.ts) sink.ts[row] = time;
  if (sink.type) sink.type[row] = type;
  sink.rows = row + 1;
  return true;
}

/** The id as text; null when absent. Integers (incl. Parquet INT64) are their decimal form. */
export function idText(v: Value): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function intern(sink: EdgeSink, v: Value, text: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e15) return sink.members.internNumber(v);
  return sink.members.intern(text);
}

/**
 * GML, GraphML and GEXF are documents, not row streams: node declarations may follow the edges
 * that use them, and the XML readers build a DOM (xmldom) and a graphology graph. So these inputs
 * are held whole and capped: past this many decoded bytes the load stops with INPUT_LIMIT.
 * Measured (`/usr/bin/time -v`, a generated 200,000-edge GraphML of 13.7 MB with a weight per
 * edge, Node 20 on the 2-core VM): peak RSS 1.14 GB and 10.4 s, i.e. ~5 KiB and ~50 us per edge.
 * 32 MiB is then ~470,000 GraphML edges, ~2.5 GB and ~25 s; larger graphs belong in an edge
 * list, NDJSON, Arrow or Parquet, which stream (a hand-written streaming XML reader would lift
 * the cap; not done).
 */
export const GRAPH_DOCUMENT_MAX_BYTES = 32 * 2 ** 20;

/** The whole input as UTF-8 text, refusing more than `GRAPH_DOCUMENT_MAX_BYTES`. */
export async function documentText(chunks: AsyncIterable<Uint8Array>, file: string, format: string, max = GRAPH_DOCUMENT_MAX_BYTES): Promise<string> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    n += c.byteLength;
    if (n > max) {
      throw SupernodeError.located('INPUT_LIMIT', `${format} input is larger than ${max / 2 ** 20} MiB, the bound for whole-document formats; convert it to an edge list, NDJSON, Arrow or Parquet, which stream`, { file });
    }
    parts.push(c);
  }
  const bytes = Buffer.concat(parts);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Locate the first bad byte: the lenient decoding puts U+FFFD there.
    const lenient = bytes.toString('utf8');
    const { line, column } = positionOf(lenient, Math.max(0, lenient.indexOf('\uFFFD')));
    throw SupernodeError.located('INPUT_BAD_UTF8', 'invalid UTF-8', { file, line, column });
  }
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1, start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line++; start = i + 1; }
  return { line, column: offset - start + 1 };
}

/**
 * Parquet in, through hyparquet (pure JavaScript, no native or WASM module). bench/parquet.bench.ts
 * reads one seeded 1,000,000-row edge table (string ids, weight, timestamp, type) three ways in one
 * run (bench/results/parquet.json, 2-core VM): Arrow IPC 2.81 s, parquet-wasm row group by row
 * group 2.98 s (1.06x), hyparquet 3.57 s (1.27x); at 100,000 rows hyparquet was the faster Parquet
 * reader (1.07x vs 1.26x). hyparquet is kept for what the bench does not time: it reads a file by
 * random access (the footer, then one row group's column chunks), where parquet-wasm's readParquet
 * takes the whole file as one buffer in WASM memory, and it needs no WASM start-up. At 20% of an
 * ingest path that runs at the Arrow path's speed either way, that is the better trade; switching is
 * one function (readParquet below) if the bench says otherwise on other data.
 *
 * Streamed by row group: the footer (metadata) is read first, then one row group at a time is
 * decoded, checked and appended to the sink, so decoded memory is one row group's columns. A file
 * on disk is read by random access (only the footer and the wanted column chunks); a stream (an
 * upload) has to be held whole first, because Parquet puts its footer at the end.
 *
 * Columns are found by name through the shared alias table (columns.ts), as for Arrow; nested
 * columns are not edge fields. source/target must be strings or integers (INT32/INT64; INT64
 * comes as BigInt and becomes its decimal id); anything else is INPUT_BAD_ID. Timestamps: a
 * TIMESTAMP/DATE column is taken as is (decoded to Date), numbers are in the ingest time unit,
 * strings are ISO 8601. Errors point at `row:column` (row = 1-based across row groups, column =
 * 1-based field position), in the line:column slots, like Arrow.
 */
import fs from 'node:fs';
import { type AsyncBuffer, type FileMetaData, asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { SupernodeError } from '../errors.js';
import { ROLE_SOURCE, ROLE_TARGET, ROLE_TIMESTAMP, ROLE_TYPE, ROLE_WEIGHT, roleOf } from './columns.js';
import { type EdgeRecord, type FieldColumns, type Value, pushRecord } from './records.js';
import type { EdgeSink } from './sink.js';

export const PARQUET_MAGIC = 'PAR1';

/** Reads a Parquet file on disk by random access. */
export async function readParquetFile(file: string, sink: EdgeSink, onProgress?: (done: number, total: number) => void): Promise<void> {
  const size = (await fs.promises.stat(file)).size;
  await readParquet(await asyncBufferFromFile(file), sink, onProgress === undefined ? undefined : (f) => onProgress(Math.round(f * size), size));
}

/** Reads a Parquet stream: held whole (the footer is at the end), then decoded row group by row group. */
export async function readParquetStream(chunks: AsyncIterable<Uint8Array>, sink: EdgeSink): Promise<void> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) { parts.push(c); n += c.byteLength; }
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.byteLength; }
  await readParquet(all.buffer, sink);
}

async function readParquet(file: AsyncBuffer, sink: EdgeSink, onProgress?: (fraction: number) => void): Promise<void> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw SupernodeError.located('INPUT_BAD_PARQUET', `not a Parquet file: ${(err as Error).message}`, { file: sink.file });
  }
  const fields = parquetSchema(metadata).children;
  const at = [-1, -1, -1, -1, -1];
  fields.forEach((f, k) => {
    const r = roleOf(f.element.name);
    if (r >= 0 && r < 5 && at[r] === -1 && f.children.length === 0) at[r] = k;
  });
  if (at[ROLE_SOURCE] === -1 || at[ROLE_TARGET] === -1) {
    throw SupernodeError.located('INPUT_BAD_PARQUET', `no source/target columns among [${fields.map((f) => f.element.name).join(', ')}]`, { file: sink.file });
  }
  for (const role of [ROLE_SOURCE, ROLE_TARGET]) {
    const el = fields[at[role]!]!.element;
    if (el.type !== 'BYTE_ARRAY' && el.type !== 'INT32' && el.type !== 'INT64' && el.type !== 'FIXED_LEN_BYTE_ARRAY') {
      throw SupernodeError.located('INPUT_BAD_ID', `column "${el.name}" is ${el.type}; member ids are strings or integers`, { file: sink.file, line: 1, column: at[role]! + 1 });
    }
  }
  const cols: FieldColumns = {
    [ROLE_SOURCE]: at[ROLE_SOURCE]! + 1, [ROLE_TARGET]: at[ROLE_TARGET]! + 1, [ROLE_WEIGHT]: at[ROLE_WEIGHT]! + 1,
    [ROLE_TIMESTAMP]: at[ROLE_TIMESTAMP]! + 1, [ROLE_TYPE]: at[ROLE_TYPE]! + 1,
  };
  const names = at.map((k) => (k < 0 ? null : fields[k]!.element.name));
  if (names[ROLE_WEIGHT] !== null) sink.enableWeight();
  if (names[ROLE_TIMESTAMP] !== null) sink.enableTimestamp();
  if (names[ROLE_TYPE] !== null) sink.enableType();
  const wanted = names.filter((x): x is string => x !== null);
  const total = Number(metadata.num_rows);
  let rowStart = 0;
  for (const rg of metadata.row_groups) {
    const rows = Number(rg.num_rows);
    const rowEnd = rowStart + rows;
    const data = new Map<string, Value[]>(wanted.map((w) => [w, new Array<Value>(rows)]));
    try {
      await parquetRead({
        file, metadata, columns: wanted, rowStart, rowEnd,
        // A chunk may hold rows outside the range asked for; copy only the overlap.
        onChunk: (c) => {
          const out = data.get(c.columnName);
          if (out === undefined) return;
          const from = Math.max(c.rowStart, rowStart), to = Math.min(c.rowEnd, rowEnd);
          for (let r = from; r < to; r++) out[r - rowStart] = c.columnData[r - c.rowStart] as Value;
        },
      });
    } catch (err) {
      throw SupernodeError.located('INPUT_BAD_PARQUET', `unreadable Parquet row group at row ${rowStart + 1}: ${(err as Error).message}`, { file: sink.file });
    }
    const get = (role: number): Value[] | null => (names[role] === null ? null : data.get(names[role]!)!);
    const src = get(ROLE_SOURCE)!, dst = get(ROLE_TARGET)!, w = get(ROLE_WEIGHT), ts = get(ROLE_TIMESTAMP), ty = get(ROLE_TYPE);
    const rec: EdgeRecord = { source: null, target: null };
    for (let i = 0; i < rows; i++) {
      rec.source = src[i]; rec.target = dst[i];
      rec.weight = w?.[i]; rec.timestamp = ts?.[i]; rec.type = ty?.[i];
      // hyparquet decodes TIMESTAMP columns to Date; a bare number is in the ingest unit.
      pushRecord(sink, rec, rowStart + i + 1, cols);
    }
    rowStart = rowEnd;
    onProgress?.(total > 0 ? rowStart / total : 1);
  }
}

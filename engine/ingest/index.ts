/**
 * Streaming edge ingest: a file or byte stream in, dense typed edge columns plus the member
 * dictionary out (engine/graph/builder.ts `EdgeColumns`), ready for buildGraph or the store.
 *
 * Formats: delimited text (delimited.ts), NDJSON (ndjson.ts), Arrow IPC file/stream (arrow.ts),
 * Parquet (parquet.ts), GML (gml.ts), GraphML (graphml.ts), GEXF (gexf.ts), any but Parquet
 * gzip-compressed (the graph documents are held whole, under a cap: records.ts). Gzip is recognised by its magic bytes (1f 8b), not by the name, so
 * uploads without a file name work; the format comes from the extension (".gz" stripped), else from
 * sniffing the first decoded bytes (ARROW1 magic or an IPC continuation marker -> Arrow, "{" ->
 * NDJSON, otherwise delimited text). Input is consumed chunk by chunk (1 MiB reads) and never held
 * as one string; memory is the output columns (~20 B per row with weights) plus the dictionary.
 *
 * Bad rows: strict by default (the first one throws a located SupernodeError and nothing is kept);
 * `skipBad` drops them, counts them and keeps the first ten as examples. A stream with no edge
 * rows (empty, comments only, header only, or every row bad) is INPUT_EMPTY.
 *
 * Limits (engine/limits.ts, `limits` option): decompressed bytes are counted as they come out of
 * gunzip and rows as the sink grows, so a gzip bomb or an endless upload fails with INPUT_LIMIT
 * (413) when it passes the limit, with memory bounded by the limit, not by the input; lines are
 * bounded by the line readers; timestamps outside 1900..2200 are located INPUT_BAD_TIMESTAMP.
 * Parsing is synchronous per chunk, so between chunks the loop hands the event loop a turn every
 * ~10 ms: an upload already buffered in memory would otherwise be parsed in one go (its chunks
 * arrive as resolved promises) while every other request waits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { SupernodeError } from '../errors.js';
import type { EdgeColumns } from '../graph/builder.js';
import { CLI_INPUT_LIMITS, CLI_LIMIT_FLAGS, type InputLimits, type LimitFlags, limitError } from '../limits.js';
import { type DelimiterMode, DelimitedReader } from './delimited.js';
import { MemberDictionary } from './dictionary.js';
import { commentDirection, readGraphDocument, sniffDocument } from './documents.js';
import { NdjsonReader } from './ndjson.js';
import { type BadRow, EdgeSink } from './sink.js';

export { MemberDictionary } from './dictionary.js';
export type { BadRow } from './sink.js';

export interface IngestOptions {
  /** Column roles by position, e.g. ['source','target','timestamp','type']; aliases accepted. */
  columns?: readonly string[];
  format?: 'auto' | InputFormat;
  delimiter?: 'auto' | DelimiterMode;
  /** false (default): the first bad row fails the whole load. */
  skipBad?: boolean;
  /** Unit of numeric timestamps; ISO-8601 strings are always accepted. */
  timeUnit?: 's' | 'ms';
  /** Append to an existing dataset's ids (it is extended in place and returned as `members`). */
  dictionary?: MemberDictionary;
  onProgress?: (bytesRead: number, totalBytes: number | null) => void;
  /** Decompressed bytes, rows and line length (engine/limits.ts); default CLI_INPUT_LIMITS. */
  limits?: Partial<InputLimits>;
  /** The flags INPUT_LIMIT messages name; default the CLI's (--max-input-bytes, ...). */
  limitFlags?: LimitFlags;
}

export interface IngestResult {
  columns: EdgeColumns;
  members: MemberDictionary;
  rows: number;
  skipped: number;
  badExamples: BadRow[];
  format: string;
  file: string;
  hasWeight: boolean;
  hasTimestamp: boolean;
  hasType: boolean;
  seconds: number;
  /** Bytes read from the source (compressed size for gzip input). */
  bytes: number;
  /** What the file says of its direction (GML `directed`, GraphML/GEXF default edge type, an edge
   *  list's `# Undirected` comment); null when it says nothing. Reported, never applied. */
  declaredDirected: boolean | null;
}

export const INPUT_FORMATS = ['delimited', 'ndjson', 'arrow', 'parquet', 'gml', 'graphml', 'gexf'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const READ_CHUNK = 1 << 18;

export async function ingestFile(file: string, options: IngestOptions = {}): Promise<IngestResult> {
  let size: number;
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile()) throw new SupernodeError('INPUT_EMPTY', `${file}: not a regular file`, { file });
    size = st.size;
  } catch (err) {
    if (err instanceof SupernodeError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SupernodeError('INPUT_NOT_FOUND', `${file}: no such file`, { file });
    throw new SupernodeError('INPUT_EMPTY', `${file}: ${(err as Error).message}`, { file });
  }
  const stream = fs.createReadStream(file, { highWaterMark: READ_CHUNK });
  try {
    return await ingest(stream, file, options, size, file);
  } finally {
    stream.destroy();
  }
}

export async function ingestStream(
  stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, name: string, options: IngestOptions = {},
): Promise<IngestResult> {
  return ingest(stream as AsyncIterable<Uint8Array>, name, options, null);
}

/**
 * The result's columns as an Arrow table (see arrow.ts for the layout). apache-arrow is loaded on
 * first use only: text ingest, the hot path, never needs it (it costs ~20 MiB of resident memory).
 */
export async function toArrowTable(r: IngestResult): Promise<import('apache-arrow').Table> {
  const { columnsToTable } = await import('./arrow.js');
  return columnsToTable(r.columns);
}

const EXT_FORMAT: Record<string, InputFormat> = {
  '.csv': 'delimited', '.tsv': 'delimited', '.txt': 'delimited', '.edges': 'delimited', '.el': 'delimited',
  '.ndjson': 'ndjson', '.jsonl': 'ndjson',
  '.arrow': 'arrow', '.arrows': 'arrow', '.ipc': 'arrow', '.feather': 'arrow',
  '.parquet': 'parquet', '.pq': 'parquet', '.gml': 'gml', '.graphml': 'graphml', '.gexf': 'gexf',
};
const UNSUPPORTED = new Set(['.zip', '.xlsx', '.xls', '.json', '.bz2', '.xz', '.zst', '.7z']);

async function ingest(
  raw: AsyncIterable<Uint8Array>, name: string, o: IngestOptions, total: number | null, filePath: string | null = null,
): Promise<IngestResult> {
  const t0 = performance.now();
  const skipBad = o.skipBad ?? false;
  const timeScale = (o.timeUnit ?? 's') === 's' ? 1000 : 1;
  if (o.timeUnit !== undefined && o.timeUnit !== 's' && o.timeUnit !== 'ms') {
    throw new SupernodeError('BAD_OPTION', `timeUnit must be 's' or 'ms', got ${String(o.timeUnit)}`);
  }
  const members = o.dictionary ?? new MemberDictionary();
  const limits: InputLimits = { ...CLI_INPUT_LIMITS, ...o.limits };
  const flags = o.limitFlags ?? CLI_LIMIT_FLAGS;
  const sink = new EdgeSink(name, members, skipBad, timeScale, limits, flags);

  let bytes = 0;
  const onProgress = o.onProgress;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const c of raw) {
      const b = toBuffer(c);
      bytes += b.length;
      onProgress?.(bytes, total);
      yield b;
    }
  }
  const rawIt = counted();
  const first = await nextNonEmpty(rawIt);
  if (first === null) throw SupernodeError.located('INPUT_EMPTY', 'the input is empty (0 bytes)', { file: name });

  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  let gunzip: zlib.Gunzip | null = null;
  let data: AsyncIterator<Buffer>;
  if (gzip) {
    gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    pipeline(Readable.from(prepend(first, rawIt)), gunzip, () => { /* errors surface through iteration */ });
    data = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  } else {
    data = prepend(first, rawIt);
  }
  try {
    const head = await nextNonEmpty(data, name, gzip);
    if (head === null) throw SupernodeError.located('INPUT_EMPTY', 'the input is empty (0 bytes after decompression)', { file: name });
    const format = chooseFormat(name, o.format ?? 'auto', head);
    const chunks = paced(prepend(head, data, name, gzip), limits.maxBytes, flags, name);
    const iterable = { [Symbol.asyncIterator]: () => chunks };
    let declaredDirected: boolean | null = null;
    if (format === 'arrow') {
      const { readArrow } = await import('./arrow.js');
      await readArrow(iterable, sink);
    } else if (format === 'parquet') {
      // A file is read by random access (footer first, then row group by row group); a stream whole.
      const { readParquetFile, readParquetStream } = await import('./parquet.js');
      if (filePath !== null && !gzip) await readParquetFile(filePath, sink, onProgress === undefined ? undefined : (d, t) => onProgress(d, t));
      else await readParquetStream(iterable, sink);
    } else if (format === 'gml' || format === 'graphml' || format === 'gexf') {
      ({ directed: declaredDirected } = await readGraphDocument(format, iterable, sink));
    } else {
      if (format === 'delimited') declaredDirected = commentDirection(head);
      const reader = format === 'ndjson' ? new NdjsonReader(sink)
        : new DelimitedReader(sink, o.delimiter ?? defaultDelimiter(name), o.columns);
      for (let r = await chunks.next(); !r.done; r = await chunks.next()) reader.push(r.value);
      reader.end();
    }
    if (sink.rows === 0) {
      throw SupernodeError.located('INPUT_EMPTY', sink.skipped > 0
        ? `no valid edge rows (${sink.skipped} bad rows skipped; first: ${sink.bad[0]!.reason})`
        : 'no edge rows (only comments, blank lines or a header)', { file: name });
    }
    const columns = sink.finish();
    return {
      columns, members, rows: sink.rows, skipped: sink.skipped, badExamples: sink.bad.slice(), format,
      file: name, hasWeight: columns.weight !== null, hasTimestamp: columns.timestamp !== null,
      hasType: columns.type !== null, seconds: (performance.now() - t0) / 1000, bytes, declaredDirected,
    };
  } finally {
    gunzip?.destroy();
    void rawIt.return(undefined).catch(() => undefined);
  }
}

/** Milliseconds of parsing between two turns of the event loop. */
const YIELD_MS = 10;

/** The decoded chunks, counted against the byte limit, with a turn for the event loop every YIELD_MS. */
async function* paced(chunks: AsyncGenerator<Buffer>, maxBytes: number, flags: LimitFlags, name: string): AsyncGenerator<Buffer> {
  let bytes = 0, last = performance.now();
  for (;;) {
    const r = await chunks.next();
    if (r.done) return;
    bytes += r.value.length;
    if (bytes > maxBytes) throw limitError('bytes', maxBytes, flags, { file: name });
    // The consumer parsed the previous chunk since the last check: that time counts too.
    if (performance.now() - last > YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
    yield r.value;
  }
}

function chooseFormat(name: string, format: NonNullable<IngestOptions['format']>, head: Buffer): InputFormat {
  if (format !== 'auto') {
    if (!(INPUT_FORMATS as readonly string[]).includes(format)) {
      throw new SupernodeError('INPUT_UNSUPPORTED_FORMAT', `unknown format "${String(format)}" (${INPUT_FORMATS.join(', ')})`);
    }
    return format;
  }
  const ext = path.extname(name.replace(/\.gz$/i, '')).toLowerCase();
  const byExt = EXT_FORMAT[ext];
  if (byExt !== undefined) return byExt;
  if (UNSUPPORTED.has(ext)) {
    throw SupernodeError.located('INPUT_UNSUPPORTED_FORMAT', `${ext} files are not supported; use an edge list (.csv/.tsv/.txt), NDJSON or Arrow IPC`, { file: name });
  }
  if (head.length >= 6 && head.toString('latin1', 0, 6) === 'ARROW1') return 'arrow';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xffffffff) return 'arrow';
  let i = 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if (head[i] === 0x7b) return 'ndjson';
  if (head.toString('latin1', 0, 4) === 'PAR1') return 'parquet';
  const sniffed = sniffDocument(head.toString('utf8', 0, Math.min(head.length, 4096)));
  if (sniffed !== null) return sniffed;
  if (head.toString('latin1', 0, 2) === 'PK') {
    throw SupernodeError.located('INPUT_UNSUPPORTED_FORMAT', 'ZIP input is not supported; use an edge list, NDJSON, Arrow IPC, Parquet, GML, GraphML or GEXF', { file: name });
  }
  return 'delimited';
}

function defaultDelimiter(name: string): 'auto' | DelimiterMode {
  const ext = path.extname(name.replace(/\.gz$/i, '')).toLowerCase();
  return ext === '.csv' ? ',' : ext === '.tsv' ? '\t' : 'auto';
}

function toBuffer(c: Uint8Array | string): Buffer {
  if (typeof c === 'string') return Buffer.from(c, 'utf8');
  return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

async function nextNonEmpty(it: AsyncIterator<Buffer>, name?: string, gzip?: boolean): Promise<Buffer | null> {
  for (;;) {
    const r = await step(it, name, gzip);
    if (r.done) return null;
    if (r.value.length > 0) return toBuffer(r.value);
  }
}

async function step(it: AsyncIterator<Buffer>, name?: string, gzip?: boolean): Promise<IteratorResult<Buffer>> {
  try {
    return await it.next();
  } catch (err) {
    if (gzip && !(err instanceof SupernodeError)) {
      // The magic bytes said gzip, so a failure here is a damaged input (400), not an unknown format.
      throw SupernodeError.located('INPUT_BAD_GZIP', `not a valid gzip stream: ${(err as Error).message}`, { file: name ?? '<input>' });
    }
    throw err;
  }
}

/** `first`, then the rest of `it`; gzip errors become coded errors. */
function prepend(first: Buffer, it: AsyncIterator<Buffer>, name?: string, gzip?: boolean): AsyncGenerator<Buffer> {
  return (async function* () {
    yield first;
    for (;;) {
      const r = await step(it, name, gzip);
      if (r.done) return;
      yield toBuffer(r.value);
    }
  })();
}

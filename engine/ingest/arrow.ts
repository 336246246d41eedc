/**
 * Arrow IPC in and out.
 *
 * In: the IPC file or stream format (apache-arrow's RecordBatchReader tells them apart by the
 * ARROW1 magic), read batch by batch. Columns are found by name through the same alias table as
 * header rows. source/target may be integer or string (Utf8, LargeUtf8, dictionary-encoded):
 * integers become their decimal string ids. A float, boolean or any other id column is
 * INPUT_BAD_ID: 1.0 and 1 would name two members, true/false only two, and a float id is almost
 * always a measure column put in the wrong place. Errors point at `row:column`, row = 1-based row
 * number across batches, column = 1-based field position, in the line:column slots.
 *
 * Out (`toArrowTable`): source/target Int32 member indices, weight Float64, timestamp
 * TimestampMillisecond (null where missing), type Dictionary<Utf8, Int32> (null where none). The
 * same layout is what the dataset store writes, so loading it back copies typed arrays only.
 */
import {
  type Data, DataType, Dictionary, Field, Float64, Int32, RecordBatch, RecordBatchReader, Schema, Struct, Table,
  TimestampMillisecond, Utf8, type Vector, makeData, vectorFromArray,
} from 'apache-arrow';
import { SupernodeError } from '../errors.js';
import type { EdgeColumns } from '../graph/builder.js';
import { ROLE_SOURCE, ROLE_TARGET, ROLE_TIMESTAMP, ROLE_TYPE, ROLE_WEIGHT, roleOf } from './columns.js';
import { type EdgeSink, checkWeight, parseTimestampText, parseWeightText } from './sink.js';

export async function readArrow(chunks: AsyncIterable<Uint8Array>, sink: EdgeSink): Promise<void> {
  let reader: RecordBatchReader;
  try {
    reader = await RecordBatchReader.from(chunks);
  } catch (err) {
    throw SupernodeError.located('INPUT_BAD_ARROW', `not an Arrow IPC file or stream: ${(err as Error).message}`, { file: sink.file });
  }
  let row0 = 0;
  try {
    for await (const batch of reader) {
      readBatch(batch, sink, row0);
      row0 += batch.numRows;
    }
  } catch (err) {
    if (err instanceof SupernodeError) throw err;
    throw SupernodeError.located('INPUT_BAD_ARROW', `unreadable Arrow IPC data: ${(err as Error).message}`, { file: sink.file });
  }
  if (reader.schema !== undefined && row0 === 0) findColumns(reader.schema, sink.file);
}

interface Located { vec: Vector; col: number }

function findColumns(schema: Schema, file: string): (number | -1)[] {
  const at: (number | -1)[] = [-1, -1, -1, -1, -1];
  schema.fields.forEach((f, k) => {
    const r = roleOf(f.name);
    if (r >= 0 && r < 5 && at[r] === -1) at[r] = k;
  });
  if (at[ROLE_SOURCE] === -1 || at[ROLE_TARGET] === -1) {
    throw SupernodeError.located('INPUT_BAD_ARROW',
      `no source/target columns among [${schema.fields.map((f) => f.name).join(', ')}]`, { file });
  }
  return at;
}

function readBatch(batch: RecordBatch, sink: EdgeSink, row0: number): void {
  const at = findColumns(batch.schema, sink.file);
  const get = (role: number): Located | null => {
    const k = at[role]!;
    return k < 0 ? null : { vec: batch.getChildAt(k)!, col: k + 1 };
  };
  const src = get(ROLE_SOURCE)!, dst = get(ROLE_TARGET)!;
  checkIdColumn(src, 'source', batch, sink.file, row0);
  checkIdColumn(dst, 'target', batch, sink.file, row0);
  const w = get(ROLE_WEIGHT), ts = get(ROLE_TIMESTAMP), ty = get(ROLE_TYPE);
  if (w) sink.enableWeight();
  if (ts) sink.enableTimestamp();
  if (ty) sink.enableType();
  const tsIsTime = ts !== null && (DataType.isTimestamp(ts.vec.type) || DataType.isDate(ts.vec.type));
  const n = batch.numRows;
  const members = sink.members;
  for (let i = 0; i < n; i++) {
    const line = row0 + i + 1;
    const a = src.vec.get(i), b = dst.vec.get(i);
    if (a === null || a === undefined) { sink.fail('INPUT_MISSING_FIELD', line, src.col, 'missing source (null)'); continue; }
    if (b === null || b === undefined) { sink.fail('INPUT_MISSING_FIELD', line, dst.col, 'missing target (null)'); continue; }
    if (a === '') { sink.fail('INPUT_EMPTY_ID', line, src.col, 'empty source id'); continue; }
    if (b === '') { sink.fail('INPUT_EMPTY_ID', line, dst.col, 'empty target id'); continue; }
    let weight = 1;
    if (w) {
      const x = w.vec.get(i);
      if (x !== null && x !== undefined) {
        let reason: string | null = null;
        if (typeof x === 'string') {
          const p = parseWeightText(x);
          if (typeof p === 'string') reason = p; else weight = p;
        } else {
          weight = Number(x);
          reason = checkWeight(weight);
        }
        if (reason !== null) { sink.fail('INPUT_BAD_WEIGHT', line, w.col, reason); continue; }
      }
    }
    let time = NaN;
    if (ts) {
      const x = ts.vec.get(i);
      if (x !== null && x !== undefined) {
        if (x instanceof Date) time = x.getTime();
        else if (typeof x === 'string') time = parseTimestampText(x, sink.timeScale);
        else time = Math.round(Number(x) * (tsIsTime ? 1 : sink.timeScale));
        if (!Number.isFinite(time)) { sink.fail('INPUT_BAD_TIMESTAMP', line, ts.col, `timestamp ${String(x)} is not a valid time`); continue; }
        if (!sink.timeOk(time, line, ts.col, x instanceof Date ? String(x.getTime()) : String(x))) continue;
      }
    }
    let type = -1;
    if (ty) {
      const x = ty.vec.get(i);
      if (x !== null && x !== undefined) type = sink.typeId(String(x));
    }
    const r = sink.rows;
    if (r === sink.cap) sink.grow();
    sink.src[r] = internValue(members, a);
    sink.dst[r] = internValue(members, b);
    if (sink.weight) sink.weight[r] = weight;
    if (sink.ts) sink.ts[r] = time;
    if (sink.type) sink.type[r] = type;
    sink.rows = r + 1;
  }
}

function idType(t: DataType): boolean {
  if (DataType.isDictionary(t)) return idType(t.dictionary);
  return DataType.isInt(t) || DataType.isUtf8(t) || DataType.isLargeUtf8(t) || DataType.isUtf8View(t);
}

function checkIdColumn(c: Located, role: string, batch: RecordBatch, file: string, row0: number): void {
  if (idType(c.vec.type)) return;
  throw SupernodeError.located('INPUT_BAD_ID',
    `${role} column "${batch.schema.fields[c.col - 1]!.name}" is ${String(c.vec.type)}; member ids must be integers or strings`,
    { file, line: row0 + 1, column: c.col });
}

function internValue(members: EdgeSink['members'], v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e15) return members.internNumber(v);
  return members.intern(String(v));
}

/** The edge columns as an Arrow table (member ids are not in it: they live in the dictionary). */
export function columnsToTable(cols: EdgeColumns): Table {
  const n = cols.source.length;
  const fields: Field[] = [new Field('source', new Int32(), false), new Field('target', new Int32(), false)];
  const children: Data[] = [
    makeData({ type: new Int32(), length: n, nullCount: 0, data: cols.source }),
    makeData({ type: new Int32(), length: n, nullCount: 0, data: cols.target }),
  ];
  if (cols.weight) {
    fields.push(new Field('weight', new Float64(), false));
    children.push(makeData({ type: new Float64(), length: n, nullCount: 0, data: cols.weight }));
  }
  if (cols.timestamp) {
    const t = cols.timestamp;
    const values = new BigInt64Array(n);
    // Whole milliseconds (ingest rounds them); written as two int32 halves, avoiding a BigInt per row.
    const halves = new Int32Array(values.buffer);
    const valid = new Uint8Array((n + 7) >> 3);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const x = t[i]!;
      if (x !== x) { nulls++; continue; }
      valid[i >> 3]! |= 1 << (i & 7);
      const hi = Math.floor(x / 4294967296);
      halves[2 * i] = x - hi * 4294967296;
      halves[2 * i + 1] = hi;
    }
    fields.push(new Field('timestamp', new TimestampMillisecond(), true));
    children.push(makeData({ type: new TimestampMillisecond(), length: n, nullCount: nulls, nullBitmap: nulls ? valid : null, data: values }));
  }
  if (cols.type) {
    const ty = cols.type;
    const idx = new Int32Array(n);
    const valid = new Uint8Array((n + 7) >> 3);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const x = ty[i]!;
      if (x < 0) { nulls++; continue; }
      valid[i >> 3]! |= 1 << (i & 7);
      idx[i] = x;
    }
    const type = new Dictionary(new Utf8(), new Int32());
    fields.push(new Field('type', type, true));
    children.push(makeData({
      type, length: n, nullCount: nulls, nullBitmap: nulls ? valid : null, data: idx,
      dictionary: vectorFromArray([...cols.typeNames], new Utf8()),
    }));
  }
  const schema = new Schema(fields);
  return new Table([new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }))]);
}

/** Reads a table written by `columnsToTable` back into typed arrays (no text parsing). */
export function tableToColumns(table: Table, nodeCount: number): EdgeColumns {
  const n = table.numRows;
  const source = new Int32Array(n), target = new Int32Array(n);
  copyInt(table, 'source', source);
  copyInt(table, 'target', target);
  let weight: Float64Array | null = null, timestamp: Float64Array | null = null, type: Int32Array | null = null;
  let typeNames: string[] = [];
  const wv = table.getChild('weight');
  if (wv) {
    weight = new Float64Array(n);
    let o = 0;
    for (const d of wv.data) { weight.set((d.values as Float64Array).subarray(0, d.length), o); o += d.length; }
  }
  const tv = table.getChild('timestamp');
  if (tv) {
    timestamp = new Float64Array(n);
    let o = 0;
    for (const d of tv.data) {
      const halves = new Int32Array(d.values.buffer, d.values.byteOffset, d.length * 2);
      for (let i = 0; i < d.length; i++) {
        timestamp[o + i] = d.getValid(i) ? halves[2 * i + 1]! * 4294967296 + (halves[2 * i]! >>> 0) : NaN;
      }
      o += d.length;
    }
  }
  const yv = table.getChild('type');
  if (yv) {
    type = new Int32Array(n);
    const names = new Map<string, number>();
    let o = 0;
    for (const d of yv.data) {
      // Each batch carries its own dictionary; remap into one list of names.
      const dict = d.dictionary ? [...d.dictionary].map(String) : [];
      const remap = dict.map((s) => {
        let j = names.get(s);
        if (j === undefined) { j = names.size; names.set(s, j); }
        return j;
      });
      const vals = d.values as Int32Array;
      for (let i = 0; i < d.length; i++) type[o + i] = d.getValid(i) ? remap[vals[i]!] ?? -1 : -1;
      o += d.length;
    }
    typeNames = [...names.keys()];
  }
  return { nodeCount, source, target, weight, timestamp, type, typeNames };
}

function copyInt(table: Table, name: string, out: Int32Array): void {
  const v = table.getChild(name);
  if (!v || !DataType.isInt(v.type)) throw new SupernodeError('STORE_CORRUPT', `stored chunk lacks an Int32 ${name} column`);
  let o = 0;
  for (const d of v.data) { out.set((d.values as Int32Array).subarray(0, d.length), o); o += d.length; }
}

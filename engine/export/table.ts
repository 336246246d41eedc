/**
 * Rankings as flat tables, and those tables as CSV, Arrow IPC and Parquet: the one exporter the
 * CLI (`--format csv|arrow|parquet`, `--output FILE`) and the API (`?format=csv|arrow`) share.
 *
 * Flat means one scalar per cell: a column per measure, three per explanation component
 * (`<component>_value`, `_percentile`, `_share`), lists of member ids or communities joined with
 * `;` (never JSON in a cell). Times are epoch ms in memory and ISO 8601 (UTC, `...Z`) in CSV;
 * Arrow and Parquet carry them as millisecond timestamps.
 *
 * Streaming: rows come from a generator, CSV is produced in slices of CSV_SLICE_ROWS rows and
 * Arrow in record batches of ARROW_BATCH_ROWS, so a ranking of millions of members goes out
 * without one string or one table of the whole; Parquet (CLI only) is encoded whole by
 * hyparquet-writer, one row group per PARQUET_ROW_GROUP rows.
 *
 * CSV cells that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR,
 * OWASP's list) get a leading `'`; numbers are written as numbers and never escaped, so a
 * negative z-score stays a number.
 */
import { Bool, Field, Float64, Int32, RecordBatch, Schema, Struct, Table, TimestampMillisecond, Utf8, makeData, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { BrokerRow, CommunityRow, LeaderRow, MemberRow, RisingRow, RoleRow } from '../rank/analysis.js';

export type CellKind = 'string' | 'int' | 'float' | 'time' | 'bool';
export type Cell = string | number | boolean | null;
export interface TableColumn { readonly name: string; readonly kind: CellKind }

/** A flat table: its columns and a fresh row iterator per call. */
export interface FlatTable {
  readonly columns: readonly TableColumn[];
  rows(): Iterable<readonly Cell[]>;
}

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'arrow', 'parquet'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const CSV_SLICE_ROWS = 4096;
export const ARROW_BATCH_ROWS = 65536;
export const PARQUET_ROW_GROUP = 131072;

export const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', arrow: 'application/vnd.apache.arrow.stream', parquet: 'application/vnd.apache.parquet' } as const;

const col = (name: string, kind: CellKind): TableColumn => ({ name, kind });
const nul = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** A table from columns and rows already in memory (or any iterable that can be walked again). */
export function flatTable(columns: readonly TableColumn[], rows: () => Iterable<readonly Cell[]>): FlatTable {
  return { columns, rows };
}

// ---- ranking tables --------------------------------------------------------------------------

/** Super-nodes: id, rank, score, community, each measure, each component's value/percentile/share, the sentence. */
export function supernodeTable(members: readonly MemberRow[], measureNames: readonly string[]): FlatTable {
  // Component names read "influence (PageRank)": the column takes the first word.
  const comps = members[0]?.explanation.components.map((c) => c.name) ?? [];
  const slug = (c: string) => c.split(' ')[0]!;
  const columns = [
    col('id', 'string'), col('rank', 'int'), col('score', 'float'), col('community', 'int'),
    ...measureNames.map((m) => col(m, 'float')),
    ...comps.flatMap((c) => [col(`${slug(c)}_value`, 'float'), col(`${slug(c)}_percentile`, 'float'), col(`${slug(c)}_share`, 'float')]),
    col('why', 'string'),
  ];
  return flatTable(columns, function* () {
    for (const m of members) {
      const byName = new Map(m.explanation.components.map((c) => [c.name, c]));
      yield [
        m.id, m.rank, m.score, m.community,
        ...measureNames.map((n) => nul(m.measures[n])),
        ...comps.flatMap((c) => { const x = byName.get(c); return [nul(x?.value), nul(x?.percentile), nul(x?.share)]; }),
        m.explanation.sentence,
      ];
    }
  });
}

/** Opinion leaders: one row per (community, leader). */
export function leaderTable(leaders: readonly LeaderRow[]): FlatTable {
  return flatTable([col('community', 'int'), col('rank', 'int'), col('id', 'string'), col('in_strength_from_community', 'float')], function* () {
    for (const c of leaders) for (const l of c.members) yield [c.community, l.rank, l.id, nul(l.score)];
  });
}

export function roleTable(roles: readonly RoleRow[]): FlatTable {
  return flatTable([col('id', 'string'), col('community', 'int'), col('role', 'string'), col('z', 'float'), col('participation', 'float')], function* () {
    for (const r of roles) yield [r.id, r.community, r.role, nul(r.z), nul(r.participation)];
  });
}

export function brokerTable(brokers: readonly BrokerRow[]): FlatTable {
  return flatTable([
    col('rank', 'int'), col('id', 'string'), col('constraint', 'float'), col('effective_size', 'float'), col('betweenness', 'float'),
    col('communities_linked_count', 'int'), col('communities_linked', 'string'),
  ], function* () {
    for (const b of brokers) yield [b.rank, b.id, nul(b.constraint), nul(b.effectiveSize), nul(b.betweenness), b.communitiesLinked.length, b.communitiesLinked.join(';')];
  });
}

export function risingTable(rising: readonly RisingRow[]): FlatTable {
  return flatTable([col('id', 'string'), col('rank_before', 'int'), col('rank_now', 'int'), col('gain', 'int')], function* () {
    for (const r of rising) yield [r.id, r.rankBefore, r.rankNow, r.gain];
  });
}

/** Epoch ms from epoch ms or ISO 8601 (the API hands communities out with ISO week starts). */
const ms = (t: number | string): number => (typeof t === 'string' ? Date.parse(t) : t);

/** Communities: the figures, first and last active week (ISO in CSV) and the top members joined with `;`. */
export function communityTable(communities: readonly (Omit<CommunityRow, 'activity'> & { activity: readonly { weekStart: number | string; interactions: number }[] })[]): FlatTable {
  return flatTable([
    col('id', 'int'), col('size', 'int'), col('internal_weight', 'float'), col('external_weight', 'float'), col('density', 'float'),
    col('conductance', 'float'), col('lifecycle', 'string'), col('first_week', 'time'), col('last_week', 'time'),
    col('interactions', 'int'), col('top_members', 'string'),
  ], function* () {
    for (const c of communities) {
      const a = c.activity;
      yield [
        c.id, c.size, c.internalWeight, c.externalWeight, nul(c.density), nul(c.conductance), c.lifecycle,
        a.length ? ms(a[0]!.weekStart) : null, a.length ? ms(a[a.length - 1]!.weekStart) : null,
        a.reduce((s, w) => s + w.interactions, 0), c.topMembers.join(';'),
      ];
    }
  });
}

export function flowTable(flow: readonly { from: number; to: number; weight: number }[]): FlatTable {
  return flatTable([col('from', 'int'), col('to', 'int'), col('weight', 'float')], function* () {
    for (const f of flow) yield [f.from, f.to, f.weight];
  });
}

/** Plain objects (the API's other pages: seeds, ...): their scalar keys as columns, in first-seen order. */
export function objectTable(items: readonly Record<string, unknown>[]): FlatTable {
  const names: string[] = [];
  const kinds = new Map<string, CellKind>();
  for (const it of items) {
    for (const [k, v] of Object.entries(it)) {
      if (!kinds.has(k)) { names.push(k); kinds.set(k, typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : 'string'); }
      else if (kinds.get(k) === 'int' && typeof v === 'number' && !Number.isInteger(v)) kinds.set(k, 'float');
    }
  }
  return flatTable(names.map((n) => col(n, kinds.get(n)!)), function* () {
    for (const it of items) {
      yield names.map((n) => {
        const v = it[n];
        if (v === null || v === undefined) return null;
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
        if (Array.isArray(v)) return v.map((x) => (x !== null && typeof x === 'object' ? Object.values(x as object).join(':') : String(x))).join(';');
        return Object.entries(v as object).map(([k, x]) => `${k}=${String(x)}`).join(';');
      });
    }
  });
}

// ---- CSV ---------------------------------------------------------------------------------------

/** Leading characters a spreadsheet treats as a formula or a control (OWASP CSV injection). */
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** One CSV cell: numbers as numbers, times as ISO 8601, text quoted when needed and defused. */
export function csvCell(v: Cell, kind: CellKind = 'string'): string {
  if (v === null) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    if (kind === 'time') return new Date(v).toISOString();
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = FORMULA_LEAD.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text in slices of CSV_SLICE_ROWS rows (header first); `\n` line ends, RFC 4180 quoting. */
export function* csvChunks(t: FlatTable): Generator<string> {
  const kinds = t.columns.map((c) => c.kind);
  let out = `${t.columns.map((c) => csvCell(c.name)).join(',')}\n`;
  let n = 0;
  for (const row of t.rows()) {
    let line = '';
    for (let k = 0; k < row.length; k++) line += (k ? ',' : '') + csvCell(row[k]!, kinds[k]);
    out += `${line}\n`;
    if (++n % CSV_SLICE_ROWS === 0) { yield out; out = ''; }
  }
  if (out !== '') yield out;
}

// ---- Arrow -------------------------------------------------------------------------------------

function arrowType(kind: CellKind): Utf8 | Int32 | Float64 | TimestampMillisecond | Bool {
  return kind === 'string' ? new Utf8() : kind === 'int' ? new Int32() : kind === 'float' ? new Float64() : kind === 'time' ? new TimestampMillisecond() : new Bool();
}

function arrowSchema(t: FlatTable): Schema {
  return new Schema(t.columns.map((c) => new Field(c.name, arrowType(c.kind), true)));
}

function arrowBatch(t: FlatTable, schema: Schema, rows: (readonly Cell[])[]): RecordBatch {
  const children = t.columns.map((c, k) => {
    const values = rows.map((r) => {
      const v = r[k];
      if (v === null || v === undefined) return null;
      if (c.kind === 'time') return new Date(v as number);
      if ((c.kind === 'int' || c.kind === 'float') && typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    });
    return vectorFromArray(values as never, arrowType(c.kind)).data[0]!;
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }));
}

/**
 * The Arrow IPC stream format, one record batch per ARROW_BATCH_ROWS rows. Each batch is encoded
 * on its own (apache-arrow writes schema + batch + end marker); the schema is sent once, then each
 * batch's message alone, then the end marker. Tables here have no dictionary columns, so a batch
 * is exactly one message after the schema.
 */
export function* arrowChunks(t: FlatTable): Generator<Uint8Array> {
  const schema = arrowSchema(t);
  const head = tableToIPC(new Table(schema), 'stream');
  const EOS = 8;
  const schemaBytes = head.length - EOS;
  yield head.subarray(0, schemaBytes);
  let rows: (readonly Cell[])[] = [];
  const flush = () => {
    const bytes = tableToIPC(new Table([arrowBatch(t, schema, rows)]), 'stream');
    rows = [];
    return bytes.subarray(schemaBytes, bytes.length - EOS);
  };
  for (const r of t.rows()) {
    rows.push(r);
    if (rows.length === ARROW_BATCH_ROWS) yield flush();
  }
  if (rows.length > 0) yield flush();
  yield head.subarray(schemaBytes);
}

// ---- Parquet -----------------------------------------------------------------------------------

/** The table as one Parquet file (hyparquet-writer, snappy, a row group per PARQUET_ROW_GROUP rows). */
export async function parquetBytes(t: FlatTable): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const data: Cell[][] = t.columns.map(() => []);
  for (const r of t.rows()) for (let k = 0; k < data.length; k++) data[k]!.push(r[k] ?? null);
  const columnData = t.columns.map((c, k) => {
    const d = data[k]!;
    const type = c.kind === 'string' ? 'STRING' as const : c.kind === 'int' ? 'INT32' as const : c.kind === 'float' ? 'DOUBLE' as const : c.kind === 'time' ? 'TIMESTAMP' as const : 'BOOLEAN' as const;
    const values = c.kind === 'time' ? d.map((v) => (v === null ? null : new Date(v as number)))
      : c.kind === 'float' || c.kind === 'int' ? d.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)) : d;
    return { name: c.name, data: values, type, nullable: true };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: PARQUET_ROW_GROUP }));
}

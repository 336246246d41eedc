/**
 * Member labels: `--labels FILE`, a CSV or TSV of `id,name` rows (a header row `id,name` or
 * `id,label` is optional; fields may be quoted, RFC 4180), so tables and JSON show names beside
 * the ids. Parsed by csv-parse (a well-kept RFC 4180 reader), delimiter by the first line: a tab
 * makes it TSV, otherwise commas.
 *
 * Bounds (data-driven sizes): the file at most LABEL_LIMITS.maxBytes (16 MiB), a name at most
 * LABEL_LIMITS.maxNameChars (512) characters; past either, INPUT_LIMIT. A row with fewer than two
 * fields is INPUT_COLUMN_COUNT, an empty id INPUT_EMPTY_ID, an id listed twice INPUT_BAD_ID, an
 * unclosed quote INPUT_BAD_QUOTE; each names `file:line: reason`. A missing file is INPUT_NOT_FOUND.
 * Extra columns beyond the second are ignored (a members export with more fields still reads).
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { SupernodeError } from '../errors.js';

export const LABEL_LIMITS = Object.freeze({ maxBytes: 16 * 2 ** 20, maxNameChars: 512 });

/** id -> name. A Map, never an object: ids are data (`__proto__` is an id like any other). */
export type Labels = ReadonlyMap<string, string>;

export function readLabels(file: string): Map<string, string> {
  if (!fs.existsSync(file)) throw new SupernodeError('INPUT_NOT_FOUND', `${file}: no such labels file`, { file });
  const size = fs.statSync(file).size;
  if (size > LABEL_LIMITS.maxBytes) {
    throw new SupernodeError('INPUT_LIMIT', `${file}: labels file is ${size} bytes, past the ${LABEL_LIMITS.maxBytes}-byte bound (16 MiB)`, { file });
  }
  const text = fs.readFileSync(file, 'utf8');
  return parseLabels(text, file);
}

export function parseLabels(text: string, file: string): Map<string, string> {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = firstLine.includes('\t') ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { code?: string; lines?: number; message: string };
    const code = err.code === 'CSV_QUOTE_NOT_CLOSED' || err.code === 'CSV_INVALID_CLOSING_QUOTE' ? 'INPUT_BAD_QUOTE' : 'INPUT_COLUMN_COUNT';
    throw SupernodeError.located(code, err.message, { file, ...(err.lines !== undefined && { line: err.lines }) });
  }
  const labels = new Map<string, string>();
  const firstLineOf = new Map<string, number>();
  records.forEach(({ record, info }, k) => {
    const line = info.lines;
    if (k === 0 && /^id$/i.test(record[0] ?? '') && /^(name|label)$/i.test(record[1] ?? '')) return; // the header
    if (record.length < 2) throw SupernodeError.located('INPUT_COLUMN_COUNT', `expected id,name, found ${record.length} field`, { file, line });
    const [id, name] = record as [string, string];
    if (id === '') throw SupernodeError.located('INPUT_EMPTY_ID', 'the member id is empty', { file, line });
    if (name.length > LABEL_LIMITS.maxNameChars) {
      throw SupernodeError.located('INPUT_LIMIT', `the name is ${name.length} characters, past the ${LABEL_LIMITS.maxNameChars}-character bound`, { file, line });
    }
    const seen = firstLineOf.get(id);
    if (seen !== undefined) throw SupernodeError.located('INPUT_BAD_ID', `member "${id}" is labelled twice (first on line ${seen})`, { file, line });
    firstLineOf.set(id, line);
    labels.set(id, name);
  });
  return labels;
}

/** The row with `label` beside its member id when the id has one (JSON rows); unchanged otherwise. */
export function withLabel<T extends object>(row: T, id: string, labels: Labels | null): T | (T & { label: string }) {
  const name = labels?.get(id);
  return name === undefined ? row : { ...row, label: name };
}

/**
 * A `name` column after index `at` (the member column) of a table row or head, when labels were
 * given; an id without a label gets an empty name. Without labels the row is unchanged.
 */
export function withName<T>(cells: T[], at: number, labels: Labels | null, id: string | null): (T | string)[] {
  if (labels === null) return cells;
  const name = id === null ? 'name' : labels.get(id) ?? '';
  return [...cells.slice(0, at + 1), name, ...cells.slice(at + 1)];
}

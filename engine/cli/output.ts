/**
 * Output for the CLI: the `compute` JSON contract, tables with the terminal conventions, and the
 * flat-table formats (CSV, Arrow, Parquet: engine/export/table.ts) to stdout or a file.
 *
 * JSON objects keyed by member id are written by hand, key by key through JSON.stringify, never by
 * building a JS object: member ids are data, and an id such as `__proto__` must come out as a key
 * like any other. Non-finite numbers (NaN constraint of an isolated member) become null.
 */
import path from 'node:path';
import Table from 'cli-table3';
import { SupernodeError } from '../errors.js';
import { type FlatTable, arrowChunks, csvChunks, parquetBytes } from '../export/table.js';
import type { MemberDictionary } from '../ingest/dictionary.js';
import { VERSION } from './options.js';

export function num(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

/** `{"id": value, ...}` for a per-node vector, in node index order. */
export function memberObject(members: MemberDictionary, n: number, value: (i: number) => string): string[] {
  const parts: string[] = ['{'];
  for (let i = 0; i < n; i++) parts.push(`${i ? ',' : ''}${JSON.stringify(members.idOf(i))}:${value(i)}`);
  parts.push('}');
  return parts;
}

/** Writes string parts to stdout in large slices, waiting for drain (graphs with millions of members). */
export async function writeParts(parts: string[]): Promise<void> {
  const SLICE = 65536;
  for (let i = 0; i < parts.length; i += SLICE) {
    const ok = process.stdout.write(parts.slice(i, i + SLICE).join(''));
    if (!ok) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
  }
}

export function fmt(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return '-';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return x.toPrecision(digits);
}

// ---- terminal conventions and output formats ----------------------------------------------------

/**
 * Plain output: no colour when stdout is not a terminal (a pipe, a file) or NO_COLOR is set to
 * anything non-empty (no-color.org). Tables keep their borders; only the ANSI colours go.
 */
export function plainOutput(): boolean {
  return !process.stdout.isTTY || (process.env['NO_COLOR'] ?? '') !== '';
}

/** No rule between rows (cli-table3 draws the header rule with the same characters: it goes too). */
const NO_ROW_RULES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } as const;

/** A cli-table3 table with the CLI's conventions (no row rules; no colour when plain). */
export function table(head: string[], opts: Omit<ConstructorParameters<typeof Table>[0] & object, 'head'> = {}): Table.Table {
  return new Table({ ...opts, head, chars: NO_ROW_RULES, ...(plainOutput() && { style: { head: [], border: [] } }) });
}

export type CliFormat = 'table' | 'json' | 'csv' | 'arrow' | 'parquet';

/** The output format from `--format` / `--json` / `--output`'s extension (.csv, .arrow(s), .parquet, .json). */
export function outputFormat(flags: { format?: string; json?: boolean; output?: string }): CliFormat {
  if (flags.format !== undefined) {
    if (flags.json && flags.format !== 'json') throw new SupernodeError('BAD_OPTION', `--json and --format ${flags.format} contradict each other`);
    return flags.format as CliFormat;
  }
  if (flags.json) return 'json';
  const ext = flags.output === undefined ? '' : path.extname(flags.output).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.arrow' || ext === '.arrows' ? 'arrow' : ext === '.parquet' ? 'parquet' : ext === '.json' ? 'json' : 'table';
}

/** `"version":"0.1.0","seed":42,` to open every JSON object the CLI prints (reproducibility). */
export function jsonStamp(seed: number | null): string {
  return `"version":${JSON.stringify(VERSION)},"seed":${seed === null ? 'null' : seed},`;
}

/**
 * Writes the output: to stdout, or with `--output FILE` durably (a temporary file beside it,
 * fsynced, renamed over FILE, the directory fsynced: FILE is the old content or the whole new one).
 */
export async function emit(parts: Iterable<string | Uint8Array>, output: string | undefined): Promise<void> {
  if (output === undefined) {
    for (const p of parts) {
      if (!process.stdout.write(p)) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
    }
    return;
  }
  const { writeFileDurable } = await import('../store/durable.js');
  const chunks: Uint8Array[] = [];
  for (const p of parts) chunks.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  await writeFileDurable(path.resolve(output), chunks, { what: output });
}

/** A flat table as CSV, Arrow IPC stream or Parquet, to stdout or `--output`. */
export async function emitTable(t: FlatTable, format: 'csv' | 'arrow' | 'parquet', output: string | undefined): Promise<void> {
  if (format !== 'csv' && output === undefined && process.stdout.isTTY) {
    throw new SupernodeError('BAD_OPTION', `--format ${format} is binary: give --output FILE or redirect stdout`);
  }
  if (format === 'csv') return emit(csvChunks(t), output);
  if (format === 'arrow') return emit(arrowChunks(t), output);
  return emit([await parquetBytes(t)], output);
}
